// Finds a profile's hosts from the Kubernetes nodes: their addresses, and the control-plane role label.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { validateHosts } from './load-profile.ts';
import type { ClusterProfile } from './profile-schema.ts';
import { ProfileError } from './profile-error.ts';
import { instanceIdOf } from './provider-id.ts';

const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

export async function withDiscoveredHosts(profile: ClusterProfile, kube: KubeConfig, file: string): Promise<ClusterProfile> {
  const discovery = profile.discoverHosts;
  if (!discovery || profile.hosts.length > 0) return profile;
  const nodes = (await kube.makeApiClient(CoreV1Api).listNode()).items;
  const found = nodes.flatMap((node) => {
    const name = node.metadata?.name ?? '';
    const address = node.status?.addresses?.find((candidate) => candidate.type === discovery.addressType)?.address;
    if (!address) return [];
    const labels = node.metadata?.labels ?? {};
    const role = CONTROL_PLANE_LABELS.some((label) => label in labels) ? ('control-plane' as const) : ('worker' as const);
    const instanceId = instanceIdOf(node.spec?.providerID);
    return [{ name, role, address, port: discovery.port, user: discovery.user, identityFile: discovery.identityFile, knownHosts: discovery.knownHosts, sudo: discovery.sudo, node: name, instanceId }];
  });
  // A node's name and address come from the cluster: they pass the same checks as hosts written in the profile.
  const { hosts, problems } = validateHosts(found, (index) => `discoverHosts (node "${found[index]?.name}")`);
  if (problems.length > 0) throw new ProfileError(file, problems);
  if (!hosts.some((host) => host.role === 'control-plane')) {
    throw new ProfileError(file, [`discoverHosts: no node has a ${discovery.addressType} address and the control-plane role label; list the hosts instead`]);
  }
  return { ...profile, hosts };
}
