// Fault: move a static-pod manifest out of the kubelet's manifests folder; restore moves it back and waits for the process.
import { basename, dirname, join } from 'node:path';
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { waitForProcess } from './process-running.ts';
import { requireOnHost, sshCommand } from './remote.ts';

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
    const folder = dirname(this.backup);
    await requireOnHost(
      context,
      this.name,
      this.host,
      // test takes no "--"; the manifest is an absolute path (the profile schema), so it cannot read as an option.
      { argv: ['test', '-f', this.manifest], what: `the manifest ${this.manifest} must exist` },
      {
        argv: ['sh', '-c', '! test -e "$1"', 'sh', this.backup],
        what: `${this.backup} already exists, left by an earlier drill: run \`npm run restore\` first, or check it and remove it`,
      },
      { argv: ['sh', '-c', 'mkdir -p -- "$1" && test -w "$1"', 'sh', folder], what: `the backup folder ${folder} must exist (it is created) and be writable` },
    );
  }

  undo(): UndoRecord {
    return { type: 'manifest-back', host: this.host.name, manifest: this.manifest, backup: this.backup, process: this.process };
  }

  manualFix(): string {
    return sshCommand(this.host, ['mv', '-n', '--', this.backup, this.manifest]);
  }

  async inject(context: FaultContext): Promise<void> {
    await context.transport.check(this.host, ['mv', '-n', '--', this.manifest, this.backup], { signal: context.signal });
  }
}

/** Moves the manifest back if its backup is there (idempotent), then requires it in place; exit 3: mv failed, 4: neither file. */
const MOVE_BACK = 'if test -f "$2"; then mv -n -- "$2" "$1" || exit 3; fi; test -f "$1" || exit 4';

export const restoreManifest: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const manifest = String(undo.manifest);
  const backup = String(undo.backup);
  const fix = sshCommand(host, ['mv', '-n', '--', backup, manifest]);
  const moved = await context.transport.run(host, ['sh', '-c', MOVE_BACK, 'sh', manifest, backup]);
  if (context.dryRun) return;
  if (moved.code === 4) throw new RestoreError(`${manifest} on ${host.name}`, fix, `neither ${manifest} nor its backup ${backup} exists`);
  if (moved.code !== 0) throw new RestoreError(`${manifest} on ${host.name}`, fix, `mv failed (exit ${moved.code}): ${moved.stderr.trim()}`);
  try {
    await waitForProcess(context, host, String(undo.process), true, START_TIMEOUT_MS);
  } catch (error) {
    throw new RestoreError(`${undo.process} on ${host.name}`, sshCommand(host, ['systemctl', 'restart', 'kubelet']), (error as Error).message, { cause: error });
  }
};
