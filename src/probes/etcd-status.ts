// Asks etcd itself, as an operator would (etcdctl endpoint status/health over SSH on a control-plane host), which
// member leads and whether a member is healthy. Member IDs stay strings: they are 64-bit and JSON numbers are not.
import type { FaultContext } from '../faults/fault.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';

export type EtcdMember = NonNullable<NonNullable<ClusterProfile['etcdSnapshot']>['members']>[number];

export interface EtcdEndpointStatus {
  endpoint: string;
  memberId: string;
  leaderId: string;
}

/** The profile's etcd members and the TLS files to reach them; throws naming the missing field. */
export function etcdMembersOf(profile: ClusterProfile): { members: EtcdMember[]; tls: string[] } {
  const settings = profile.etcdSnapshot;
  const members = settings?.members ?? [];
  if (!settings || members.length < 3) {
    throw new Error(
      `profile ${profile.name}: etcdSnapshot.members lists ${members.length} member(s); the etcd member drills need every member of a cluster of 3 or more (name, host, peerUrl, clientUrl) and etcdSnapshot's caFile, certFile and keyFile`,
    );
  }
  return { members, tls: [`--cacert=${settings.caFile}`, `--cert=${settings.certFile}`, `--key=${settings.keyFile}`] };
}

/** Parses `etcdctl endpoint status -w json`, keeping the 64-bit IDs exact. */
export function parseEndpointStatus(json: string): EtcdEndpointStatus[] {
  const exact = json.replace(/"(member_id|leader)":(\d+)/g, '"$1":"$2"');
  const entries = JSON.parse(exact) as { Endpoint: string; Status?: { header?: { member_id?: string }; leader?: string } }[];
  return entries.map((entry) => ({ endpoint: entry.Endpoint, memberId: entry.Status?.header?.member_id ?? '', leaderId: entry.Status?.leader ?? '' }));
}

/** The status of each member that answers (asked from `host`); members that do not answer are left out. */
export async function etcdStatus(context: FaultContext, profile: ClusterProfile, host: ProfileHost, members: EtcdMember[]): Promise<EtcdEndpointStatus[]> {
  const { tls } = etcdMembersOf(profile);
  const endpoints = `--endpoints=${members.map((member) => member.clientUrl).join(',')}`;
  const argv = ['etcdctl', endpoints, ...tls, '--dial-timeout=2s', '--command-timeout=2s', 'endpoint', 'status', '-w', 'json'];
  // etcdctl exits 1 if any endpoint fails, and still prints the others.
  const result = await context.transport.run(host, argv, { timeoutMs: 15_000, signal: context.signal });
  const json = result.stdout.trim();
  if (!json.startsWith('[')) throw new Error(`etcdctl endpoint status on ${host.name} printed no status (exit ${result.code}): ${result.stderr.trim().slice(0, 300)}`);
  return parseEndpointStatus(json);
}

/** The member that the answering members agree leads, if any. */
export function leaderOf(statuses: EtcdEndpointStatus[], members: EtcdMember[]): EtcdMember | undefined {
  const leaderId = statuses.find((status) => status.leaderId !== '' && status.leaderId !== '0')?.leaderId;
  const leader = statuses.find((status) => status.memberId === leaderId);
  return leader && members.find((member) => member.clientUrl === leader.endpoint);
}

/** Whether one member answers `etcdctl endpoint health` (asked from `host`). */
export async function etcdMemberHealthy(context: FaultContext, profile: ClusterProfile, host: ProfileHost, member: EtcdMember): Promise<boolean> {
  const { tls } = etcdMembersOf(profile);
  const argv = ['etcdctl', `--endpoints=${member.clientUrl}`, ...tls, '--dial-timeout=2s', '--command-timeout=2s', 'endpoint', 'health'];
  return (await context.transport.run(host, argv, { timeoutMs: 15_000, signal: context.signal })).code === 0;
}
