// The lab kubelet's static-pod loop: one process per manifest in the host's manifests folder.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SupervisedProcess } from './supervised-process.ts';

interface PodManifest {
  metadata?: { name?: string };
  spec?: { containers?: { command?: string[]; args?: string[]; env?: { name: string; value?: string }[] }[] };
}

interface RunningPod {
  digest: string;
  process: SupervisedProcess;
}

/** Resync period: the folder is also watched, this only catches events the watcher missed. */
const RESYNC_MS = 500;

/**
 * Like the real kubelet's file source: a manifest that appears is started, one that leaves is stopped
 * (within 2 s), one that changes is restarted, and a process that dies is restarted with crash-loop backoff.
 */
export class StaticPodRunner {
  private readonly pods = new Map<string, RunningPod>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private syncing = Promise.resolve();
  private paused = false;
  private stopped = false;

  constructor(
    private readonly manifestsDir: string,
    private readonly logDir: string,
    private readonly onEvent: (message: string) => void,
  ) {}

  start(): void {
    this.watcher = watch(this.manifestsDir, () => this.requestSync());
    this.timer = setInterval(() => this.requestSync(), RESYNC_MS);
    this.requestSync();
  }

  /** While the host's kubelet is stopped, manifests are not acted on; running pods keep running, as on a real node. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.requestSync();
  }

  processes(): SupervisedProcess[] {
    return [...this.pods.values()].map((pod) => pod.process);
  }

  private requestSync(): void {
    this.syncing = this.syncing.then(() => this.sync()).catch((error: Error) => this.onEvent(`static pods: ${error.message}`));
  }

  private async sync(): Promise<void> {
    if (this.paused || this.stopped) return;
    const wanted = new Map<string, { digest: string; manifest: PodManifest }>();
    for (const file of readdirSync(this.manifestsDir)) {
      if (!/\.(ya?ml|json)$/.test(file) || file.startsWith('.')) continue;
      let text: string;
      try {
        text = readFileSync(join(this.manifestsDir, file), 'utf8');
      } catch {
        continue; // moved away between readdir and read
      }
      try {
        wanted.set(file, { digest: createHash('sha256').update(text).digest('hex'), manifest: parse(text) as PodManifest });
      } catch (error) {
        this.onEvent(`static pods: ${file} is not valid YAML, ignored: ${(error as Error).message}`);
      }
    }
    const stops: Promise<void>[] = [];
    for (const [file, pod] of this.pods) {
      const next = wanted.get(file);
      if (next?.digest === pod.digest) continue;
      this.pods.delete(file);
      this.onEvent(`static pod ${pod.process.spec.name}: manifest ${next ? 'changed' : 'removed'}, stopping`);
      stops.push(pod.process.stop());
    }
    await Promise.all(stops);
    for (const [file, { digest, manifest }] of wanted) {
      if (this.pods.has(file)) continue;
      const container = manifest.spec?.containers?.[0];
      const command = [...(container?.command ?? []), ...(container?.args ?? [])];
      const name = manifest.metadata?.name ?? file.replace(/\.\w+$/, '');
      if (command.length === 0) {
        this.onEvent(`static pod ${name}: no command in ${file}, ignored`);
        continue;
      }
      const env = Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value ?? '']));
      const process = new SupervisedProcess(
        { name, command, env, logFile: join(this.logDir, `${name}.log`), restart: 'always', initialBackoffMs: 1_000, maxBackoffMs: 10_000 },
        this.onEvent,
      );
      this.pods.set(file, { digest, process });
      this.onEvent(`static pod ${name}: manifest ${file} found, starting`);
      process.start();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
    await Promise.all(this.processes().map((process) => process.stop()));
    this.pods.clear();
  }
}
