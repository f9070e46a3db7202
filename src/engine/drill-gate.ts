// An optional check right before each drill starts (a game day's gate): it says why the drill must not run, if it must not.
import type { DrillMeta } from './run-events.ts';

export type DrillGate = (meta: DrillMeta) => Promise<string | undefined>;

let gate: DrillGate | undefined;

/** Installs the gate (undefined removes it); drills started afterwards pass it first. */
export function setDrillGate(next: DrillGate | undefined): void {
  gate = next;
}

/** Why the drill must not run, or undefined; a gate that throws keeps the drill from running, with its error. */
export async function passDrillGate(meta: DrillMeta): Promise<string | undefined> {
  if (!gate) return undefined;
  return gate(meta).catch((error: Error) => `the gate could not be checked: ${error.message}`);
}
