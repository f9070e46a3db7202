// The restore journal: an fsync'd, append-only file per cluster of what to undo, read again after a crash.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

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
}

type Line = { op: 'pending'; entry: JournalEntry } | { op: 'restored'; id: string; at: string };

export function defaultJournalDir(): string {
  return resolve(process.env.FIREDRILL_JOURNAL_DIR ?? join(homedir(), '.local', 'state', 'kube-firedrill', 'journal'));
}

export class Journal {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /** One journal per target cluster, named after its profile. */
  static forProfile(profileName: string, dir = defaultJournalDir()): Journal {
    return new Journal(join(dir, `${profileName.replace(/[^\w.-]/g, '_')}.jsonl`));
  }

  private append(line: Line): void {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(line) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Recorded and on disk before the fault acts. */
  recordPending(entry: JournalEntry): void {
    this.append({ op: 'pending', entry });
  }

  markRestored(id: string): void {
    this.append({ op: 'restored', id, at: new Date().toISOString() });
  }

  /** Entries recorded and not yet restored, oldest first. A torn last line (crash mid-write) is ignored. */
  pending(): JournalEntry[] {
    if (!existsSync(this.file)) return [];
    const entries = new Map<string, JournalEntry>();
    for (const text of readFileSync(this.file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue;
      }
      if (line.op === 'pending') entries.set(line.entry.id, line.entry);
      else entries.delete(line.id);
    }
    return [...entries.values()];
  }

  /** Rewrites the file with only the pending entries (atomically: a new file, fsync'd, renamed over the old one). */
  compact(): void {
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
  }
}
