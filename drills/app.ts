// Shared by drills: the profile's app (the workload drills watch), and queries on its pods.
import type { DrillHandle } from '../src/index.ts';
import { PODS } from '../src/index.ts';

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
