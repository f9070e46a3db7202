// The restore journal: an fsync'd, append-only file per cluster of what to undo, read again after a crash; each entry
// is also copied to the target's own hosts (a JournalMirror) so another machine can restore it.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fsyncDir } from './fsync-dir.ts';
import { JournalLock, processAlive } from './journal-lock.ts';

/** How to undo one fault, as plain data, so a later run can restore it without the code that injected it. */
export interface UndoRecord {
  type: string;
  [key: string]: unknown;
}

export interface JournalEntry {
  id: string;
  drill: string;
  fault: string;
  undo: UndoRecord;
  recordedAt: string;
  /** The manual fix shown if this restore cannot be done automatically. */
  manualFix: string;
  /** The cluster it was recorded on (kube-system UID): it is never restored on another cluster. Stamped by the journal. */
  cluster?: { uid: string; server?: string };
  /** The run that recorded it. Stamped by the journal. */
  runner?: { runId: string; pid: number; hostname: string };
}

export type JournalLine = { op: 'pending'; entry: JournalEntry } | { op: 'restored'; id: string; at: string };

/** The target's copy of the journal (a file on the control-plane hosts), written before a fault acts. */
export interface JournalMirror {
  /** Where the copy is, for messages: "control-plane:/var/lib/kube-firedrill/journal/<uid>.jsonl". */
  readonly where: string;
  /** Appends one line, durably; rejects if no copy could be written. */
  append(line: string): Promise<void>;
  /** The copy's lines (empty if it does not exist yet), and a warning per copy that could not be read. */
  read(): Promise<{ text: string; warnings: string[] }>;
}

export interface JournalOptions {
  /** The cluster this journal acts on; entries recorded for another cluster UID are not restored. */
  identity?: { uid: string; server?: string };
  mirror?: JournalMirror;
  /** Where a mirror failure that does not stop the run is reported (e.g. marking restored on the target). */
  warn?: (line: string) => void;
}

/** What a restore should do, merged from the local journal and the target's copy. */
export interface PendingView {
  /** To restore, oldest first. */
  entries: JournalEntry[];
  /** Pending, but not to restore here: another cluster's, or a live run's. Each with the reason, in words. */
  skipped: { entry: JournalEntry; reason: string }[];
  /** Where the entries were read from. */
  sources: string[];
  warnings: string[];
}

export function defaultJournalDir(): string {
  return resolve(process.env.FIREDRILL_JOURNAL_DIR ?? join(homedir(), '.local', 'state', 'kube-firedrill', 'journal'));
}

const fallbackRunId = randomUUID().slice(0, 8);
/** This run's id, as the journal stamps it on each entry (and the drills mark the objects they change with). */
export const currentRunId = () => process.env.FIREDRILL_RUN_ID ?? `pid-${process.pid}-${fallbackRunId}`;

/** One lock per journal file per process, shared by every Journal object on that file. */
const locks = new Map<string, JournalLock>();

/** Parses journal lines into pending entries (a 'restored' line from any copy wins); a torn line is ignored. */
export function pendingFromLines(...texts: string[]): JournalEntry[] {
  const entries = new Map<string, JournalEntry>();
  const restored = new Set<string>();
  for (const text of texts) {
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let line: JournalLine;
      try {
        line = JSON.parse(raw) as JournalLine;
      } catch {
        continue;
      }
      if (line.op === 'pending' && line.entry?.id && !entries.has(line.entry.id)) entries.set(line.entry.id, line.entry);
      else if (line.op === 'restored') restored.add(line.id);
    }
  }
  return [...entries.values()].filter((entry) => !restored.has(entry.id)).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

export class Journal {
  private readonly lock: JournalLock;

