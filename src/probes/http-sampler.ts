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

function percentile(values: number[], p: number): number {
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
  ) {
    this.request = typeof target === 'string' ? getUrl(target) : target;
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.sample();
  }

  private sample(): void {
    const started = performance.now();
    const at = new Date();
    const request = this.request(AbortSignal.timeout(this.requestTimeoutMs))
      .then(({ status, ok }) => {
        this.samples.push({ at, ok, status, latencyMs: performance.now() - started });
      })
      .catch((error: Error) => {
        this.samples.push({ at, ok: false, status: null, latencyMs: performance.now() - started, error: error.message });
      })
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
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
