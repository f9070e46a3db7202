// How many control planes the cluster really has, from what the cluster itself says: the API servers behind the
// `default/kubernetes` Service's EndpointSlices (each kube-apiserver keeps its own address there), the leader-election Leases of the
// scheduler and controller-manager, and the control-plane hosts the profile lists.
import { CoordinationV1Api, DiscoveryV1Api, type KubeConfig } from '@kubernetes/client-node';

export interface ControlPlaneShape {
  /** Addresses of the API servers in the `default/kubernetes` Endpoints. */
  apiServers: string[];
  /** Control-plane hosts in the profile. */
  profileControlPlanes: number;
  /** Leader-election Leases present in kube-system (kube-scheduler, kube-controller-manager) and their holders. */
  leaderLeases: { name: string; holder: string | undefined }[];
}

export type Topology = 'single-control-plane' | 'ha-control-plane';

export async function readControlPlaneShape(kube: KubeConfig, profileControlPlanes: number): Promise<ControlPlaneShape> {
  // With the endpoint reconciler off (--endpoint-reconciler-type=none) there are none: the profile's hosts then tell.
  const slices = await kube.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=kubernetes' });
  const apiServers = [...new Set(slices.items.flatMap((slice) => slice.endpoints.flatMap((endpoint) => endpoint.addresses)))];
  const leases = kube.makeApiClient(CoordinationV1Api);
  const leaderLeases: ControlPlaneShape['leaderLeases'] = [];
  for (const name of ['kube-scheduler', 'kube-controller-manager']) {
    try {
      const lease = await leases.readNamespacedLease({ name, namespace: 'kube-system' });
      leaderLeases.push({ name, holder: lease.spec?.holderIdentity });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }
  return { apiServers, profileControlPlanes, leaderLeases };
}

/** HA when more than one API server serves the cluster or the profile lists more than one control-plane host. */
export function topologyOf(shape: ControlPlaneShape): Topology {
  return shape.apiServers.length > 1 || shape.profileControlPlanes > 1 ? 'ha-control-plane' : 'single-control-plane';
}

export function describeShape(shape: ControlPlaneShape): string {
  const parts = [
    `${shape.apiServers.length} API server(s) behind default/kubernetes (${shape.apiServers.join(', ') || 'none listed'})`,
    `${shape.profileControlPlanes} control-plane host(s) in the profile`,
  ];
  for (const lease of shape.leaderLeases) parts.push(`Lease kube-system/${lease.name} held by ${lease.holder ?? 'nobody'}`);
  return parts.join('; ');
}
