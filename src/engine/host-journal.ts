// The target's copy of the journal: one file per cluster on each control-plane host, appended and fsync'd over SSH
// (with sudo if the profile says so), readable while the API server is down.
import { posix } from 'node:path';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { Transport } from '../transport/transport.ts';
import type { JournalMirror } from './journal.ts';

const TIMEOUT_MS = 15_000;

/** Appends $3 as a line to $2 in folder $1 and fsyncs it (and the folder, when the file is new). */
const APPEND =
  'umask 077; mkdir -p "$1" || exit 3; new=0; test -e "$2" || new=1; ' +
  'printf "%s\\n" "$3" >> "$2" || exit 4; sync "$2" || exit 5; if [ $new = 1 ]; then sync "$1" || exit 5; fi';
/** Prints $1 if it exists; nothing if it does not. */
const READ = 'test -e "$1" || exit 0; cat "$1"';

export class HostJournal implements JournalMirror {
  readonly file: string;
  readonly where: string;

  constructor(
    private readonly transport: Transport,
    private readonly hosts: ProfileHost[],
    readonly dir: string,
    clusterUid: string,
  ) {
    this.file = posix.join(dir, `${clusterUid.replace(/[^\w.-]/g, '_')}.jsonl`);
    this.where = hosts.length ? hosts.map((host) => `${host.name}:${this.file}`).join(', ') : `no control-plane host (${this.file})`;
  }

  /** Written on every control-plane host that answers; rejects, naming each host's failure, if none could be written. */
  async append(line: string): Promise<void> {
    if (this.hosts.length === 0) throw new Error('the profile lists no control-plane host to keep the journal copy on');
    const results = await Promise.all(
      this.hosts.map(async (host) => {
        try {
          const result = await this.transport.run(host, ['sh', '-c', APPEND, 'sh', this.dir, this.file, line], { timeoutMs: TIMEOUT_MS });
          return result.code === 0 ? undefined : `${host.name}: exit ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim().slice(0, 200)}` : ''}`;
        } catch (error) {
          return `${host.name}: ${(error as Error).message}`;
        }
      }),
    );
    const failures = results.filter((failure): failure is string => failure !== undefined);
    if (failures.length === this.hosts.length) throw new Error(`could not write ${this.file} (${failures.join('; ')})`);
  }

  async read(): Promise<{ text: string; warnings: string[] }> {
    const warnings: string[] = [];
    const texts = await Promise.all(
      this.hosts.map(async (host) => {
        try {
          const result = await this.transport.run(host, ['sh', '-c', READ, 'sh', this.file], { timeoutMs: TIMEOUT_MS });
          if (result.code === 0) return result.stdout;
          warnings.push(`could not read the journal copy ${host.name}:${this.file} (exit ${result.code}: ${result.stderr.trim().slice(0, 200)})`);
        } catch (error) {
          warnings.push(`could not read the journal copy ${host.name}:${this.file}: ${(error as Error).message}`);
        }
        return '';
      }),
    );
    return { text: texts.join('\n'), warnings };
  }
}
