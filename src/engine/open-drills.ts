// Every drill of this run that was opened and may still owe restores, and whether the run must stop.
import type { JournalEntry } from './journal.ts';

/** What the registry needs of a drill: its name, what it owes, and a full drain of it. */
export interface OwingDrill {
  readonly meta: { name: string };
  readonly owedEntries: JournalEntry[];
  restore(): Promise<void>;
}

const open = new Set<OwingDrill>();
let stopReason: string | undefined;

export function openDrill(drill: OwingDrill): void {
  open.add(drill);
}

/** Forgets a drill once it owes nothing; one that still owes stays, for the safety net and the signal handler. */
export function releaseDrill(drill: OwingDrill): void {
  if (drill.owedEntries.length === 0) open.delete(drill);
}

export function openDrills(): OwingDrill[] {
  return [...open];
}

/** Everything this run injected and has not restored, with the drill that owes it. */
export function owedRestores(): JournalEntry[] {
  return [...open].flatMap((drill) => drill.owedEntries);
}

/**
 * Drains every open drill, the latest opened first, each completely (waiting for restores already in progress);
 * returns the failures. Drills that owe nothing any more are forgotten.
 */
export async function drainOpenDrills(): Promise<Error[]> {
  const errors: Error[] = [];
  for (const drill of [...open].reverse()) {
    await drill.restore().catch((error: Error) => errors.push(error));
    releaseDrill(drill);
  }
  return errors;
}

/** Stops the run: drills that have not started yet are reported as not run, with this reason. The first reason wins. */
export function stopRun(reason: string): void {
  stopReason ??= reason;
}

export function runStopReason(): string | undefined {
  return stopReason;
}

/** For tests: forgets every drill and the stop reason. */
export function resetOpenDrills(): void {
  open.clear();
  stopReason = undefined;
}