  constructor(
    readonly file: string,
    private readonly options: JournalOptions = {},
  ) {
    const dir = dirname(file);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      fsyncDir(dirname(dir));
    }
    const lockFile = `${file}.lock`;
    if (!locks.has(lockFile)) locks.set(lockFile, new JournalLock(lockFile, currentRunId));
    this.lock = locks.get(lockFile) as JournalLock;
  }

  /** One journal per target cluster, named after its profile. */
  static forProfile(profileName: string, dir = defaultJournalDir(), options: JournalOptions = {}): Journal {
    return new Journal(join(dir, `${profileName.replace(/[^\w.-]/g, '_')}.jsonl`), options);
  }

  get mirror(): JournalMirror | undefined {
    return this.options.mirror;
  }

  /** Takes this machine's lock on the journal; throws JournalLockedError while another live run holds it. */
  acquire(): void {
    this.lock.acquire();
  }

  release(): void {
    this.lock.release();
  }

  private append(line: JournalLine): string {
    const text = JSON.stringify(line);
    const created = !existsSync(this.file);
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, text + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (created) fsyncDir(dirname(this.file));
    return text;
  }

  /**
   * Recorded and on disk, here and on the target, before the fault acts. If the target's copy cannot be written the
   * entry is withdrawn and this rejects: the fault must not act.
   */
  async recordPending(entry: JournalEntry): Promise<void> {
    this.acquire();
    const stamped: JournalEntry = {
      ...entry,
      cluster: entry.cluster ?? this.options.identity,
      runner: entry.runner ?? { runId: currentRunId(), pid: process.pid, hostname: hostname() },
    };
    const text = this.append({ op: 'pending', entry: stamped });
    if (!this.options.mirror) return;
    try {
      await this.options.mirror.append(text);
    } catch (error) {
      this.append({ op: 'restored', id: entry.id, at: new Date().toISOString() });
      throw new Error(
        `could not copy the undo record of "${entry.fault}" to the target's journal (${this.options.mirror.where}): ${(error as Error).message}. ` +
          'The fault was not injected.',
        { cause: error },
      );
    }
  }

  /** Marks an entry restored here and on the target; a target that cannot be written only warns (never rejects). */
  async markRestored(id: string): Promise<void> {
    this.acquire();
    const text = this.append({ op: 'restored', id, at: new Date().toISOString() });
    if (!this.options.mirror) return;
    try {
      await this.options.mirror.append(text);
    } catch (error) {
      this.options.warn?.(
        `restored, but could not mark it restored in the target's journal (${this.options.mirror.where}): ${(error as Error).message}; ` +
          'a later restore will find the fault already undone',
      );
    }
  }

  /** Entries recorded in this machine's journal and not yet restored, oldest first. A torn line (crash mid-write) is ignored. */
  pending(): JournalEntry[] {
    return existsSync(this.file) ? pendingFromLines(readFileSync(this.file, 'utf8')) : [];
  }

  /**
   * What to restore: the local journal and the target's copy merged by entry id (restored in either counts), less the
   * entries recorded on another cluster and those of another run still alive on this machine.
   */
  async pendingEverywhere(): Promise<PendingView> {
    const local = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
    const sources = [this.file];
    const warnings: string[] = [];
    let remote = '';
    if (this.options.mirror) {
      const read = await this.options.mirror.read();
      remote = read.text;
      warnings.push(...read.warnings);
      sources.push(this.options.mirror.where);
    }
    const view: PendingView = { entries: [], skipped: [], sources, warnings };
    const uid = this.options.identity?.uid;
    for (const entry of pendingFromLines(local, remote)) {
      const what = `"${entry.fault}" (drill ${entry.drill}, recorded ${entry.recordedAt})`;
      const runner = entry.runner;
      if (uid && entry.cluster && entry.cluster.uid !== uid) {
        view.skipped.push({
          entry,
          reason:
            `not restoring ${what}: it was recorded on another cluster (kube-system UID ${entry.cluster.uid}${entry.cluster.server ? `, ${entry.cluster.server}` : ''}), ` +
            `and this profile now reaches cluster ${uid}${this.options.identity?.server ? ` (${this.options.identity.server})` : ''}. ` +
            `It stays in ${this.file}: restore it with a profile that reaches that cluster.`,
        });
      } else if (runner && runner.pid !== process.pid && runner.hostname === hostname() && processAlive(runner.pid)) {
        view.skipped.push({ entry, reason: `not restoring ${what}: its run (${runner.runId}, pid ${runner.pid}) is still alive and restores it itself` });
      } else {
        view.entries.push(entry);
      }
    }
    return view;
  }

  /**
   * Rewrites the file with only the pending entries (atomically: a new file, fsync'd, renamed over the old one, the
   * folder fsync'd). Done under the lock: every writer holds it, so no entry can be appended meanwhile and lost.
   */
  compact(): void {
    this.acquire();
    if (!existsSync(this.file)) return;
    const pending = this.pending();
    const next = `${this.file}.compact`;
    const fd = openSync(next, 'w', 0o600);
    try {
      for (const entry of pending) writeSync(fd, JSON.stringify({ op: 'pending', entry }) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(next, this.file);
    fsyncDir(dirname(this.file));
  }
}
