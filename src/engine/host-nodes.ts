// Every profile host must be a node of the cluster the kubeconfig points at: its address is one of a node's
// status.addresses, or its `node:` names a node. Otherwise the profile and the kubeconfig describe different clusters.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { NodeAddresses } from '../kube/node-addresses.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';

/** Problems, one per host that is not a node of this cluster (empty when every host is). `resolved`: host address → its IPs. */
export function hostNodeProblems(hosts: readonly ProfileHost[], nodes: readonly NodeAddresses[], resolved: ReadonlyMap<string, string[]> = new Map()): string[] {
  const problems: string[] = [];
  const nodeNames = new Set(nodes.map((node) => node.name));
  hosts.forEach((host, index) => {
    const candidates = [host.address, ...(resolved.get(host.address) ?? [])];
    const byAddress = nodes.filter((node) => node.addresses.some((address) => candidates.includes(address))).map((node) => node.name);
    const label = `hosts[${index}] "${host.name}" (${host.address})`;
    if (host.node !== undefined) {
      if (!nodeNames.has(host.node)) problems.push(`${label}: its node "${host.node}" is not a node of this cluster`);
      else if (byAddress.length > 0 && !byAddress.includes(host.node)) problems.push(`${label}: its node is "${host.node}", but its address belongs to node ${byAddress.map((name) => `"${name}"`).join(', ')}`);
      return;
    }
    if (byAddress.length === 0) {
      problems.push(`${label}: no node of this cluster has the address ${host.address}; if the host is reached by another address, set hosts[${index}].node to its node's name`);
    }
  });
  return problems;
}

/** IPs of the host addresses that are names (bounded: a name that does not resolve in time just has none). */
export async function resolveHostAddresses(hosts: readonly ProfileHost[], timeoutMs = 5_000): Promise<Map<string, string[]>> {
  const names = [...new Set(hosts.map((host) => host.address).filter((address) => isIP(address) === 0))];
  const entries = await Promise.all(
    names.map(async (name): Promise<[string, string[]]> => {
      const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), timeoutMs).unref());
      const ips = lookup(name, { all: true }).then((results) => results.map((result) => result.address), () => []);
      return [name, await Promise.race([ips, timeout])];
    }),
  );
  return new Map(entries);
}
