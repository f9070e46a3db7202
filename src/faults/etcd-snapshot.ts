// etcd backup and restore on the control-plane host: a journaled snapshot save (etcdctl) that cleans up after itself,
// a journaled data-dir swap (etcdutl), and pruning of the data dirs swaps leave.
import { dirname, join } from 'node:path';
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { eventually } from '../probes/eventually.ts';
import { hostByName } from './hosts.ts';
import { requireOnHost, sshCommand } from './remote.ts';
import { requireEtcdDiskSpace, restoredDataDir, snapshotFolder } from './etcd-disk-space.ts';

export type EtcdSnapshotSettings = NonNullable<ClusterProfile['etcdSnapshot']>;

export function etcdSnapshotSettings(profile: ClusterProfile): EtcdSnapshotSettings {
  if (!profile.etcdSnapshot) throw new Error(`profile ${profile.name} has no etcdSnapshot section (endpoint, certificates, dataDir, memberName, peerUrl)`);
  return profile.etcdSnapshot;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

const etcdTls = (settings: EtcdSnapshotSettings) => [`--endpoints=${settings.endpoint}`, `--cacert=${settings.caFile}`, `--cert=${settings.certFile}`, `--key=${settings.keyFile}`];

/** Takes a snapshot with etcdctl into `file` (in the backup folder beside the data dir). */
async function saveSnapshotTo(context: FaultContext, host: ProfileHost, settings: EtcdSnapshotSettings, file: string): Promise<void> {
  await context.transport.check(host, ['mkdir', '-p', '--', dirname(file)]);
  await context.transport.check(host, ['etcdctl', ...etcdTls(settings), 'snapshot', 'save', file], { timeoutMs: 120_000 });
}

/** Takes a snapshot with etcdctl into the backup folder beside the data dir; returns its path. Nothing removes it. */
export async function saveSnapshot(context: FaultContext, host: ProfileHost, settings: EtcdSnapshotSettings): Promise<string> {
  const file = join(snapshotFolder(settings), `etcd-${stamp()}.db`);
  await saveSnapshotTo(context, host, settings, file);
  return file;
}

/**
 * Saves an etcd snapshot, journaled: its restore removes the snapshot file once etcd is back and healthy, so no run
 * leaves one behind. Preflight checks etcdctl and the free disk space for the snapshot and a restored data dir.
 */
export class EtcdSnapshotSave implements Fault {
  readonly name: string;
  readonly description: string;
  readonly file: string;

  constructor(
    readonly host: ProfileHost,
    readonly settings: EtcdSnapshotSettings,
  ) {
    this.file = join(snapshotFolder(settings), `etcd-${stamp()}.db`);
    this.name = `save an etcd snapshot on ${host.name}`;
    this.description = `etcdctl snapshot save ${this.file}; restore: remove the snapshot`;
  }

  async preflight(context: FaultContext): Promise<void> {
    await requireOnHost(
      context,
      this.name,
      this.host,
      { argv: ['test', '-d', this.settings.dataDir], what: `the data dir ${this.settings.dataDir} must exist` },
      { argv: ['sh', '-c', 'command -v etcdctl'], what: 'etcdctl must be installed on the host' },
    );
    await requireEtcdDiskSpace(context, this.name, this.host, this.settings);
  }

  undo(): UndoRecord {
    return { type: 'etcd-snapshot-remove', host: this.host.name, file: this.file, dataDir: this.settings.dataDir };
  }

  manualFix(): string {
    return sshCommand(this.host, ['rm', '-f', '--', this.file]);
  }

  async inject(context: FaultContext): Promise<void> {
    await saveSnapshotTo(context, this.host, this.settings, this.file);
  }
}

/**
 * Removes the snapshot once the restore is verified: etcd's data dir is in place and etcd answers a health check.
 * Otherwise the snapshot is kept (it may still be needed) and the restore fails, naming why; a later restore retries.
 */
export const restoreEtcdSnapshotRemove: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const file = String(undo.file);
  const dataDir = String(undo.dataDir);
  const fail = (message: string) => new RestoreError(`etcd snapshot ${file} on ${host.name} not removed`, sshCommand(host, ['rm', '-f', '--', file]), message);
  if (context.dryRun) {
    await context.transport.run(host, ['rm', '-f', file]);
    return;
  }
  const present = await context.transport.run(host, ['test', '-d', dataDir]);
  if (present.code !== 0) throw fail(`kept: the data dir ${dataDir} is missing (restore it first)`);
  // etcd may just have been started by an earlier restore: give it a little while to answer.
  const healthy = await eventually(
    async () => {
      // A copy on another host names that host's member; the saved snapshot uses the profile's endpoint.
      const settings = etcdSnapshotSettings(context.profile);
      const endpoint = typeof undo.endpoint === 'string' ? undo.endpoint : settings.endpoint;
      const health = await context.transport.run(host, ['etcdctl', ...etcdTls({ ...settings, endpoint }), '--command-timeout=5s', 'endpoint', 'health'], { timeoutMs: 15_000 });
      if (health.code !== 0) throw new Error(`etcdctl endpoint health exited ${health.code}: ${(health.stderr || health.stdout).trim().slice(0, 200)}`);
    },
    { description: 'etcd healthy', timeoutMs: 30_000, attemptTimeoutMs: 20_000, intervalMs: 1_000 },
  ).then(() => undefined, (error: Error) => error.message);
  if (healthy !== undefined) throw fail(`kept: etcd is not healthy (${healthy})`);
  const removed = await context.transport.run(host, ['rm', '-f', file]);
  if (removed.code !== 0) throw fail(`rm failed (exit ${removed.code}): ${removed.stderr.trim()}`);
};

