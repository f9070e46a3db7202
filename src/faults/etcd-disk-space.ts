// Free disk space for an etcd snapshot and a restored data dir, checked on the host with df before anything is written.
import { dirname, join } from 'node:path';
import { PreflightError } from '../engine/errors.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { EtcdSnapshotSettings } from './etcd-snapshot.ts';
import type { FaultContext } from './fault.ts';

const MIB = 1024 * 1024;
/** etcdutl snapshot restore writes a fresh WAL, whose first segment is preallocated at 64 MiB. */
const WAL_SEGMENT_BYTES = 64 * MIB;

/** Prints the db file's size, then one df line per path (the nearest existing folder for a path not yet created). */
const SCRIPT = [
  'stat -c %s "$1" || exit 90',
  'shift',
  'for p in "$@"; do while [ ! -e "$p" ]; do p=$(dirname "$p"); done; df -P -k "$p" | tail -n 1; done',
].join('; ');

export const snapshotFolder = (settings: EtcdSnapshotSettings) => join(dirname(settings.dataDir), 'firedrill-backup');
export const restoredDataDir = (settings: EtcdSnapshotSettings) => `${settings.dataDir}.firedrill-restored`;

const mib = (bytes: number) => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;

/**
 * Requires room for a snapshot of the current db (in the snapshot folder) and a restored data dir (the db again plus
 * a WAL segment, beside the data dir), plus etcdSnapshot.freeSpaceMarginMiB, on each filesystem involved.
 */
export async function requireEtcdDiskSpace(context: FaultContext, fault: string, host: ProfileHost, settings: EtcdSnapshotSettings): Promise<void> {
  const db = join(settings.dataDir, 'member', 'snap', 'db');
  const paths = [snapshotFolder(settings), restoredDataDir(settings)];
  const fail = (message: string, cause?: unknown) => new PreflightError(fault, host.name, message, { cause });
  const result = await context.transport.run(host, ['sh', '-c', SCRIPT, 'sh', db, ...paths], { signal: context.signal, timeoutMs: 15_000 }).catch((error: Error) => {
    throw fail(error.message, error);
  });
  if (context.dryRun) return;
  if (result.code === 90) throw fail(`the etcd db ${db} must exist to size the snapshot (stat: ${result.stderr.trim().slice(0, 200)})`);
  const lines = result.stdout.trim().split('\n');
  const dbBytes = Number(lines[0]);
  const df = lines.slice(1).map((line) => line.trim().split(/\s+/));
  if (result.code !== 0 || !Number.isFinite(dbBytes) || df.length !== paths.length || df.some((fields) => fields.length < 6 || !/^\d+$/.test(fields[3]!))) {
    throw fail(`cannot read free disk space with df (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
  }
  const margin = settings.freeSpaceMarginMiB * MIB;
  const needs = [
    { path: paths[0]!, bytes: dbBytes, what: `a snapshot of the current db (${mib(dbBytes)})` },
    { path: paths[1]!, bytes: dbBytes + WAL_SEGMENT_BYTES, what: `a restored data dir (${mib(dbBytes)} + a ${mib(WAL_SEGMENT_BYTES)} WAL segment)` },
  ];
  const byMount = new Map<string, { free: number; needs: typeof needs }>();
  needs.forEach((need, index) => {
    const fields = df[index]!;
    const mount = fields.slice(5).join(' ');
    const entry = byMount.get(mount) ?? { free: Number(fields[3]) * 1024, needs: [] };
    entry.needs.push(need);
    byMount.set(mount, entry);
  });
  for (const [mount, { free, needs: here }] of byMount) {
    const total = here.reduce((sum, need) => sum + need.bytes, 0) + margin;
    if (free >= total) continue;
    const parts = here.map((need) => `${need.what} in ${need.path}`).join(' and ');
    throw fail(
      `not enough free disk space on ${mount} for ${parts}, plus a margin of ${mib(margin)} (etcdSnapshot.freeSpaceMarginMiB): ` +
        `needs ${mib(total)}, ${mib(free)} free. Free some space or move the data dir's parent to a larger disk`,
    );
  }
}
