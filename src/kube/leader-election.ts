// Leader election of kube-scheduler and kube-controller-manager: who holds the Lease, on which profile host, and how
// soon another instance must take over once the leader is gone.
import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';

export type LeaderElectedComponent = 'kube-scheduler' | 'kube-controller-manager';

export interface LeaseRef {
  namespace: string;
  name: string;
}

/** The Lease the profile says the component's leader election holds (components.<name>.lease). */
export function leaseOf(profile: ClusterProfile, component: LeaderElectedComponent): LeaseRef {
  const how = profile.components[component];
  const lease = how.kind === 'static-pod' ? how.lease : undefined;
  if (!lease) {
    throw new Error(
      `profile ${profile.name}: components.${component}.lease is not set; a drill on its leader election needs the Lease it holds (e.g. kube-system/${component}), and ${component} must run as a static pod`,
    );
  }
  const [namespace = '', name = ''] = lease.split('/');
  return { namespace, name };
}

export async function readLease(kube: KubeConfig, lease: LeaseRef): Promise<V1Lease> {
  return kube.makeApiClient(CoordinationV1Api).readNamespacedLease(lease);
}

/** The host part of a holderIdentity: client-go's leader election writes `<hostname>_<uuid>`. */
export function holderHostname(holderIdentity: string): string {
  const cut = holderIdentity.indexOf('_');
  return cut < 0 ? holderIdentity : holderIdentity.slice(0, cut);
}

/** The control-plane host of the profile that runs the holder, by host name or node name (also a hostname's first label). */
export function hostOfHolder(profile: ClusterProfile, holderIdentity: string | undefined): ProfileHost {
  if (!holderIdentity) throw new Error('the Lease has no holder: no instance leads right now');
  const hostname = holderHostname(holderIdentity);
  const short = hostname.split('.')[0];
  const candidates = profile.hosts.filter((host) => host.role === 'control-plane');
  const names = (host: ProfileHost) => [host.name, host.node ?? host.name];
  const host =
    candidates.find((candidate) => names(candidate).includes(hostname)) ?? candidates.find((candidate) => names(candidate).some((name) => name.split('.')[0] === short));
  if (!host) {
    throw new Error(
      `the Lease holder "${holderIdentity}" runs on "${hostname}", which is no control-plane host of profile ${profile.name} ` +
        `(by name or node: ${candidates.map((candidate) => names(candidate).join('/')).join(', ') || 'none'}): name the host or its node after the machine's hostname`,
    );
  }
  return host;
}

export interface LeaderElectionTimings {
  leaderElectionLeaseDurationSeconds: number;
  leaderElectionRetryPeriodSeconds: number;
}

/**
 * Upper bound (s) from the old leader's last renewal to another instance acquiring the Lease. A candidate acquires
 * only once the lease has expired in its own view: leaseDuration after it *observed* the last renewal, which it does
 * on its next try, up to one retryPeriod (×1.2 jitter) late; it then tries again every retryPeriod (×1.2 jitter).
 * So leaseDuration + retryPeriod is the core of it, and a margin of 3 retry periods covers both jitters, the
 * observation delay and API latency (clock skew between control-plane hosts must stay well below a retry period).
 */
export function failoverBoundSeconds(timings: LeaderElectionTimings): number {
  const retry = timings.leaderElectionRetryPeriodSeconds;
  return timings.leaderElectionLeaseDurationSeconds + retry + 3 * retry;
}
