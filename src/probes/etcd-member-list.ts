// The members etcd itself lists (etcdctl member list over SSH): whether the profile's members are the whole cluster.
import type { FaultContext } from '../faults/fault.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';

export interface ListedMember {
  name: string;
  peerUrls: string[];
}

/** Parses `etcdctl member list -w json` (IDs left out: they are 64-bit and not needed here). */
export function parseMemberList(json: string): ListedMember[] {
  const parsed = JSON.parse(json) as { members?: { name?: string; peerURLs?: string[] }[] };
  return (parsed.members ?? []).map((member) => ({ name: member.name ?? '', peerUrls: member.peerURLs ?? [] }));
}

/** The members of the cluster that etcdSnapshot.endpoint belongs to, asked from `host`; throws naming the failure. */
export async function etcdMemberList(context: FaultContext, profile: ClusterProfile, host: ProfileHost): Promise<ListedMember[]> {
  const settings = profile.etcdSnapshot;
  if (!settings) throw new Error(`profile ${profile.name} has no etcdSnapshot section`);
  const argv = ['etcdctl', `--endpoints=${settings.endpoint}`, `--cacert=${settings.caFile}`, `--cert=${settings.certFile}`, `--key=${settings.keyFile}`, '--dial-timeout=2s', '--command-timeout=5s', 'member', 'list', '-w', 'json'];
  const result = await context.transport.run(host, argv, { timeoutMs: 15_000, signal: context.signal });
  if (result.code !== 0) throw new Error(`etcdctl member list on ${host.name} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
  return parseMemberList(result.stdout);
}

/**
 * What is wrong with restoring `expected` (name and peer URL each) as the whole cluster etcd lists, in words; undefined
 * when they are the same members.
 */
export function memberMismatch(listed: ListedMember[], expected: { name: string; peerUrl: string }[]): string | undefined {
  const key = (name: string, peer: string) => `${name}=${peer}`;
  const have = new Set(listed.flatMap((member) => member.peerUrls.map((peer) => key(member.name, peer))));
  const want = expected.map((member) => key(member.name, member.peerUrl));
  const missing = want.filter((entry) => !have.has(entry));
  const extra = listed.filter((member) => !expected.some((other) => other.name === member.name));
  if (missing.length === 0 && extra.length === 0 && listed.length === expected.length) return undefined;
  const listedText = listed.map((member) => key(member.name, member.peerUrls.join('|'))).join(', ') || 'none';
  return `etcd lists ${listed.length} member(s) (${listedText}), the profile expects ${expected.length} (${want.join(', ')})`;
}
