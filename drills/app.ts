// Shared by drills: the profile's app (the workload drills watch), and queries on its pods.
import { CoreV1Api } from '@kubernetes/client-node';
import type { DrillHandle, ProfileHost } from '../src/index.ts';
import { isRunning, nodeName, PODS, workerHosts } from '../src/index.ts';

export function requireApp(d: DrillHandle) {
  const app = d.profile.app;
  if (!app) throw new Error(`profile ${d.profile.name} declares no app (app.deployment, app.selector): drill ${d.meta.name} watches one`);
  return app;
}

/** A watch query on the app's pods, optionally only those on one node. */
export function appPods(d: DrillHandle, node?: string) {
  const app = requireApp(d);
  return {
    kubeconfig: d.target.kube,
    type: PODS,
    namespace: app.namespace,
    labelSelector: app.selector,
    fieldSelector: node ? `spec.nodeName=${node}` : undefined,
    signal: d.signal,
    onObservation: (observation: { at: Date; text: string }) => d.observe(node ? `pods on ${node}` : 'pods', observation.text, observation.at),
  };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The worker host running most of the app's pods: the one whose failure the app feels. */
export async function busiestWorker(d: DrillHandle): Promise<ProfileHost> {
  const { namespace, selector } = requireApp(d);
  const pods = (await d.target.kube.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: selector })).items;
  const running = (host: ProfileHost) => pods.filter((pod) => pod.spec?.nodeName === nodeName(host) && isRunning(pod)).length;
  const host = [...workerHosts(d.profile)].sort((a, b) => running(b) - running(a))[0];
  if (!host) throw new Error(`profile ${d.profile.name} has no worker host`);
  return host;
}
