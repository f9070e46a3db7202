// Every wait on the cluster, announced and timed: for the live progress line and the engine-overhead benchmark.
import { performance } from 'node:perf_hooks';

export interface ActiveWait {
  description: string;
  startedAt: number;
  /** Monotonic deadline (performance.now() based). */
  deadline: number;
}

const active = new Set<ActiveWait>();
/** Time during which at least one wait was in progress (nested or parallel waits count once). */
let totalMs = 0;
let busySince = 0;

/** Runs a wait and accounts its duration. */
export async function timedWait<T>(description: string, timeoutMs: number, wait: () => Promise<T>): Promise<T> {
  const entry = { description, startedAt: performance.now(), deadline: performance.now() + timeoutMs };
  if (active.size === 0) busySince = entry.startedAt;
  active.add(entry);
  try {
    return await wait();
  } finally {
    active.delete(entry);
    if (active.size === 0) totalMs += performance.now() - busySince;
  }
}

/** The waits in progress now, oldest first. */
export function activeWaits(): ActiveWait[] {
  return [...active];
}

/** Milliseconds spent waiting on the cluster since the process started. */
export function waitedMs(): number {
  return totalMs + (active.size > 0 ? performance.now() - busySince : 0);
}
