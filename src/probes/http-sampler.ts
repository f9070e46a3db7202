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

export class HttpSampler {
  readonly samples: HttpSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly intervalMs = 200,
    private readonly requestTimeoutMs = 1_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.sample();
  }

  private sample(): void {
    const started = performance.now();
    const at = new Date();
    const request = fetch(this.url, { signal: AbortSignal.timeout(this.requestTimeoutMs) })
      .then(async (response) => {
        await response.arrayBuffer();
        this.samples.push({ at, ok: response.status < 500, status: response.status, latencyMs: performance.now() - started });
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
