// Watches a leader-election Lease: waits for another holder than the old leader, and times the takeover from the
// old leader's last renewal to the new leader's acquisition (both times written by the control-plane hosts).
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';
import type { LeaseRef } from '../kube/leader-election.ts';
import { LEASES } from '../kube/resources.ts';
import { holdsFor } from './holds-for.ts';
import { waitForObjects } from './watch-objects.ts';

export interface LeaseWatchOptions {
  kubeconfig: KubeConfig;
  lease: LeaseRef;
  signal?: AbortSignal;
  onObservation?: (observation: { at: Date; text: string }) => void;
}

export interface NewLeader {
  holder: string;
  /** From the start of the watch to the new holder being seen. */
  elapsedMs: number;
  /** The old leader's last renewal seen, and the new leader's acquireTime. */
  lastRenew: Date | undefined;
  acquired: Date | undefined;
  /** acquired - lastRenew, in seconds, when both are known. */
  takeoverSeconds: number | undefined;
}

// Watch events carry times as strings, lists may carry Dates.
const time = (value: Date | string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));

export function describeLease(leases: V1Lease[]): string {
  const lease = leases[0];
  if (!lease) return 'no Lease';
  const spec = lease.spec ?? {};
  return `held by ${spec.holderIdentity || 'nobody'} (renewed ${time(spec.renewTime)?.toISOString() ?? 'never'}, ${spec.leaseTransitions ?? 0} transitions)`;
}

function query(options: LeaseWatchOptions) {
  return {
    kubeconfig: options.kubeconfig,
    type: LEASES,
    namespace: options.lease.namespace,
    fieldSelector: `metadata.name=${options.lease.name}`,
    signal: options.signal,
    onObservation: options.onObservation,
    describe: describeLease,
  };
}

/** Resolves once the Lease is held by someone other than `oldHolder`; start it before the old leader is stopped. */
export async function waitForNewLeader(options: LeaseWatchOptions & { oldHolder: string; timeoutMs: number }): Promise<NewLeader> {
  let lastRenew: Date | undefined;
  const result = await waitForObjects<V1Lease>({
    ...query(options),
    description: `Lease ${options.lease.namespace}/${options.lease.name} held by another instance than ${options.oldHolder}`,
    timeoutMs: options.timeoutMs,
    until: ([lease]) => {
      const holder = lease?.spec?.holderIdentity;
      const renewed = time(lease?.spec?.renewTime);
      if (holder === options.oldHolder && renewed && (!lastRenew || renewed > lastRenew)) lastRenew = renewed;
      return Boolean(holder) && holder !== options.oldHolder;
    },
  });
  const spec = result.objects[0]?.spec ?? {};
  const acquired = time(spec.acquireTime);
  return {
    holder: spec.holderIdentity ?? '',
    elapsedMs: result.elapsedMs,
    lastRenew,
    acquired,
    takeoverSeconds: lastRenew && acquired ? (acquired.getTime() - lastRenew.getTime()) / 1000 : undefined,
  };
}

/** Resolves with the last observation if `holder` keeps the Lease for the whole duration; rejects when it changes. */
export function leaderHolds(options: LeaseWatchOptions & { holder: string; durationMs: number }): Promise<string> {
  return holdsFor<V1Lease>({
    ...query(options),
    description: `Lease ${options.lease.namespace}/${options.lease.name} stays with ${options.holder}`,
    durationMs: options.durationMs,
    holds: ([lease]) => lease?.spec?.holderIdentity === options.holder,
  });
}
