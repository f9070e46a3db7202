// One process the lab supervises: started, stopped within a grace period, restarted with backoff when it dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export type ProcessState = 'active' | 'activating' | 'inactive' | 'failed' | 'deactivating';

export interface ProcessSpec {
  name: string;
  command: string[];
  env?: Record<string, string>;
  logFile: string;
  /** Restart when the process exits by itself: always, only on failure, or never. */
  restart: 'always' | 'on-failure' | 'no';
  /** First restart delay; doubles on each quick crash up to maxBackoffMs, like the kubelet's crash-loop backoff. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** A run that lasted this long resets the backoff, as the kubelet does after a container has run a while. */
const STABLE_AFTER_MS = 30_000;
const STOP_GRACE_MS = 1_000;

export class SupervisedProcess {
  state: ProcessState = 'inactive';
  private child: ChildProcess | undefined;
  private wanted = false;
  private backoffMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  restarts = 0;

  constructor(
    readonly spec: ProcessSpec,
    private readonly onEvent: (message: string) => void,
  ) {
    this.backoffMs = spec.initialBackoffMs;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.wanted = true;
    if (this.child || this.restartTimer) return;
    this.launch();
  }

  private launch(): void {
    this.restartTimer = undefined;
    const [file, ...args] = this.spec.command;
    if (!file) throw new Error(`${this.spec.name}: empty command`);
    const log = openSync(this.spec.logFile, 'a');
    this.startedAt = Date.now();
    const child = spawn(file, args, { env: { ...process.env, ...this.spec.env }, stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.state = 'active';
    child.on('error', (error) => this.onEvent(`${this.spec.name}: cannot start ${file}: ${error.message}`));
    child.on('exit', (code, signal) => this.exited(child, code, signal));
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (!this.wanted) {
      this.state = 'inactive';
      return;
    }
    const failed = code !== 0;
    this.onEvent(`${this.spec.name} exited (${signal ? `signal ${signal}` : `code ${code}`})`);
    const restart = this.spec.restart === 'always' || (this.spec.restart === 'on-failure' && failed);
    if (!restart) {
      this.wanted = false;
      this.state = failed ? 'failed' : 'inactive';
      return;
    }
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.backoffMs = this.spec.initialBackoffMs;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.spec.maxBackoffMs);
    this.state = 'activating';
    this.restarts += 1;
    this.onEvent(`${this.spec.name}: restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.launch(), delay);
  }

  /** Stops the process: SIGTERM, then SIGKILL after a short grace period. Resolves once it has exited. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child) {
      this.state = this.state === 'failed' ? 'failed' : 'inactive';
      return;
    }
    this.state = 'deactivating';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    this.state = 'inactive';
    this.backoffMs = this.spec.initialBackoffMs;
  }
}