/**
 * Removes all but the newest `keep` previous data dirs (<dataDir>.firedrill-previous-<time>) that etcd-restore runs
 * left; returns the ones removed. Call it only once the restored etcd is verified.
 */
export async function prunePreviousDataDirs(context: FaultContext, host: ProfileHost, settings: EtcdSnapshotSettings): Promise<string[]> {
  const listed = await context.transport.check(host, ['sh', '-c', 'for d in "$1".firedrill-previous-*; do if [ -d "$d" ]; then echo "$d"; fi; done', 'sh', settings.dataDir]);
  const previous = listed.stdout.split('\n').filter(Boolean).sort();
  const removed = previous.slice(0, Math.max(0, previous.length - settings.keepPreviousDataDirs));
  if (removed.length > 0) await context.transport.check(host, ['rm', '-rf', '--', ...removed], { timeoutMs: 120_000 });
  return removed;
}

/** The whole etcd cluster a member is restored into: every member (name and peer URL) and a token common to all. */
export interface RestoredCluster {
  members: { name: string; peerUrl: string }[];
  token: string;
}

/**
 * Replaces etcd's data dir with one restored from a snapshot (etcd must be stopped). The old data dir is kept beside
 * it; the undo puts it back only if the swap was left half done, so a completed restore stays restored.
 * Without `cluster` the member is restored as a one-member cluster; with it, as one member of that cluster (etcd's
 * multi-member recovery: every member from the same snapshot, with the full --initial-cluster and one token).
 */
export class EtcdDataRestoreFault implements Fault {
  readonly name: string;
  readonly description: string;
  readonly previous: string;
  private readonly restored: string;
  private prepared = false;

  constructor(
    readonly host: ProfileHost,
    readonly settings: EtcdSnapshotSettings,
    readonly snapshot: string,
    readonly cluster?: RestoredCluster,
  ) {
    // Kept after the drill as a safety net (prunePreviousDataDirs keeps the newest few); timestamped so drills can repeat.
    this.previous = `${settings.dataDir}.firedrill-previous-${stamp()}`;
    this.restored = restoredDataDir(settings);
    this.name = `restore etcd data from ${snapshot} on ${host.name}`;
    this.description = `etcdutl snapshot restore into ${this.restored}, then swap it with ${settings.dataDir} (old data kept as ${this.previous})`;
  }

  async preflight(context: FaultContext): Promise<void> {
    await requireOnHost(
      context,
      this.name,
      this.host,
      { argv: ['test', '-f', this.snapshot], what: `the snapshot ${this.snapshot} must exist` },
      { argv: ['test', '-d', this.settings.dataDir], what: `the data dir ${this.settings.dataDir} must exist` },
      { argv: ['sh', '-c', 'command -v etcdutl'], what: 'etcdutl must be installed on the host' },
    );
  }

  undo(): UndoRecord {
    return { type: 'etcd-data', host: this.host.name, dataDir: this.settings.dataDir, previous: this.previous };
  }

  manualFix(): string {
    return sshCommand(this.host, ['test', '-d', this.settings.dataDir], ['mv', '--', this.previous, this.settings.dataDir]);
  }

  /**
   * Restores the snapshot into a scratch data dir beside the live one, which it leaves alone: with several members,
   * every one is prepared before any live data dir is swapped, so a failure leaves no member half restored.
   */
  async prepare(context: FaultContext): Promise<void> {
    const { settings, cluster } = this;
    const initialCluster = cluster ? cluster.members.map((member) => `${member.name}=${member.peerUrl}`).join(',') : `${settings.memberName}=${settings.peerUrl}`;
    await context.transport.check(this.host, ['rm', '-rf', '--', this.restored]);
    // Bumping the revision and marking it compacted makes watchers relist instead of missing changes (etcd ≥ 3.5.13).
    // Every member bumps by the same amount from the same snapshot, so they agree on the revision.
    await context.transport.check(
      this.host,
      [
        'etcdutl', 'snapshot', 'restore', this.snapshot,
        `--data-dir=${this.restored}`,
        `--name=${settings.memberName}`,
        `--initial-cluster=${initialCluster}`,
        ...(cluster ? [`--initial-cluster-token=${cluster.token}`] : []),
        `--initial-advertise-peer-urls=${settings.peerUrl}`,
        '--bump-revision=1000000000',
        '--mark-compacted',
      ],
      { timeoutMs: 120_000 },
    );
    this.prepared = true;
  }

  async inject(context: FaultContext): Promise<void> {
    const { settings } = this;
    if (!this.prepared) await this.prepare(context);
    await context.transport.check(this.host, ['mv', '--', settings.dataDir, this.previous]);
    await context.transport.check(this.host, ['mv', '--', this.restored, settings.dataDir]);
  }
}

/** Only a half-done swap (no data dir, the previous one kept) is undone; a completed restore is left in place. */
export const restoreEtcdData: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const dataDir = String(undo.dataDir);
  const previous = String(undo.previous);
  if (context.dryRun) return;
  const present = await context.transport.run(host, ['test', '-d', dataDir]);
  if (present.code === 0) return;
  const moved = await context.transport.run(host, ['mv', '--', previous, dataDir]);
  if (moved.code !== 0) throw new RestoreError(`etcd data dir ${dataDir} on ${host.name}`, sshCommand(host, ['mv', '--', previous, dataDir]), `mv failed (exit ${moved.code}): ${moved.stderr.trim()}`);
};
