// Fault: move a static-pod manifest out of the kubelet's manifests folder; restore moves it back and waits for the process.
import { basename, dirname, join } from 'node:path';
import { PreflightError, RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { waitForProcess } from './process-running.ts';
import { probeHost, requireOnHost, requireReachable, sshCommand } from './remote.ts';

/** Where the manifest waits: beside the manifests folder, never inside it (the kubelet would read it). */
export function backupPath(manifest: string): string {
  return join(dirname(dirname(manifest)), 'firedrill-backup', basename(manifest));
}

/** How long a restored static pod may take to run again. */
const START_TIMEOUT_MS = 60_000;

export class ManifestMoveFault implements Fault {
  readonly name: string;
  readonly description: string;
  readonly backup: string;

  constructor(
    readonly host: ProfileHost,
    readonly manifest: string,
    readonly process: string,
  ) {
    this.backup = backupPath(manifest);
    this.name = `move ${basename(manifest)} out on ${host.name}`;
    this.description = `mv ${manifest} ${this.backup} on ${host.name}; restore: move it back`;
  }

  async preflight(context: FaultContext): Promise<void> {
    await requireReachable(context, this.name, this.host);
    await requireOnHost(context, this.name, this.host, ['test', '-f', this.manifest], `the manifest ${this.manifest} must exist`);
    const leftover = await probeHost(context, this.name, this.host, ['test', '-e', this.backup]);
    if (!context.dryRun && leftover.code === 0) {
      throw new PreflightError(this.name, this.host.name, `${this.backup} already exists, left by an earlier drill: run \`npm run restore\` first, or check it and remove it`);
    }
    const folder = dirname(this.backup);
    await requireOnHost(context, this.name, this.host, ['sh', '-c', 'mkdir -p "$1" && test -w "$1"', 'sh', folder], `the backup folder ${folder} must exist (it is created) and be writable`);
  }

  undo(): UndoRecord {
    return { type: 'manifest-back', host: this.host.name, manifest: this.manifest, backup: this.backup, process: this.process };
  }

  manualFix(): string {
    return sshCommand(this.host, `mv ${this.backup} ${this.manifest}`);
  }

  async inject(context: FaultContext): Promise<void> {
    await context.transport.check(this.host, ['mv', '-n', this.manifest, this.backup], { signal: context.signal });
  }
}

export const restoreManifest: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const manifest = String(undo.manifest);
  const backup = String(undo.backup);
  const fix = sshCommand(host, `mv ${backup} ${manifest}`);
  const backupThere = await context.transport.run(host, ['test', '-f', backup]);
  if (backupThere.code === 0 || context.dryRun) {
    const moved = await context.transport.run(host, ['mv', '-n', backup, manifest]);
    if (moved.code !== 0) throw new RestoreError(`${manifest} on ${host.name}`, fix, `mv failed (exit ${moved.code}): ${moved.stderr.trim()}`);
  }
  if (context.dryRun) return;
  const inPlace = await context.transport.run(host, ['test', '-f', manifest]);
  if (inPlace.code !== 0) throw new RestoreError(`${manifest} on ${host.name}`, fix, `neither ${manifest} nor its backup ${backup} exists`);
  try {
    await waitForProcess(context, host, String(undo.process), true, START_TIMEOUT_MS);
  } catch (error) {
    throw new RestoreError(`${undo.process} on ${host.name}`, sshCommand(host, 'systemctl restart kubelet'), (error as Error).message, { cause: error });
  }
};
