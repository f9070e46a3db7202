// etcd-restore's members: on one control plane, its one member (restored as a one-member cluster); on an HA control
// plane, every member of stacked etcd, one per control-plane host, each from the same snapshot copied to its host.
import {
  componentHost,
  componentOn,
  controlPlaneHosts,
  etcdSnapshotSettings,
  memberSettings,
  type DrillHandle,
  type EtcdSnapshotSettings,
  type ProfileHost,
} from '../src/index.ts';

export interface RestoredMember {
  host: ProfileHost;
  /** The etcdSnapshot settings as they apply to this member (its name, URLs and data dir). */
  settings: EtcdSnapshotSettings;
  /** The etcd process on its host, as pgrep -x sees it. */
  process: string;
}

/** The process name a component runs as on a host (a static pod's, else the component's own name). */
export function processOn(d: DrillHandle, host: ProfileHost, component: 'etcd' | 'kube-apiserver'): string {
  const how = componentOn(d.profile, host, component);
  return how.kind === 'static-pod' ? how.process : component;
}

/** The members to restore, the first control-plane host's first (the snapshot is saved there); throws naming the field. */
export function restoredMembers(d: DrillHandle): RestoredMember[] {
  const settings = etcdSnapshotSettings(d.profile);
  const hosts = controlPlaneHosts(d.profile);
  if (hosts.length <= 1) {
    const host = componentHost(d.profile);
    return [{ host, settings, process: processOn(d, host, 'etcd') }];
  }
  const members = settings.members ?? [];
  const field = `profile ${d.profile.name}: etcdSnapshot.members`;
  if (members.length !== hosts.length) {
    throw new Error(
      `${field} lists ${members.length} member(s) for ${hosts.length} control-plane hosts: on an HA control plane etcd-restore restores ` +
        'stacked etcd (one member on each control-plane host) and needs every member (name, host, peerUrl, clientUrl)',
    );
  }
  return hosts.map((host) => {
    const member = members.find((candidate) => candidate.host === host.name);
    if (!member) throw new Error(`${field} has no member on control-plane host ${host.name} (members are on ${members.map((m) => m.host).join(', ')})`);
    return { host, settings: memberSettings(settings, member), process: processOn(d, host, 'etcd') };
  });
}
