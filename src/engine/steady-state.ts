// The steady state a drill starts from and must return to: API ready, every node Ready, the app fully available.
import type { V1Deployment, V1Node } from '@kubernetes/client-node';
import { apiGet } from '../kube/kube-config.ts';
import { DEPLOYMENTS, NODES } from '../kube/resources.ts';
import { eventually } from '../probes/eventually.ts';
import { waitForObjects } from '../probes/watch-objects.ts';
import type { Target } from './target.ts';

export const isNodeReady = (node: V1Node) => node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;

export async function waitForSteadyState(target: Target, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const { kube, profile } = target;
  await eventually(
    async (attemptSignal) => {
      const response = await apiGet(kube, '/readyz', attemptSignal);
      if (response.status !== 200) throw new Error(`/readyz answered ${response.status}`);
    },
    { description: 'the API server to answer /readyz', timeoutMs, signal },
  );
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
  await Promise.all(waits);
}
