// The lock file on the first control-plane host, over SSH with the host's sudo: created only if absent (noclobber),
// read by a second runner, removed only by the run that wrote it.
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { Transport } from '../transport/transport.ts';

/** Exit code of the create script when the file already exists (it then prints the file). */
const EXISTS = 75;

const CREATE = `mkdir -p "$(dirname "$1")" || exit 1
if ( set -C; printf '%s\\n' "$2" > "$1" ) 2>/dev/null; then exit 0; fi
[ -e "$1" ] || exit 1
cat "$1"; exit ${EXISTS}`;
const READ = '[ -e "$1" ] || exit 0; cat "$1"';
/** Removes the file only if it still holds the given text (the run's own, or the stale holder's being broken). */
const REMOVE_IF = '[ -e "$1" ] || exit 0; [ "$(cat "$1")" = "$2" ] || exit 3; rm -f "$1"';

export type CreateOutcome = { created: true } | { created: false; existing: string };

export class LockFile {
  constructor(
    private readonly transport: Transport,
    readonly host: ProfileHost,
    readonly path: string,
  ) {}

  private async script(script: string, args: string[]) {
    return this.transport.run(this.host, ['sh', '-c', script, 'sh', this.path, ...args], { timeoutMs: 15_000 });
  }

  private fail(what: string, result: { code: number; stderr: string }): Error {
    return new Error(`${what} ${this.path} on ${this.host.name} failed (exit ${result.code}): ${result.stderr.trim().slice(0, 300) || 'no output'}`);
  }

  /** Content of the lock file, or undefined when there is none. */
  async read(): Promise<string | undefined> {
    const result = await this.script(READ, []);
    if (result.code !== 0) throw this.fail('reading the lock file', result);
    const text = result.stdout.trim();
    return text === '' ? undefined : text;
  }

  async create(content: string): Promise<CreateOutcome> {
    const result = await this.script(CREATE, [content]);
    if (result.code === 0) return { created: true };
    if (result.code === EXISTS) return { created: false, existing: result.stdout.trim() };
    const error = this.fail('creating the lock file', result);
    error.message += `; the SSH user (with the host's sudo setting) must be able to create it, or set cluster.lockFile to a path it can write`;
    throw error;
  }

  /** Removes the file if it holds exactly `content`; returns false if it holds something else. */
  async removeIf(content: string): Promise<boolean> {
    const result = await this.script(REMOVE_IF, [content]);
    if (result.code === 0) return true;
    if (result.code === 3) return false;
    throw this.fail('removing the lock file', result);
  }
}
