// Cordon and uncordon through the API (spec.unschedulable), as kubectl does.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';

/** With `labels`, sets (a string) or removes (null) those labels in the same patch. */
export async function setUnschedulable(kube: KubeConfig, node: string, unschedulable: boolean, labels?: Record<string, string | null>): Promise<void> {
  await kube
    .makeApiClient(CoreV1Api)
    .patchNode({ name: node, body: { ...(labels ? { metadata: { labels } } : {}), spec: { unschedulable } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}
