// Writes through the API at a steady rate while a fault is in place (a ConfigMap patched every second), each write
// timestamped: how many failed, and when the last one did.
import { setTimeout as delay } from 'node:timers/promises';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';

export interface WriteSample {
  at: Date;
  ok: boolean;
  error?: string;
}

export interface WriteSummary {
  samples: number;
  failed: number;
  lastFailure?: WriteSample;
  /** The first of the failures that run to the end of the window, if the window ends failing. */
  failingSince?: WriteSample;
}

export class ApiWriteSampler {
  readonly samples: WriteSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private beat = 0;

  constructor(
    private readonly kube: KubeConfig,
    private readonly namespace: string,
    private readonly configMap: string,
    private readonly intervalMs = 1_000,
    /** A write that has not answered by then counts as failed (it may still land later). */
    private readonly writeTimeoutMs = 2_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.write(), this.intervalMs);
    this.write();
  }

  private patch(at: Date): Promise<unknown> {
    const body = { data: { beat: String(++this.beat), at: at.toISOString() } };
    return this.kube
      .makeApiClient(CoreV1Api)
      .patchNamespacedConfigMap({ namespace: this.namespace, name: this.configMap, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }

  /** One write now, outside the sampling; rejects if it fails. */
  async writeOnce(): Promise<void> {
    await this.patch(new Date());
  }

  private write(): void {
    const at = new Date();
    const patch = this.patch(at);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${this.writeTimeoutMs} ms`)), this.writeTimeoutMs)));
    const request = Promise.race([patch, timeout])
      .then(
        () => void this.samples.push({ at, ok: true }),
        (error: Error) => void this.samples.push({ at, ok: false, error: error.message.split('\n')[0] }),
      )
      .finally(() => {
        clearTimeout(timer);
        this.inFlight.delete(request);
      });
    patch.catch(() => {}); // a late failure after the timeout is already counted
    this.inFlight.add(request);
  }

  /** Keeps writing until `until` (or the signal aborts). */
  async runUntil(until: Date, signal?: AbortSignal): Promise<void> {
    const remaining = until.getTime() - Date.now();
    if (remaining > 0) await delay(remaining, undefined, { signal });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight);
  }

  summary(since?: Date): WriteSummary {
    const window = this.samples.filter((sample) => !since || sample.at >= since).sort((a, b) => a.at.getTime() - b.at.getTime());
    const failures = window.filter((sample) => !sample.ok);
    const lastOk = window.findLastIndex((sample) => sample.ok);
    return { samples: window.length, failed: failures.length, lastFailure: failures.at(-1), failingSince: window[lastOk + 1] };
  }
}
