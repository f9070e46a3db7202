// Finds the profile host that runs a component or a node.
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';

export function hostByName(profile: ClusterProfile, name: string): ProfileHost {
  const host = profile.hosts.find((candidate) => candidate.name === name);
  if (!host) throw new Error(`no host named "${name}" in profile ${profile.name}`);
  return host;
}

export function controlPlaneHosts(profile: ClusterProfile): ProfileHost[] {
  return profile.hosts.filter((host) => host.role === 'control-plane');
}

export function workerHosts(profile: ClusterProfile): ProfileHost[] {
  return profile.hosts.filter((host) => host.role === 'worker');
}

export function nodeName(host: ProfileHost): string {
  return host.node ?? host.name;
}
