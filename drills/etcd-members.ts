// Shared by the etcd member drills (etcd-member-down, etcd-quorum-lost): the profile's members, a healthy etcd before
// any fault, how each member is stopped on its host, and a ConfigMap written every second through the API.
import {
  ApiWriteSampler,
  componentOn,
  ConfigMapChange,
  controlPlaneHosts,
  etcdMembersOf,
  etcdStatus,
  hostByName,
  leaderOf,
  stopComponentOn,
  type DrillHandle,
  type EtcdMember,
  type Fault,
  type ProfileHost,
} from '../src/index.ts';
import { requireApp } from './app.ts';

export interface MemberStop {
  member: EtcdMember;
  host: ProfileHost;
  /** The etcd process on its host, as pgrep -x sees it. */
  process: string;
  /** How long it takes to stop (or to start again): a static pod's stop time; a service's stop returns once it is gone. */
  stopSeconds: number;
  fault: Fault;
}

/** The profile's etcd members (3 or more) and the first control-plane host, which the drills ask etcd from. */
export function etcdMembers(d: DrillHandle): { members: EtcdMember[]; first: ProfileHost } {
  const members = etcdMembersOf(d.profile).members;
  const first = controlPlaneHosts(d.profile)[0];
  if (!first) throw new Error(`profile ${d.profile.name} has no control-plane host`);
  return { members, first };
}

/** Stopping `member` on its own host, as that host runs etcd (its own manifest path or unit). */
export function memberStop(d: DrillHandle, member: EtcdMember): MemberStop {
  const host = hostByName(d.profile, member.host);
  const how = componentOn(d.profile, host, 'etcd');
  return {
    member,
    host,
    process: how.kind === 'static-pod' ? how.process : 'etcd',
    stopSeconds: how.kind === 'static-pod' ? d.timings.staticPodStopSeconds : 0,
    fault: stopComponentOn(d.profile, 'etcd', host),
  };
}

/** Every member answers and one leads (asked from `host`), else refuses before any fault; returns the leader. */
export async function requireHealthyEtcd(d: DrillHandle, host: ProfileHost, members: EtcdMember[]): Promise<EtcdMember> {
  const statuses = await etcdStatus(d.faultContext, d.profile, host, members);
  const leader = leaderOf(statuses, members);
  if (statuses.length < members.length || !leader) {
    throw new Error(
      `etcd is not healthy before the drill (${statuses.length} of ${members.length} members answer, leader: ${leader?.name ?? 'none'}): ` +
        'stopping a member could lose quorum for real, refusing',
    );
  }
  return leader;
}

/** The ConfigMap the drill writes every second (created by the drill, deleted by its restore). */
export function writesTo(d: DrillHandle, name: string): ConfigMapChange {
  return new ConfigMapChange(requireApp(d).namespace, name, { beat: '0' });
}

/** Creates the ConfigMap, then starts writing it every second (not in a dry run). */
export async function startWrites(d: DrillHandle, writes: ConfigMapChange): Promise<ApiWriteSampler | undefined> {
  await d.inject(writes);
  if (d.dryRun) return undefined;
  const sampler = new ApiWriteSampler(d.target.kube, writes.namespace, writes.configMap);
  sampler.start();
  return sampler;
}
