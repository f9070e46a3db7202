// etcd backup and restore on the control-plane host: snapshot save (etcdctl), and a journaled data-dir swap (etcdutl).
import { dirname, join } from 'node:path';
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { requireOnHost, sshCommand } from './remote.ts';

export type EtcdSnapshotSettings = NonNullable<ClusterProfile['etcdSnapshot']>;

export function etcdSnapshotSettings(profile: ClusterProfile): EtcdSnapshotSettings {
  if (!profile.etcdSnapshot) throw new Error(`profile ${profile.name} has no etcdSnapshot section (endpoint, certificates, dataDir, memberName, peerUrl)`);
  return profile.etcdSnapshot;
}

/** Takes a snapshot with etcdctl into the backup folder beside the data dir; returns its path. */
export async function saveSnapshot(context: FaultContext, host: ProfileHost, settings: EtcdSnapshotSettings): Promise<string> {
  const file = join(dirname(settings.dataDir), 'firedrill-backup', `etcd-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
  await context.transport.check(host, ['mkdir', '-p', '--', dirname(file)]);
  const tls = [`--endpoints=${settings.endpoint}`, `--cacert=${settings.caFile}`, `--cert=${settings.certFile}`, `--key=${settings.keyFile}`];
  await context.transport.check(host, ['etcdctl', ...tls, 'snapshot', 'save', file], { timeoutMs: 120_000 });
  return file;
}

/**
 * Replaces etcd's data dir with one restored from a snapshot (etcd must be stopped). The old data dir is kept beside
 * it; the undo puts it back only if the swap was left half done, so a completed restore stays restored.
 */
export class EtcdDataRestoreFault implements Fault {
  readonly name: string;
  readonly description: string;
  readonly previous: string;
  private readonly restored: string;

  constructor(
    readonly host: ProfileHost,
    readonly settings: EtcdSnapshotSettings,
    readonly snapshot: string,
  ) {
    // Kept after the drill as a safety net (remove it once the cluster is fine); timestamped so drills can repeat.
    this.previous = `${settings.dataDir}.firedrill-previous-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    this.restored = `${settings.dataDir}.firedrill-restored`;
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

  async inject(context: FaultContext): Promise<void> {
    const { settings } = this;
    await context.transport.check(this.host, ['rm', '-rf', '--', this.restored]);
    // Bumping the revision and marking it compacted makes watchers relist instead of missing changes (etcd ≥ 3.5.13).
    await context.transport.check(
      this.host,
      [
        'etcdutl', 'snapshot', 'restore', this.snapshot,
        `--data-dir=${this.restored}`,
        `--name=${settings.memberName}`,
        `--initial-cluster=${settings.memberName}=${settings.peerUrl}`,
        `--initial-advertise-peer-urls=${settings.peerUrl}`,
        '--bump-revision=1000000000',
        '--mark-compacted',
      ],
      { timeoutMs: 120_000 },
    );
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
