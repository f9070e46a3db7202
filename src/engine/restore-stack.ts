// The restores a drill owes, drained in reverse order, past failures, exactly once each.
import type { FaultContext } from '../faults/fault.ts';
import { restoreUndo } from '../faults/restorers.ts';
import { RestoreError } from './errors.ts';
import type { Journal, JournalEntry } from './journal.ts';
import { emitRunEvent } from './run-events.ts';

export class RestoreStack {
  private readonly entries: JournalEntry[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly journal: Journal | undefined,
    private readonly context: FaultContext,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  push(entry: JournalEntry): void {
    this.entries.push(entry);
  }

  /**
   * Restores everything (or the entries `only` selects), newest first; keeps going past a failure and throws the
   * first (or an AggregateError). Concurrent calls (teardown racing a signal) share one drain.
   */
  drain(only?: (entry: JournalEntry) => boolean): Promise<void> {
    this.draining ??= this.drainOnce(only).finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainOnce(only: (entry: JournalEntry) => boolean = () => true): Promise<void> {
    const errors: Error[] = [];
    for (const entry of [...this.entries].reverse()) {
      if (!only(entry)) continue;
      this.entries.splice(this.entries.indexOf(entry), 1);
      try {
        await restoreUndo(entry.undo, this.context);
        await this.journal?.markRestored(entry.id);
        emitRunEvent({ kind: 'fault-restored', drill: entry.drill, fault: entry.fault, ok: true });
      } catch (error) {
        const failure = error instanceof RestoreError ? error : new RestoreError(entry.fault, entry.manualFix, (error as Error).message, { cause: error });
        errors.push(failure);
        // Kept (here and in the journal): the teardown tries once more, and `npm run restore` can finish it.
        this.entries.unshift(entry);
        emitRunEvent({ kind: 'fault-restored', drill: entry.drill, fault: entry.fault, ok: false, error: failure.message, manualFix: failure.manualFix });
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, errors.map((error) => error.message).join('\n'));
  }
}
