// A fault made of several that are undone together, at the same time: etcd members, which only come back healthy
// once a quorum of them runs, so restoring them one by one would wait on each in vain.
import type { UndoRecord } from '../engine/journal.ts';
import type { Fault, FaultContext } from './fault.ts';

export class TogetherFault implements Fault {
  readonly description: string;

  constructor(
    readonly name: string,
    readonly parts: Fault[],
  ) {
    if (parts.length === 0) throw new Error(`${name}: no faults to group`);
    this.description = `${parts.map((part) => part.description).join('; ')} (restored together)`;
  }

  /** The longest of its parts' restore deadlines: they run at the same time. */
  get restoreTimeoutMs(): number | undefined {
    const own = this.parts.map((part) => part.restoreTimeoutMs);
    return own.every((ms) => ms !== undefined) ? Math.max(...own) : undefined;
  }

  async preflight(context: FaultContext): Promise<void> {
    for (const part of this.parts) await part.preflight(context);
  }

  undo(): UndoRecord {
    return { type: 'together', parts: this.parts.map((part) => (part.restoreTimeoutMs ? { ...part.undo(), restoreTimeoutMs: part.restoreTimeoutMs } : part.undo())) };
  }

  manualFix(): string {
    return this.parts.map((part) => part.manualFix()).join(' ; ');
  }

  /** One part after the other; the undo covers every part, and each part's restore tolerates a part never injected. */
  async inject(context: FaultContext): Promise<void> {
    for (const part of this.parts) await part.inject(context);
  }
}

/** The parts of a `together` undo record; throws naming what is wrong with a malformed one. */
export function partsOf(undo: UndoRecord): UndoRecord[] {
  const parts = undo.parts;
  if (!Array.isArray(parts) || parts.length === 0 || !parts.every((part) => typeof part === 'object' && part !== null && typeof (part as UndoRecord).type === 'string')) {
    throw new Error('undo record "together" needs parts: a non-empty list of undo records');
  }
  return parts as UndoRecord[];
}

/** Restores every part at the same time; waits for all, then throws the first failure (or an AggregateError). */
export async function restoreTogether(undo: UndoRecord, context: FaultContext, restoreOne: (part: UndoRecord, context: FaultContext) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(partsOf(undo).map((part) => restoreOne(part, context)));
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} of ${results.length} restores done together failed: ${errors.map((error) => error.message).join('; ')}`);
}
