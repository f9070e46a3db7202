// Fault: kill a process (SIGKILL) that its supervisor must bring back by itself, e.g. the kube-apiserver static pod.
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import type { ComponentHealth, ProfileHost } from '../profile/profile-schema.ts';
import { eventually } from '../probes/eventually.ts';
import { oldStillRunning, snapshotFrom, snapshotProcesses, waitUntilBackHealthy, type ProcessSnapshot } from './component-health.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { requireOnHost, sshCommand } from './remote.ts';
import { shellQuote } from '../transport/shell-quote.ts';

/** How long a killed process may still show (being reaped) before the restore concludes the kill never happened. */
const KILL_SETTLES_MS = 5_000;

export class ProcessKillFault implements Fault {
  readonly name: string;
  readonly description: string;

  constructor(
    readonly host: ProfileHost,
    readonly process: string,
    /** How long the restore waits for it to come back on its own (the kubelet's restart backoff). */
    readonly comesBackWithinMs: number,
    /** The static-pod manifest, for the manual fix. */
    readonly manifest?: string,
    /** Its health endpoint: restored means a new process answers it. */
    readonly health?: ComponentHealth,
  ) {
    this.name = `kill ${process} on ${host.name}`;
    this.description = `pkill -KILL -x ${process} on ${host.name}; restore: wait for the kubelet to restart it and a new process to answer${health ? ` ${health.url}` : ''}`;
  }

  /** The processes that will be killed, recorded at preflight so the restore can tell a new one from them. */
  before: ProcessSnapshot | undefined;

  async preflight(context: FaultContext): Promise<void> {
    await requireOnHost(context, this.name, this.host, {
      argv: ['pgrep', '-x', '--', this.process],
      what: `a process named exactly "${this.process}" must be running (pgrep -x); check components.*.process in the profile`,
    });
    this.before = await snapshotProcesses(context, this.host, { process: this.process });
  }

  undo(): UndoRecord {
    return {
      type: 'process-back',
      host: this.host.name,
      process: this.process,
      withinMs: this.comesBackWithinMs,
      manifest: this.manifest,
      before: this.before,
      health: this.health,
    };
  }

  manualFix(): string {
    return manualFix(this.host, this.manifest);
  }

  async inject(context: FaultContext): Promise<void> {
    await context.transport.check(this.host, ['pkill', '-KILL', '-x', '--', this.process], { signal: context.signal });
  }
}

function manualFix(host: ProfileHost, manifest: string | undefined): string {
  const nudge = manifest ? `; if it stays down, move ${shellQuote([manifest])} out of the folder and back` : '';
  return `${sshCommand(host, ['systemctl', 'restart', 'kubelet'])}${nudge}`;
}

export const restoreProcess: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const process = String(undo.process);
  if (context.dryRun) return;
  const before = snapshotFrom(undo.before);
  try {
    await waitUntilBackHealthy(context, host, {
      selector: { process },
      before,
      health: undo.health as ComponentHealth | undefined,
      timeoutMs: Number(undo.withinMs),
      acceptOld: await neverKilled(context, host, process, before),
    });
  } catch (error) {
    throw new RestoreError(`${process} on ${host.name}`, manualFix(host, undo.manifest as string | undefined), (error as Error).message, { cause: error });
  }
};

/** A SIGKILLed process is gone within moments: one from before the fault still alive after a few seconds was never killed. */
async function neverKilled(context: FaultContext, host: ProfileHost, process: string, before: ProcessSnapshot | undefined): Promise<boolean> {
  try {
    await eventually(
      async () => {
        if (await oldStillRunning(context, host, { process }, before)) throw new Error(`${process} from before the fault still runs`);
      },
      { description: `the killed ${process} on ${host.name} to be gone`, timeoutMs: KILL_SETTLES_MS, intervalMs: 200, maxIntervalMs: 500 },
    );
    return false;
  } catch {
    return true;
  }
}
