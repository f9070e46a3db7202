// The restores a drill owes: an entry is owed until its restore has settled; restores run one at a time, newest first.
import type { FaultContext } from '../faults/fault.ts';
import { restoreUndo } from '../faults/restorers.ts';
import { RestoreError } from './errors.ts';
import type { Journal, JournalEntry } from './journal.ts';
import { restoreTimeoutMs } from './restore-deadline.ts';
import { emitRunEvent } from './run-events.ts';

interface Owed {
  entry: JournalEntry;
  /** The fault's inject while it may still be running; settles either way. Its restore waits for it. */
  injecting?: Promise<void>;
}

type Select = (entry: JournalEntry) => boolean;

export class RestoreStack {
  private readonly owed: Owed[] = [];
  /** The one restore running now, whoever asked for it (a step, the teardown, a signal). */
  private current: { owed: Owed; done: Promise<Error | undefined> } | undefined;

  constructor(
    private readonly journal: Journal | undefined,
    private readonly context: FaultContext,
  ) {}

  /** Entries still owed, including one being restored right now. */
  get size(): number {
    return this.owed.length;
  }

  /** What is still owed, oldest first. */
  get entries(): JournalEntry[] {
    return this.owed.map((owed) => owed.entry);
  }

  /** Registers an undo (already journaled). `injecting` is its fault's inject, started right after. */
  push(entry: JournalEntry, injecting?: Promise<unknown>): void {
    this.owed.push({ entry, injecting: injecting?.then(
      () => undefined,
      () => undefined,
    ) });
  }

  /** Whether anything `only` selects is owed. */
  owes(only: Select = () => true): boolean {
    return this.owed.some((owed) => only(owed.entry));
  }

  /** The sum of the deadlines of what `only` selects: the longest a drain of them can take once it runs. */
  budgetMs(only: Select = () => true): number {
    return this.owed.filter((owed) => only(owed.entry)).reduce((sum, owed) => sum + restoreTimeoutMs(owed.entry.undo), 0);
  }

  /**
   * Restores everything (or what `only` selects), newest first, each at most once per call; keeps going past a
   * failure and throws the first (or an AggregateError). Drains that run at the same time (teardown, a signal, a
   * step) share the work: each waits for the restore in progress, whichever drain started it, and counts its result
   * when the entry is one of its own. A full drain returns only when nothing is in progress and every entry has been
   * tried; a filtered one when its own entries have settled.
   */
  async drain(only: Select = () => true): Promise<void> {
    const tried = new Set<Owed>();
    const errors: Error[] = [];
    for (;;) {
      const running = this.current;
      if (running) {
        const error = await running.done;
        if (only(running.owed.entry) && !tried.has(running.owed)) {
          tried.add(running.owed);
          if (error) errors.push(error);
        }
        continue;
      }
      const next = this.owed.findLast((owed) => !tried.has(owed) && only(owed.entry));
      if (!next) break;
      tried.add(next);
      const error = await this.restoreOne(next);
      if (error) errors.push(error);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, errors.map((error) => error.message).join('\n'));
  }

  private restoreOne(owed: Owed): Promise<Error | undefined> {
    const done = this.attempt(owed).finally(() => (this.current = undefined));
    this.current = { owed, done };
    return done;
  }

  /** One restore under its own deadline: first its inject settles, then the restorer runs. Resolves with the failure. */
  private async attempt(owed: Owed): Promise<Error | undefined> {
    const { entry } = owed;
    const limitMs = restoreTimeoutMs(entry.undo);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limitMs);
    const seconds = limitMs < 1000 ? `${limitMs} ms` : `${Math.round(limitMs / 1000)} s`;
    try {
      if (owed.injecting) {
        await bounded(owed.injecting, deadline.signal, `its inject was still running after ${seconds}, so what it changed is unknown`);
        owed.injecting = undefined;
      }
      await bounded(restoreUndo(entry.undo, { ...this.context, signal: deadline.signal }), deadline.signal, `the restore did not finish within its deadline of ${seconds}`);
      await this.journal?.markRestored(entry.id);
      this.owed.splice(this.owed.indexOf(owed), 1);
      emitRunEvent({ kind: 'fault-restored', drill: entry.drill, fault: entry.fault, ok: true });
      return undefined;
    } catch (error) {
      const failure = error instanceof RestoreError ? error : new RestoreError(entry.fault, entry.manualFix, (error as Error).message, { cause: error });
      // Still owed (here and in the journal): the teardown tries once more, and `npm run restore` can finish it.
      emitRunEvent({ kind: 'fault-restored', drill: entry.drill, fault: entry.fault, ok: false, error: failure.message, manualFix: failure.manualFix });
      return failure;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The promise's outcome, or a rejection saying `why` once the deadline's signal aborts. */
function bounded<T>(work: Promise<T>, signal: AbortSignal, why: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(why));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
