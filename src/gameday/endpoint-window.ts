// The sliding window of an app-endpoint stop condition: success ratio, p95 latency, and when there are enough requests to judge.
import { percentile, type HttpSample } from '../probes/http-sampler.ts';

export interface EndpointLimits {
  windowSeconds: number;
  intervalMs: number;
  minSuccessRatio?: number;
  maxP95Ms?: number;
}

export interface WindowJudgement {
  /** False while the window holds too few requests to judge: such a window is neither ok nor breached. */
  judged: boolean;
  ok: boolean;
  requests: number;
  succeeded: number;
  ratio: number;
  /** p95 latency of the successful requests; undefined when none succeeded. */
  p95Ms: number | undefined;
  /** In words, e.g. "success 80.0 % (8/10) over 30 s, p95 120 ms". */
  value: string;
}

/** Most requests a window needs before it is judged, whatever its length. */
const MAX_REQUESTS_TO_JUDGE = 5;

/**
 * How many requests a window must hold before it is judged: min(5, windowSeconds / intervalMs requests), at least 1.
 * So one failed first request is not a breach, and a window too short for five requests is still judged when full.
 */
export function requestsToJudge(limits: Pick<EndpointLimits, 'windowSeconds' | 'intervalMs'>): number {
  return Math.max(1, Math.min(MAX_REQUESTS_TO_JUDGE, Math.floor((limits.windowSeconds * 1000) / limits.intervalMs)));
}

/** The thresholds in words, e.g. "success at least 95.0 %, p95 at most 500 ms, over 30 s (judged from 5 requests on)". */
export function describeLimits(limits: EndpointLimits): string {
  const parts = [
    limits.minSuccessRatio !== undefined ? `success at least ${(limits.minSuccessRatio * 100).toFixed(1)} %` : undefined,
    limits.maxP95Ms !== undefined ? `p95 at most ${limits.maxP95Ms} ms` : undefined,
  ].filter((part) => part !== undefined);
  return `${parts.join(', ')} over ${limits.windowSeconds} s (judged from ${requestsToJudge(limits)} requests on)`;
}

const failure = (sample: HttpSample) => (sample.status !== null ? `HTTP ${sample.status}` : (sample.error ?? 'no answer'));

/** The requests of the last windowSeconds (by the time each was sent), judged against the limits. */
export class EndpointWindow {
  private requests: HttpSample[] = [];

  constructor(private readonly limits: EndpointLimits) {}

  add(sample: HttpSample): void {
    this.requests.push(sample);
  }

  /**
   * Judges the requests sent in the window ending at nowMs, and forgets the older ones. The ratio counts every request;
   * the p95 is over the successful ones (failures are counted by the ratio); a window where none succeeded is breached.
   */
  judge(nowMs: number): WindowJudgement {
    const from = nowMs - this.limits.windowSeconds * 1000;
    this.requests = this.requests.filter((sample) => sample.at.getTime() >= from);
    const inWindow = this.requests.filter((sample) => sample.at.getTime() <= nowMs);
    const succeeded = inWindow.filter((sample) => sample.ok);
    const ratio = inWindow.length ? succeeded.length / inWindow.length : 0;
    const p95Ms = succeeded.length ? percentile(succeeded.map((sample) => sample.latencyMs), 95) : undefined;
    const judged = inWindow.length >= requestsToJudge(this.limits);
    const { minSuccessRatio, maxP95Ms } = this.limits;
    // Nothing served at all is a breach whichever limits are set (a p95 limit alone would have no latency to judge).
    const breached =
      succeeded.length === 0 || (minSuccessRatio !== undefined && ratio < minSuccessRatio) || (maxP95Ms !== undefined && p95Ms !== undefined && p95Ms > maxP95Ms);
    const lastFailure = [...inWindow].reverse().find((sample) => !sample.ok);
    const value =
      `success ${(ratio * 100).toFixed(1)} % (${succeeded.length}/${inWindow.length}) over ${this.limits.windowSeconds} s, ` +
      `p95 ${p95Ms === undefined ? 'n/a (no request succeeded)' : `${Math.round(p95Ms)} ms`}` +
      (lastFailure ? `; last failure: ${failure(lastFailure)}` : '');
    return { judged, ok: judged && !breached, requests: inWindow.length, succeeded: succeeded.length, ratio, p95Ms, value };
  }
}
