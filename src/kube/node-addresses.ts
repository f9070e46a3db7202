// The cluster's nodes with their status.addresses, read with one bounded request.
import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet } from './kube-config.ts';

export interface NodeAddresses {
  name: string;
  /** Every status.addresses entry (InternalIP, ExternalIP, Hostname, InternalDNS, ExternalDNS). */
  addresses: string[];
}

export async function listNodeAddresses(kube: KubeConfig, timeoutMs = 15_000): Promise<NodeAddresses[]> {
  const response = await apiGet(kube, '/api/v1/nodes', AbortSignal.timeout(timeoutMs));
  if (response.status !== 200) throw new Error(`GET /api/v1/nodes returned HTTP ${response.status}: ${response.body.slice(0, 200)}`);
  const list = JSON.parse(response.body) as { items?: { metadata?: { name?: string }; status?: { addresses?: { address?: string }[] } }[] };
  return (list.items ?? []).map((node) => ({
    name: node.metadata?.name ?? '',
    addresses: (node.status?.addresses ?? []).flatMap((entry) => (entry.address ? [entry.address] : [])),
  }));
}
