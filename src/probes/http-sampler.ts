// Samples an HTTP endpoint at a steady rate while a fault is in place: success ratio and latency, every sample timestamped.
import { performance } from 'node:perf_hooks';

export interface HttpSample {
  at: Date;
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error?: string;
}

export interface HttpAvailability {
  samples: number;
  succeeded: number;
  ratio: number;
  p50Ms: number;
  p95Ms: number;
  /** First failure, if any, for the report. */
  firstFailure?: HttpSample;
}

/** Optional hooks of a sampler: a callback per sample, what counts as success, whether samples are kept, the clock. */
export interface HttpSamplerOptions {
  /** Called with each sample once its request has ended (answered, failed or timed out); must not throw. */
  onSample?: (sample: HttpSample) => void;
  /** Whether an answer with this status counts as served; default: the request's own judgement (a GET: below 500). */
  isSuccess?: (status: number) => boolean;
  /** Keep every sample in `samples` (default true); a caller that keeps its own window passes false. */
  retain?: boolean;
  /** Wall clock (epoch ms) the samples are stamped with; default Date.now. */
  now?: () => number;
}

/** The p-th percentile of the values: the sorted values' element at index floor(p % of their count), the last at most; 0 for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** One sample's request: its HTTP status and whether it counts as served. Rejects if nothing answered. */
export type SampleRequest = (signal: AbortSignal) => Promise<{ status: number; ok: boolean }>;

/** A plain GET of the URL: served unless the server answered 5xx. */
const getUrl =
  (url: string): SampleRequest =>
  async (signal) => {
    const response = await fetch(url, { signal });
    await response.arrayBuffer();
    return { status: response.status, ok: response.status < 500 };
  };

export class HttpSampler {
  readonly samples: HttpSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  private readonly request: SampleRequest;

  constructor(
    /** The URL to GET, or the request to make each time. */
    target: string | SampleRequest,
    private readonly intervalMs = 200,
    private readonly requestTimeoutMs = 1_000,
    private readonly options: HttpSamplerOptions = {},
  ) {
    this.request = typeof target === 'string' ? getUrl(target) : target;
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.sample();
  }

  private sample(): void {
    const started = performance.now();
    const at = new Date((this.options.now ?? Date.now)());
    const isSuccess = this.options.isSuccess;
    const request = this.request(AbortSignal.timeout(this.requestTimeoutMs))
      .then(({ status, ok }): HttpSample => ({ at, ok: isSuccess ? isSuccess(status) : ok, status, latencyMs: performance.now() - started }))
      .catch((error: Error): HttpSample => ({ at, ok: false, status: null, latencyMs: performance.now() - started, error: error.message }))
      .then((sample) => this.record(sample))
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }

  private record(sample: HttpSample): void {
    if (this.options.retain !== false) this.samples.push(sample);
    this.options.onSample?.(sample);
  }

  /** Stops sampling and summarises the samples taken from `since` on (all by default). */
  async stop(since?: Date): Promise<HttpAvailability> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.inFlight);
    return this.summary(since);
  }

  summary(since?: Date, until?: Date): HttpAvailability {
    const window = this.samples.filter((sample) => (!since || sample.at >= since) && (!until || sample.at <= until));
    const succeeded = window.filter((sample) => sample.ok);
    return {
      samples: window.length,
      succeeded: succeeded.length,
      ratio: window.length ? succeeded.length / window.length : 0,
      p50Ms: percentile(succeeded.map((sample) => sample.latencyMs), 50),
      p95Ms: percentile(succeeded.map((sample) => sample.latencyMs), 95),
      firstFailure: window.find((sample) => !sample.ok),
    };
  }
}
