// The gate before each drill of a game day: the steady state holds, no restore is pending in the journal, and this
// run still holds the cluster lock. Says what failed, or nothing.
import { clusterLockLost } from '../engine/cluster-lock.ts';
import { STEADY_STATE_TIMEOUT_MS } from '../engine/drill.ts';
import { LEFTOVERS_FIX, LEFTOVERS_HEADING, LeftoversError } from '../engine/drill-leftovers.ts';
import { SteadyStateError, waitForSteadyState } from '../engine/steady-state.ts';
import type { Target } from '../engine/target.ts';

/** Why the steady state does not hold, on one line: each part that failed, each leftover, separated by "; ". */
export function steadyStateReason(error: Error): string {
  if (error instanceof SteadyStateError) return error.parts.map(steadyStateReason).join('; ');
  if (error instanceof LeftoversError) return `${LEFTOVERS_HEADING} ${error.leftovers.join('; ')}; ${LEFTOVERS_FIX}`;
  return error.message.replace(/\s*\n\s*/g, ' ').trim();
}

export async function gateFailure(target: Target): Promise<string | undefined> {
  try {
    await waitForSteadyState(target, STEADY_STATE_TIMEOUT_MS);
  } catch (error) {
    return `the steady state does not hold: ${steadyStateReason(error as Error)}`;
  }
  const pending = await target.journal.pendingEverywhere();
  if (pending.entries.length > 0) {
    return `the journal lists ${pending.entries.length} restore(s) still pending (${pending.entries.map((entry) => entry.fault).join('; ')}); run \`npm run restore\``;
  }
  return clusterLockLost(target);
}
