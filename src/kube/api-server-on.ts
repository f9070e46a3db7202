// A kubeconfig that talks to one control-plane host's own API server, not to the load balancer in front of them.
import { KubeConfig } from '@kubernetes/client-node';
import { componentOn } from '../profile/component-on.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The API server's URL on `host`: from its health URL in the profile (a loopback one, as kubeadm's preset has, is
 * asked at the host's address instead), else the host's address at the kubeconfig server's port.
 */
export function apiServerUrlOn(profile: ClusterProfile, host: ProfileHost, kube: KubeConfig): string {
  const health = componentOn(profile, host, 'kube-apiserver').health?.url;
  const server = new URL(kube.getCurrentCluster()?.server ?? 'https://localhost:6443');
  const url = new URL(health ?? server.origin);
  if (!health || LOOPBACK.has(url.hostname)) url.hostname = host.address.includes(':') ? `[${host.address}]` : host.address;
  if (!health) url.port = server.port;
  return url.origin;
}

/** A copy of `kube` whose current cluster points at `host`'s API server (same credentials and CA). */
export function kubeConfigOn(profile: ClusterProfile, host: ProfileHost, kube: KubeConfig): KubeConfig {
  const current = kube.getCurrentCluster();
  if (!current) throw new Error('the kubeconfig has no current cluster');
  const server = apiServerUrlOn(profile, host, kube);
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kube.clusters.map((cluster) => (cluster.name === current.name ? { ...cluster, server } : cluster)),
    users: kube.users,
    contexts: kube.contexts,
    currentContext: kube.getCurrentContext(),
  });
  return copy;
}
