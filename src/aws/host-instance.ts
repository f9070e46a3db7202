// The EC2 instance behind a profile host: its instanceId, or the one its node's providerID names.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { nodeName } from '../faults/hosts.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import { instanceIdOf } from '../profile/provider-id.ts';

export async function hostInstanceId(kube: KubeConfig, host: ProfileHost): Promise<string> {
  if (host.instanceId) return host.instanceId;
  const node = await kube.makeApiClient(CoreV1Api).readNode({ name: nodeName(host) });
  const id = instanceIdOf(node.spec?.providerID);
  if (!id) {
    throw new Error(`host ${host.name}: node ${nodeName(host)} has no AWS providerID (${node.spec?.providerID ?? 'none'}); set hosts[].instanceId in the profile`);
  }
  return id;
}
