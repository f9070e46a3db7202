// One runner per cluster: a Lease in kube-system plus a lock file on the first control-plane host. Taken before any
// fault, renewed while the API answers (an outage shorter than the lease is tolerated), released at the end.
import { hostname, userInfo } from 'node:os';
import { createLease, deleteLease, LeaseConflictError, readLease, replaceLease, type LeaseRecord } from '../kube/lease.ts';
import { describeHolder, judgeLock, parseHolder, type LockHolder, type LockVerdict, type ObservedLock } from './lock-holder.ts';
import { LockFile } from './lock-file.ts';
import type { Target } from './target.ts';

export const LOCK_NAMESPACE = 'kube-system';
export const LOCK_NAME = 'kube-firedrill-lock';
/** Long enough to outlast the API outages the drills cause; renewed every LOCK_RENEW_MS while the API answers. */
export const LOCK_LEASE_SECONDS = 600;
const LOCK_RENEW_MS = 30_000;
const HOLDER_ANNOTATION = 'firedrill.dev/holder';

/** Another runner holds the cluster lock, or left a stale one; nothing was changed. Exit code 5. */
export class ClusterLockedError extends Error {
  readonly code = 'CLUSTER_LOCKED';
  readonly exitCode = 5;
  constructor(message: string) {
    super(message);
    this.name = 'ClusterLockedError';
  }
}

export interface LockOptions {
  runId: string;
  purpose: 'drill' | 'restore';
  /** Take over a stale lock (its holder's Lease expired, or its process is gone). Never breaks a live one. */
  breakLock: boolean;
  log: (line: string) => void;
  /** How often the Lease is renewed; default 30 s. */
  renewEveryMs?: number;
}

export interface HeldLock {
  holder: LockHolder;
  release(): Promise<void>;
}

let current: HeldLock | undefined;

/** Releases the lock this process holds, if any (for the interrupt path and error exits); safe to call twice. */
export async function releaseClusterLock(): Promise<void> {
  const lock = current;
  current = undefined;
  await lock?.release();
}

/** Why the lock this process took is no longer its own (a game day checks before each drill), or undefined if it is. */
export async function clusterLockLost(target: Target): Promise<string | undefined> {
  if (!current) return 'this run does not hold the cluster lock';
  const lease = await readLease(target.kube, LOCK_NAMESPACE, LOCK_NAME);
  if (!lease) return `the cluster lock's Lease ${LOCK_NAMESPACE}/${LOCK_NAME} is gone`;
  const owner = parseHolder(lease.annotations[HOLDER_ANNOTATION]);
  if (owner?.runId === current.holder.runId) return undefined;
  return `the cluster lock is now held by ${owner ? describeHolder(owner, new Date()) : lease.holderIdentity}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockFileOf(target: Target): LockFile {
  const host = target.profile.hosts.find((candidate) => candidate.role === 'control-plane');
  if (!host) throw new Error('the profile has no control-plane host for the lock file');
  return new LockFile(target.transport, host, target.profile.cluster.lockFile);
}

function where(target: Target, file?: LockFile): string {
  const lease = target.unreachable ? `Lease ${LOCK_NAMESPACE}/${LOCK_NAME} not readable: the API server does not answer` : `Lease ${LOCK_NAMESPACE}/${LOCK_NAME} on ${target.identity.server}`;
  return `${lease}${file ? `, lock file ${file.path} on ${file.host.name}` : ''}`;
}

async function observe(target: Target, file: LockFile | undefined): Promise<{ observed: ObservedLock; lease?: LeaseRecord; fileText?: string }> {
  // With the API server down (a restore after a killed etcd drill), only the lock file can be read.
  const lease = target.unreachable ? undefined : await readLease(target.kube, LOCK_NAMESPACE, LOCK_NAME);
  const fileText = file ? await file.read() : undefined;
  return {
    lease,
    fileText,
    observed: {
      lease: lease && { holder: parseHolder(lease.annotations[HOLDER_ANNOTATION]), holderIdentity: lease.holderIdentity, renewTime: lease.renewTime ?? lease.acquireTime, durationSeconds: lease.leaseDurationSeconds },
      file: fileText === undefined ? undefined : { holder: parseHolder(fileText), raw: fileText },
      leaseUnreadable: target.unreachable !== undefined,
    },
  };
}

function refusal(verdict: Exclude<LockVerdict, { state: 'free' }>, target: Target, options: LockOptions, file: LockFile | undefined): ClusterLockedError {
  const cluster = `cluster ${target.identity.uid} (${target.identity.server})`;
  if (verdict.state === 'held') {
    return new ClusterLockedError(
      `another runner is drilling ${cluster}: ${verdict.description}. Only one runner may act on a cluster at a time; ` +
        `wait until it ends (its own teardown restores what it breaks). Nothing was changed. [${where(target, file)}]`,
    );
  }
  const command = options.purpose === 'restore' ? 'npm run restore -- --break-lock' : 'npm run drill -- --break-lock …';
  return new ClusterLockedError(
    `a stale lock is left on ${cluster}: ${verdict.why.join('; ')}. If no runner is acting on this cluster any more, ` +
      `break it with \`${command}\` (on the holder's machine, \`npm run restore -- --break-lock\` first restores what it left broken). ` +
      `Nothing was changed. [${where(target, file)}]`,
  );
}

