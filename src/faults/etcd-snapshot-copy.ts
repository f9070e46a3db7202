// Copies an etcd snapshot from one host to another through the runner (no SSH between the hosts needed), journaled:
// its restore removes the copy once that host's etcd member is back and healthy.
import { basename, dirname, join } from 'node:path';
import type { UndoRecord } from '../engine/journal.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import { requireEtcdDiskSpace, snapshotFolder } from './etcd-disk-space.ts';
import type { EtcdSnapshotSettings } from './etcd-snapshot.ts';
import type { Fault, FaultContext } from './fault.ts';
import { requireOnHost, sshCommand } from './remote.ts';

/** Copied in chunks of this many MiB, base64 on the wire: a large snapshot never sits whole in the runner's memory. */
const CHUNK_MIB = 8;
const CHUNK_TIMEOUT_MS = 120_000;

/** Reads `count` MiB of file $1 from MiB $2 on, as base64 on one line. */
const READ_CHUNK = 'dd if="$1" bs=1048576 skip="$2" count="$3" status=none | base64 -w 0';
/** Appends base64 from stdin, decoded, to file $1. */
const APPEND_CHUNK = 'base64 -d >> "$1"';

const tools = (what: string) => ({ argv: ['sh', '-c', 'command -v dd && command -v base64 && command -v sha256sum && command -v stat'], what: `dd, base64, sha256sum and stat must be installed (${what})` });

export class EtcdSnapshotCopy implements Fault {
  readonly name: string;
  readonly description: string;
  /** Where the copy goes: the backup folder beside the data dir of the member on `host`. */
  readonly file: string;

  constructor(
    readonly from: ProfileHost,
    readonly source: string,
    readonly host: ProfileHost,
    /** The settings of the member on `host` (its data dir and client URL). */
    readonly settings: EtcdSnapshotSettings,
  ) {
    this.file = join(snapshotFolder(settings), basename(source));
    this.name = `copy the etcd snapshot to ${host.name}`;
    this.description = `copy ${from.name}:${source} to ${host.name}:${this.file} (checked with sha256sum); restore: remove the copy`;
  }

  async preflight(context: FaultContext): Promise<void> {
    await requireOnHost(context, this.name, this.from, tools('to read the snapshot'));
    await requireOnHost(
      context,
      this.name,
      this.host,
      { argv: ['test', '-d', this.settings.dataDir], what: `the data dir ${this.settings.dataDir} must exist` },
      tools('to write the copy'),
      { argv: ['sh', '-c', 'command -v etcdutl'], what: 'etcdutl must be installed on the host' },
    );
    // The same room as where the snapshot is saved: the copy, and the data dir restored from it.
    await requireEtcdDiskSpace(context, this.name, this.host, this.settings);
  }

  undo(): UndoRecord {
    return { type: 'etcd-snapshot-remove', host: this.host.name, file: this.file, dataDir: this.settings.dataDir, endpoint: this.settings.endpoint };
  }

  manualFix(): string {
    return sshCommand(this.host, ['rm', '-f', '--', this.file]);
  }

  async inject(context: FaultContext): Promise<void> {
    const size = Number((await context.transport.check(this.from, ['stat', '-c', '%s', '--', this.source])).stdout.trim());
    if (!Number.isFinite(size)) throw new Error(`${this.name}: cannot read the size of ${this.from.name}:${this.source}`);
    await context.transport.check(this.host, ['mkdir', '-p', '--', dirname(this.file)]);
    await context.transport.check(this.host, ['sh', '-c', ': > "$1"', 'sh', this.file]);
    const chunks = Math.max(1, Math.ceil(size / (CHUNK_MIB * 1024 * 1024)));
    for (let chunk = 0; chunk < chunks; chunk++) {
      const read = await context.transport.check(this.from, ['sh', '-c', READ_CHUNK, 'sh', this.source, String(chunk * CHUNK_MIB), String(CHUNK_MIB)], { timeoutMs: CHUNK_TIMEOUT_MS });
      await context.transport.check(this.host, ['sh', '-c', APPEND_CHUNK, 'sh', this.file], { timeoutMs: CHUNK_TIMEOUT_MS, stdin: read.stdout });
    }
    const sum = async (host: ProfileHost, file: string) => (await context.transport.check(host, ['sha256sum', '--', file], { timeoutMs: CHUNK_TIMEOUT_MS })).stdout.split(' ')[0];
    const [original, copy] = [await sum(this.from, this.source), await sum(this.host, this.file)];
    if (original !== copy) throw new Error(`${this.name}: the copy ${this.host.name}:${this.file} differs from ${this.from.name}:${this.source} (sha256 ${copy} vs ${original})`);
  }
}
