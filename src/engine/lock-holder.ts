// Who holds the cluster lock, and whether what a runner finds (the Lease, the lock file) is free, held or stale:
// pure decisions, so every case is a unit test.

export interface LockHolder {
  runId: string;
  /** user@host of the runner. */
  holder: string;
  /** The runner's host name (to tell whether its process still runs, when it is this machine). */
  host: string;
  pid: number;
  purpose: 'drill' | 'restore';
  /** ISO time the lock was taken. */
  since: string;
}

/** The lock as found on the cluster: the Lease's holder and renewal, and the lock file's holder. */
export interface ObservedLock {
  lease?: { holder?: LockHolder; holderIdentity?: string; renewTime?: Date; durationSeconds?: number };
  file?: { holder?: LockHolder; raw: string };
  /** The API server did not answer: only the lock file could be read. */
  leaseUnreadable?: boolean;
}

export type LockVerdict =
  | { state: 'free' }
  | { state: 'held'; holder: LockHolder | undefined; description: string }
  | { state: 'stale'; holders: LockHolder[]; why: string[]; leaseStale: boolean; fileStale: boolean };

export interface Me {
  runId: string;
  host: string;
}

export function parseHolder(text: string | undefined): LockHolder | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.runId !== 'string' || typeof value.holder !== 'string' || typeof value.host !== 'string' || typeof value.pid !== 'number' || typeof value.since !== 'string') return undefined;
    return { runId: value.runId, holder: value.holder, host: value.host, pid: value.pid, purpose: value.purpose === 'restore' ? 'restore' : 'drill', since: value.since };
  } catch {
    return undefined;
  }
}

export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function describeHolder(holder: LockHolder, now: Date): string {
  return `${holder.holder} (pid ${holder.pid}), run ${holder.runId}, ${holder.purpose} started ${ago(now.getTime() - Date.parse(holder.since))} ago`;
}

/** Judges the Lease and the lock file together: one live holder means held; otherwise a left-over one means stale. */
export function judgeLock(observed: ObservedLock, me: Me, now: Date, isAlive: (pid: number) => boolean): LockVerdict {
  const lease = observed.lease;
  const leaseHolder = lease?.holder;
  const gone = (holder: LockHolder | undefined) => holder !== undefined && holder.host === me.host && !isAlive(holder.pid);
  const held: { holder: LockHolder | undefined; description: string }[] = [];
  const stale: { holder: LockHolder | undefined; why: string; lease: boolean }[] = [];

  if (lease && leaseHolder?.runId !== me.runId) {
    const expiresAt = lease.renewTime && lease.durationSeconds !== undefined ? lease.renewTime.getTime() + lease.durationSeconds * 1000 : undefined;
    const who = leaseHolder ? describeHolder(leaseHolder, now) : `"${lease.holderIdentity ?? 'unknown'}"`;
    if (expiresAt !== undefined && expiresAt < now.getTime()) {
      stale.push({ holder: leaseHolder, lease: true, why: `the Lease of ${who} expired ${ago(now.getTime() - expiresAt)} ago (its runner stopped renewing it)` });
    } else if (gone(leaseHolder)) {
      stale.push({ holder: leaseHolder, lease: true, why: `the Lease is held by ${who}, but process ${leaseHolder?.pid} no longer runs on ${me.host}` });
    } else {
      const renewed = lease.renewTime ? `, Lease renewed ${ago(now.getTime() - lease.renewTime.getTime())} ago` : '';
      held.push({ holder: leaseHolder, description: `${who}${renewed}` });
    }
  }

  const file = observed.file;
  if (file && file.holder?.runId !== me.runId && (!file.holder || file.holder.runId !== leaseHolder?.runId)) {
    // A lock file no Lease backs (its Lease was deleted or broken): held only if its process visibly runs here.
    const who = file.holder ? describeHolder(file.holder, now) : `unreadable content "${file.raw.slice(0, 100)}"`;
    if (file.holder && file.holder.host === me.host && isAlive(file.holder.pid)) held.push({ holder: file.holder, description: `${who} (lock file)` });
    else stale.push({ holder: file.holder, lease: false, why: `the lock file was left by ${who}, and ${observed.leaseUnreadable ? 'the Lease cannot be read while the API server does not answer' : 'no live Lease backs it'}` });
  } else if (file && file.holder?.runId !== me.runId && stale.some((entry) => entry.lease)) {
    stale.push({ holder: file.holder, lease: false, why: 'its lock file is still in place' });
  }

  const first = held[0];
  if (first) return { state: 'held', holder: first.holder, description: first.description };
  if (stale.length > 0) {
    return {
      state: 'stale',
      holders: stale.flatMap((entry) => (entry.holder ? [entry.holder] : [])),
      why: stale.map((entry) => entry.why),
      leaseStale: stale.some((entry) => entry.lease),
      fileStale: stale.some((entry) => !entry.lease),
    };
  }
  return { state: 'free' };
}