/** Dry run: says whether the lock is free or held, without taking it. */
export async function describeClusterLock(target: Target, runId: string): Promise<string> {
  const { observed } = await observe(target, undefined);
  const verdict = judgeLock(observed, { runId, host: hostname() }, new Date(), isAlive);
  if (verdict.state === 'free') return `the cluster lock is free (${where(target)}); a real run would take it`;
  if (verdict.state === 'held') return `the cluster lock is held by ${verdict.description}: a real run would be refused (${where(target)})`;
  return `the cluster lock is stale (${verdict.why.join('; ')}): a real run would need --break-lock (${where(target)})`;
}

export async function acquireClusterLock(target: Target, options: LockOptions): Promise<HeldLock> {
  const now = new Date();
  const holder: LockHolder = { runId: options.runId, holder: `${userInfo().username}@${hostname()}`, host: hostname(), pid: process.pid, purpose: options.purpose, since: now.toISOString() };
  const file = lockFileOf(target);
  const { observed, lease, fileText } = await observe(target, file).catch((error: Error) => {
    // The first control-plane host cannot be reached (wrong host key, no route): nothing has been touched yet.
    throw new Error(`could not read the cluster lock (${where(target, file)}): ${error.message}\n  Nothing was changed.`, { cause: error });
  });
  const verdict = judgeLock(observed, { runId: options.runId, host: holder.host }, now, isAlive);
  if (verdict.state === 'held' || (verdict.state === 'stale' && !options.breakLock)) throw refusal(verdict, target, options, file);
  if (verdict.state === 'stale') options.log(`breaking the stale cluster lock (--break-lock): ${verdict.why.join('; ')}`);

  const annotations = { [HOLDER_ANNOTATION]: JSON.stringify(holder) };
  const fresh = { name: LOCK_NAME, namespace: LOCK_NAMESPACE, annotations, holderIdentity: `${holder.holder} pid ${holder.pid} run ${holder.runId}`, leaseDurationSeconds: LOCK_LEASE_SECONDS, acquireTime: now, renewTime: now };
  const apiDown = target.unreachable !== undefined;
  let mine: LeaseRecord | undefined;
  if (!apiDown) {
    try {
      mine = lease
        ? await replaceLease(target.kube, { ...fresh, resourceVersion: lease.resourceVersion, leaseTransitions: (lease.leaseTransitions ?? 0) + 1 })
        : await createLease(target.kube, fresh);
    } catch (error) {
      if (!(error instanceof LeaseConflictError)) throw error;
      const again = judgeLock((await observe(target, file)).observed, { runId: options.runId, host: holder.host }, new Date(), isAlive);
      throw again.state === 'free' ? new ClusterLockedError(`another runner took the cluster lock at the same moment; try again. Nothing was changed. [${where(target, file)}]`) : refusal(again, target, options, file);
    }
  }

  const content = JSON.stringify(holder);
  // With the API down, a broken stale lock's Lease could not be taken over: it is removed at the end if the API is back.
  const brokenRuns = new Set(verdict.state === 'stale' && apiDown ? verdict.holders.map((stale) => stale.runId) : []);
  const releaseLease = async () => {
    if (apiDown && brokenRuns.size === 0) return;
    const latest = await readLease(target.kube, LOCK_NAMESPACE, LOCK_NAME).catch((error: Error) => {
      if (apiDown) return undefined; // still down: the next run reports the stale Lease
      throw error;
    });
    const owner = parseHolder(latest?.annotations[HOLDER_ANNOTATION])?.runId;
    if (latest?.resourceVersion && owner !== undefined && (owner === holder.runId || brokenRuns.has(owner))) {
      await deleteLease(target.kube, LOCK_NAMESPACE, LOCK_NAME, latest.resourceVersion);
    }
  };
  try {
    if (verdict.state === 'stale' && fileText !== undefined && parseHolder(fileText)?.runId !== holder.runId) await file.removeIf(fileText);
    const created = await file.create(content);
    if (!created.created && parseHolder(created.existing)?.runId !== holder.runId) {
      throw new ClusterLockedError(
        `another runner wrote the lock file at the same moment: ${created.existing.slice(0, 200)}. Nothing was changed. [${where(target, file)}]`,
      );
    }
  } catch (error) {
    await releaseLease().catch(() => undefined);
    throw error;
  }

  const renewer = mine ? startRenewing(target, mine, holder, options.log, options.renewEveryMs ?? LOCK_RENEW_MS) : { stop: () => {} };
  let released = false;
  const lock: HeldLock = {
    holder,
    release: async () => {
      if (released) return;
      released = true;
      renewer.stop();
      const errors: unknown[] = [];
      await releaseLease().catch((error: unknown) => errors.push(error));
      await file.removeIf(content).catch((error: unknown) => errors.push(error));
      if (errors.length > 0) {
        throw new Error(`could not release the cluster lock completely (${(errors as Error[]).map((error) => error.message).join('; ')}); the next run will report it as stale`);
      }
    },
  };
  current = lock;
  options.log(`took the cluster lock for run ${holder.runId} (${where(target, file)})`);
  return lock;
}

