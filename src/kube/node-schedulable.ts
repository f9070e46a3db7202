// Cordon and uncordon through the API (spec.unschedulable), as kubectl does.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';

export async function setUnschedulable(kube: KubeConfig, node: string, unschedulable: boolean): Promise<void> {
  await kube
    .makeApiClient(CoreV1Api)
    .patchNode({ name: node, body: { spec: { unschedulable } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}
