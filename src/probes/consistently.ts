// consistently: a check must keep passing, sampled at an interval, for a whole duration (on a monotonic clock).
import { performance } from 'node:perf_hooks';
import { ExpectationError } from '../engine/expectation-error.ts';
import { isProgrammingError, ProbeCallbackError } from './probe-callback-error.ts';
import { checkProbeOptions, ProbeOptionError } from './probe-options.ts';
import { timedWait } from './wait-clock.ts';

export interface ConsistentlyOptions {
  /** What must hold, in words: "the API keeps failing". */
  description: string;
  durationMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

const PROBE = 'consistently';

/**
 * Resolves with the number of samples (at least one) once the duration has passed; rejects at the first failing
 * sample, and at once, naming the callback, if the check has a bug (TypeError, ReferenceError).
 */
export function consistently(check: (signal: AbortSignal) => Promise<void>, options: ConsistentlyOptions): Promise<number> {
  try {
    if (typeof check !== 'function') throw new ProbeOptionError(PROBE, options?.description, `its first argument, the check, must be a function (got ${String(check)})`);
    checkProbeOptions(PROBE, options, { durations: ['durationMs'], optionalDurations: ['intervalMs'] });
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return timedWait(options.description, options.durationMs, () => sample(check, options));
}

async function sample(check: (signal: AbortSignal) => Promise<void>, options: ConsistentlyOptions): Promise<number> {
  const started = performance.now();
  const interval = options.intervalMs ?? 250;
  let samples = 0;
  while (performance.now() - started < options.durationMs) {
    options.signal?.throwIfAborted();
    const attempt = AbortSignal.any([AbortSignal.timeout(Math.max(interval * 4, 2_000)), ...(options.signal ? [options.signal] : [])]);
    try {
      await check(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (isProgrammingError(error)) throw new ProbeCallbackError(PROBE, options.description, 'check', error);
      const after = ((performance.now() - started) / 1000).toFixed(1);
      throw new ExpectationError(options.description, `for ${(options.durationMs / 1000).toFixed(0)} s`, `broken after ${after} s: ${(error as Error).message}`);
    }
    samples += 1;
    const next = started + samples * interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  return samples;
}
