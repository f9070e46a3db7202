// Fault: kill a process (SIGKILL) that its supervisor must bring back by itself, e.g. the kube-apiserver static pod.
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { waitForProcess } from './process-running.ts';
import { requireOnHost, sshCommand } from './remote.ts';
import { shellQuote } from '../transport/shell-quote.ts';

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
  ) {
    this.name = `kill ${process} on ${host.name}`;
    this.description = `pkill -KILL -x ${process} on ${host.name}; restore: wait for the kubelet to restart it`;
  }

  async preflight(context: FaultContext): Promise<void> {
    await requireOnHost(context, this.name, this.host, {
      argv: ['pgrep', '-x', '--', this.process],
      what: `a process named exactly "${this.process}" must be running (pgrep -x); check components.*.process in the profile`,
    });
  }

  undo(): UndoRecord {
    return { type: 'process-back', host: this.host.name, process: this.process, withinMs: this.comesBackWithinMs, manifest: this.manifest };
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
  try {
    await waitForProcess(context, host, process, true, Number(undo.withinMs));
  } catch (error) {
    throw new RestoreError(`${process} on ${host.name}`, manualFix(host, undo.manifest as string | undefined), (error as Error).message, { cause: error });
  }
};
