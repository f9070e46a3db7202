// One etcd member's view of the profile's etcdSnapshot settings: its name, peer and client URL, and data dir.
import type { EtcdMember } from '../probes/etcd-status.ts';
import type { EtcdSnapshotSettings } from './etcd-snapshot.ts';

/** The settings as they apply to `member` on its own host (its data dir, else the profile's: the same path everywhere). */
export function memberSettings(settings: EtcdSnapshotSettings, member: EtcdMember): EtcdSnapshotSettings {
  return { ...settings, endpoint: member.clientUrl, memberName: member.name, peerUrl: member.peerUrl, dataDir: member.dataDir ?? settings.dataDir };
}