/** Renews the Lease while the API answers; while it does not, the lease holds until it would expire. */
function startRenewing(target: Target, initial: LeaseRecord, holder: LockHolder, log: (line: string) => void, everyMs: number): { stop(): void } {
  let lease = initial;
  let lastRenewed = Date.now();
  let warned = false;
  let busy = false;
  const renew = async () => {
    if (busy) return;
    busy = true;
    try {
      try {
        lease = await replaceLease(target.kube, { ...lease, renewTime: new Date() });
      } catch (error) {
        if (!(error instanceof LeaseConflictError)) throw error;
        const latest = await readLease(target.kube, LOCK_NAMESPACE, LOCK_NAME);
        const owner = parseHolder(latest?.annotations[HOLDER_ANNOTATION]);
        if (!latest || owner?.runId !== holder.runId) {
          log(`the cluster lock was taken over${owner ? ` by ${describeHolder(owner, new Date())}` : ''}: another runner may act on this cluster now`);
          if (timer) clearInterval(timer);
          return;
        }
        lease = await replaceLease(target.kube, { ...latest, renewTime: new Date() });
      }
      lastRenewed = Date.now();
      if (warned) log('renewed the cluster lock again');
      warned = false;
    } catch (error) {
      if (!warned) {
        const expires = new Date(lastRenewed + LOCK_LEASE_SECONDS * 1000).toISOString();
        log(`could not renew the cluster lock (${(error as Error).message}); it holds until ${expires} unless renewed before`);
      }
      warned = true;
    } finally {
      busy = false;
    }
  };
  let timer: NodeJS.Timeout | undefined = setInterval(() => void renew(), everyMs);
  timer.unref();
  return {
    stop: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
