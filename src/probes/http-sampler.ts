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
  /** Whether an answer with this status counts as served; default: any status below 500. */
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

export class HttpSampler {
  readonly samples: HttpSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly intervalMs = 200,
    private readonly requestTimeoutMs = 1_000,
    private readonly options: HttpSamplerOptions = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.sample();
  }

  private sample(): void {
    const started = performance.now();
    const at = new Date((this.options.now ?? Date.now)());
    const isSuccess = this.options.isSuccess ?? ((status: number) => status < 500);
    const request = fetch(this.url, { signal: AbortSignal.timeout(this.requestTimeoutMs) })
      .then(async (response): Promise<HttpSample> => {
        await response.arrayBuffer();
        return { at, ok: isSuccess(response.status), status: response.status, latencyMs: performance.now() - started };
      })
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
