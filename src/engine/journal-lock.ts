// One live run per journal on a machine: a lock file created with O_EXCL holding the runner's pid, host and run id.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { fsyncDir } from './fsync-dir.ts';

export interface LockHolder {
  pid: number;
  hostname: string;
  runId: string;
  since: string;
}

/** Another live process holds the journal: its restores are its own. */
export class JournalLockedError extends Error {
  readonly code = 'JOURNAL_LOCKED';
  readonly exitCode = 4;
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.hostname === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.hostname}`;
    super(
      `another run (${where}, run ${holder.runId}, since ${holder.since}) holds the journal lock ${lockFile}: ` +
        'it restores its own faults. Wait for it to end; if it hangs, stop it (kill ' +
        `${holder.pid}${holder.hostname === hostname() ? '' : ` on ${holder.hostname}`}) and run \`npm run restore\`. Nothing was changed.`,
    );
    this.name = 'JournalLockedError';
  }
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.hostname === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Locks this process holds, released when it exits (one listener for all of them). */
const held = new Set<JournalLock>();
let exitHookInstalled = false;
function releaseOnExit(lock: JournalLock): void {
  held.add(lock);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => [...held].forEach((each) => each.release()));
}

const sameHolder = (a: LockHolder | undefined, b: LockHolder | undefined) =>
  a?.pid === b?.pid && a?.hostname === b?.hostname && a?.since === b?.since;

/**
 * The lock of one journal file, re-entrant within a process. A lock left by a process that died (kill -9) on this
 * machine is taken over; one held by a live process, or by another machine (a shared folder), is not.
 */
export class JournalLock {
  private held = false;

  constructor(
    readonly file: string,
    private readonly runId: () => string,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes the lock (or confirms this process has it); throws JournalLockedError if a live process holds it. */
  acquire(): void {
    if (this.held) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      const me: LockHolder = { pid: process.pid, hostname: hostname(), runId: this.runId(), since: new Date().toISOString() };
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        try {
          writeSync(fd, JSON.stringify(me) + '\n');
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        fsyncDir(dirname(this.file));
        this.held = true;
        releaseOnExit(this);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(this.file);
      if (holder && holder.hostname === me.hostname && holder.pid === process.pid) {
        this.held = true; // left by this same process
        releaseOnExit(this);
        return;
      }
      if (holder && (holder.hostname !== me.hostname || processAlive(holder.pid))) throw new JournalLockedError(this.file, holder);
      // The holder died (or the file is torn): set its lock aside, unless someone took it over meanwhile.
      const aside = `${this.file}.stale-${process.pid}`;
      try {
        renameSync(this.file, aside);
      } catch {
        continue;
      }
      const moved = readHolder(aside);
      if (holder && moved && !sameHolder(holder, moved)) {
        // A live process replaced the stale lock between our read and our rename: give its lock back.
        renameSync(aside, this.file);
        throw new JournalLockedError(this.file, moved);
      }
      rmSync(aside, { force: true });
    }
    throw new Error(`could not take the journal lock ${this.file} (it keeps changing hands); try again`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    held.delete(this);
    const holder = readHolder(this.file);
    if (holder?.pid === process.pid && holder.hostname === hostname()) rmSync(this.file, { force: true });
  }
}
