// The gate before each drill of a game day: the steady state holds, no restore is pending in the journal, and this
// run still holds the cluster lock. Says what failed, or nothing.
import { clusterLockLost } from '../engine/cluster-lock.ts';
import { STEADY_STATE_TIMEOUT_MS } from '../engine/drill.ts';
import { waitForSteadyState } from '../engine/steady-state.ts';
import type { Target } from '../engine/target.ts';

/** A multi-line steady-state error on one line: its heading, then each part it names, separated by "; ". */
export function errorOnOneLine(text: string): string {
  const [first = '', ...rest] = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (first === 'the steady state does not hold:') return rest.map((line) => line.replace(/^- /, '')).join('; ');
  return rest.length ? `${first} ${rest.join('; ')}` : first;
}

export async function gateFailure(target: Target): Promise<string | undefined> {
  try {
    await waitForSteadyState(target, STEADY_STATE_TIMEOUT_MS);
  } catch (error) {
    // The whole message: its first line alone can be a heading ("a drill left changes behind:").
    return `the steady state does not hold: ${errorOnOneLine((error as Error).message)}`;
  }
  const pending = await target.journal.pendingEverywhere();
  if (pending.entries.length > 0) {
    return `the journal lists ${pending.entries.length} restore(s) still pending (${pending.entries.map((entry) => entry.fault).join('; ')}); run \`npm run restore\``;
  }
  return clusterLockLost(target);
}
