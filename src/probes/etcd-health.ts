// Asks etcd whether every member of its cluster is healthy (etcdctl endpoint health --cluster over SSH on a
// control-plane host), naming each member that is not.
import type { FaultContext } from '../faults/fault.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';

export interface EtcdEndpointHealth {
  endpoint: string;
  healthy: boolean;
  error?: string;
}

/** Parses `etcdctl endpoint health -w json`. */
export function parseEndpointHealth(json: string): EtcdEndpointHealth[] {
  const entries = JSON.parse(json) as { endpoint: string; health: boolean; error?: string }[];
  return entries.map((entry) => ({ endpoint: entry.endpoint, healthy: entry.health === true, ...(entry.error ? { error: entry.error } : {}) }));
}

/**
 * What is wrong with etcd's members, one line each naming the member (its profile name, else its client URL); empty
 * when every member of the cluster's member list, and every member the profile lists, answers endpoint health.
 */
export function etcdHealthProblems(health: EtcdEndpointHealth[], profile: ClusterProfile): string[] {
  const members = profile.etcdSnapshot?.members ?? [];
  const nameOf = (endpoint: string) => {
    const member = members.find((candidate) => candidate.clientUrl === endpoint);
    return member ? `etcd member ${member.name} (${endpoint})` : `etcd member ${endpoint}`;
  };
  const problems = health.filter((entry) => !entry.healthy).map((entry) => `${nameOf(entry.endpoint)} is not healthy: ${entry.error ?? 'health false'}`);
  for (const member of members) {
    if (!health.some((entry) => entry.endpoint === member.clientUrl)) problems.push(`etcd member ${member.name} (${member.clientUrl}) is not in the cluster's member list`);
  }
  return problems;
}

/**
 * Asks from `host` (the profile's etcdSnapshot TLS files are on it) through every member the profile lists, or its
 * etcdSnapshot.endpoint, for the health of every member of the cluster. Undefined if the profile says nothing of etcd.
 */
export async function etcdClusterProblems(context: FaultContext, profile: ClusterProfile, host: ProfileHost, signal?: AbortSignal): Promise<string[] | undefined> {
  const settings = profile.etcdSnapshot;
  if (!settings) return undefined;
  const urls = settings.members?.length ? settings.members.map((member) => member.clientUrl) : [settings.endpoint];
  const tls = [`--cacert=${settings.caFile}`, `--cert=${settings.certFile}`, `--key=${settings.keyFile}`];
  const argv = ['etcdctl', `--endpoints=${urls.join(',')}`, ...tls, '--dial-timeout=2s', '--command-timeout=2s', 'endpoint', 'health', '--cluster', '-w', 'json'];
  // etcdctl exits 1 if any member is unhealthy, and still prints every member's health.
  const result = await context.transport.run(host, argv, { timeoutMs: 15_000, signal });
  const json = result.stdout.trim();
  if (!json.startsWith('[')) return [`etcdctl endpoint health --cluster on ${host.name} printed no health (exit ${result.code}): ${result.stderr.trim().slice(0, 300) || 'no output'}`];
  return etcdHealthProblems(parseEndpointHealth(json), profile);
}
