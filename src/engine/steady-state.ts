// The steady state a drill starts from and must return to: API ready, every node Ready, the app fully available.
import type { V1Deployment, V1Lease, V1Node } from '@kubernetes/client-node';
import { apiGet } from '../kube/kube-config.ts';
import { DEPLOYMENTS, LEASES, NODES } from '../kube/resources.ts';
import { eventually } from '../probes/eventually.ts';
import { waitForObjects } from '../probes/watch-objects.ts';
import { waitForControlPlaneHealth } from './control-plane-health.ts';
import { describeLeftovers, findLeftovers, LeftoversError } from './drill-leftovers.ts';
import type { Target } from './target.ts';

export const isNodeReady = (node: V1Node) => node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;

/** More than one part of the steady state did not hold: each is kept, and named in the message. */
export class SteadyStateError extends Error {
  constructor(readonly parts: Error[]) {
    super(`the steady state does not hold:\n${parts.map((error) => `  - ${error.message}`).join('\n')}`, { cause: parts[0] });
    this.name = 'SteadyStateError';
  }
}

/**
 * API ready, every node Ready with regular heartbeats (its Lease renewed within half the lease duration: after an outage,
 * a node can still be Ready while the node-lifecycle controller is about to judge its stale Lease), and the app
 * fully available.
 */
export async function waitForSteadyState(
  target: Pick<Target, 'kube' | 'profile'> & Partial<Pick<Target, 'transport' | 'journal'>>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const { kube, profile } = target;
  await eventually(
    async (attemptSignal) => {
      const response = await apiGet(kube, '/readyz', attemptSignal);
      if (response.status !== 200) throw new Error(`/readyz answered ${response.status}`);
    },
    { description: 'the API server to answer /readyz', timeoutMs, signal },
  );
  // Nothing a drill changed is left (journal entries, marked objects): checked once, it does not heal by waiting.
  // Reading them is retried (an API server behind the balancer may be recovering); finding one is not.
  const found = await eventually((attemptSignal) => findLeftovers(target, attemptSignal), { description: 'the list of what drills left behind', timeoutMs, signal });
  const leftovers = describeLeftovers(found.value);
  if (leftovers.length > 0) throw new LeftoversError(leftovers);
  const waits: Promise<unknown>[] = [
    waitForObjects<V1Node>({
      kubeconfig: kube,
      type: NODES,
      description: 'every node Ready',
      timeoutMs,
      signal,
      until: (nodes) => nodes.length > 0 && nodes.every(isNodeReady),
      describe: (nodes) => `${nodes.filter(isNodeReady).length}/${nodes.length} nodes Ready${nodes.some((node) => node.spec?.unschedulable) ? ', some cordoned' : ''}`,
    }),
  ];
  waits.push(waitForControlPlaneHealth(target, timeoutMs, signal));
  // Renewed within half the lease duration: at most one renewal (every quarter) missed, i.e. regular heartbeats.
  const freshWithinMs = (profile.timings.nodeLeaseDurationSeconds * 1000) / 2;
  const fresh = (lease: V1Lease) => Date.now() - new Date(lease.spec?.renewTime ?? 0).getTime() < freshWithinMs;
  waits.push(
    waitForObjects<V1Lease>({
      kubeconfig: kube,
      type: LEASES,
      namespace: 'kube-node-lease',
      description: `every node Lease renewed within the last ${freshWithinMs / 1000} s`,
      timeoutMs,
      signal,
      until: (leases) => leases.length > 0 && leases.every(fresh),
      describe: (leases) => `${leases.filter(fresh).length}/${leases.length} node Leases fresh`,
    }),
  );
  const app = profile.app;
  if (app) {
    waits.push(
      waitForObjects<V1Deployment>({
        kubeconfig: kube,
        type: DEPLOYMENTS,
        namespace: app.namespace,
        fieldSelector: `metadata.name=${app.deployment}`,
        description: `deployment ${app.namespace}/${app.deployment} fully available`,
        timeoutMs,
        signal,
        until: ([deployment]) =>
          !!deployment &&
          (deployment.status?.availableReplicas ?? 0) === (deployment.spec?.replicas ?? 1) &&
          (deployment.status?.replicas ?? 0) === (deployment.spec?.replicas ?? 1),
        describe: ([deployment]) =>
          deployment ? `${deployment.status?.availableReplicas ?? 0}/${deployment.spec?.replicas} available, ${deployment.status?.replicas ?? 0} pods` : 'no such deployment',
      }),
    );
  }
  // Every part is waited for, and every one that did not hold is named: the first to give up is rarely the cause.
  const failed = (await Promise.allSettled(waits)).flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new SteadyStateError(failed);
}
