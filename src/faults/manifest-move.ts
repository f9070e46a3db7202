// Fault: move a static-pod manifest out of the kubelet's manifests folder; restore moves it back and waits for a new healthy process.
import { basename, dirname, join } from 'node:path';
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import type { ComponentHealth, ProfileHost } from '../profile/profile-schema.ts';
import { snapshotFrom, snapshotProcesses, waitUntilBackHealthy, type ProcessSnapshot } from './component-health.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { requireOnHost, sshCommand } from './remote.ts';
import { armCommand, armSelfHeal, disarmSelfHeal, newSelfHealUnit, SYSTEMD_RUN_CHECK } from './self-heal.ts';

/** Where the manifest waits: beside the manifests folder, never inside it (the kubelet would read it). */
export function backupPath(manifest: string): string {
  return join(dirname(dirname(manifest)), 'firedrill-backup', basename(manifest));
}

/** How long a restored static pod may take to run again and answer its health endpoint. */
const START_TIMEOUT_MS = 60_000;

export class ManifestMoveFault implements Fault {
  readonly name: string;
  readonly description: string;
  readonly backup: string;
  /** The component's processes at preflight, so the restore can tell a new one from them. */
  before: ProcessSnapshot | undefined;
  /** The host's self-heal timer for the current injection (named once, so an undo record taken before or after inject names the armed one). */
  private readonly heal = newSelfHealUnit();

  constructor(
    readonly host: ProfileHost,
    readonly manifest: string,
    readonly process: string,
    /** Its health endpoint: restored means a new process answers it. */
    readonly health?: ComponentHealth,
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
      SYSTEMD_RUN_CHECK,
    );
    this.before = await snapshotProcesses(context, this.host, { process: this.process });
  }

  undo(): UndoRecord {
    return {
      type: 'manifest-back',
      host: this.host.name,
      manifest: this.manifest,
      backup: this.backup,
      process: this.process,
      before: this.before,
      health: this.health,
      heal: this.heal,
    };
  }

  manualFix(): string {
    return sshCommand(this.host, ['mv', '-n', '--', this.backup, this.manifest]);
  }

  /** Arms the host's self-heal timer (it moves the manifest back if the runner vanishes), then moves the manifest out. */
  async inject(context: FaultContext): Promise<void> {
    await armSelfHeal(context, this.host, armCommand(context, this.heal, `move ${basename(this.manifest)} back`, HEAL_MOVE_BACK, [this.manifest, this.backup]));
    await context.transport.check(this.host, ['mv', '-n', '--', this.manifest, this.backup], { signal: context.signal });
  }
}

/** What the host's timer runs: the manifest back if its backup is there (idempotent). */
const HEAL_MOVE_BACK = 'if test -f "$2"; then mv -n -- "$2" "$1"; fi';

/**
 * Moves the manifest back if its backup is there (idempotent; prints `moved` then), then requires it in place;
 * exit 3: mv failed, 4: neither file.
 */
const MOVE_BACK = 'if test -f "$2"; then mv -n -- "$2" "$1" || exit 3; echo moved; fi; test -f "$1" || exit 4';

export const restoreManifest: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const manifest = String(undo.manifest);
  const backup = String(undo.backup);
  const fix = sshCommand(host, ['mv', '-n', '--', backup, manifest]);
  const moved = await context.transport.run(host, ['sh', '-c', MOVE_BACK, 'sh', manifest, backup]);
  if (context.dryRun) return disarmSelfHeal(context, host, undo);
  if (moved.code === 4) throw new RestoreError(`${manifest} on ${host.name}`, fix, `neither ${manifest} nor its backup ${backup} exists`);
  if (moved.code !== 0) throw new RestoreError(`${manifest} on ${host.name}`, fix, `mv failed (exit ${moved.code}): ${moved.stderr.trim()}`);
  try {
    await waitUntilBackHealthy(context, host, {
      selector: { process: String(undo.process) },
      before: snapshotFrom(undo.before),
      health: undo.health as ComponentHealth | undefined,
      timeoutMs: START_TIMEOUT_MS,
      // No backup to move back: the manifest never left (or an earlier restore put it back and saw a new process).
      acceptOld: !moved.stdout.includes('moved'),
    });
  } catch (error) {
    throw new RestoreError(`${undo.process} on ${host.name}`, sshCommand(host, ['systemctl', 'restart', 'kubelet']), (error as Error).message, { cause: error });
  }
  await disarmSelfHeal(context, host, undo);
};
