// Who the cluster is when its API server does not answer (etcd stopped, apiserver down): the journal copies on its
// control-plane hosts are named by the cluster's kube-system UID, so a restore can still run and still filter by it.
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterUnreachableError, type ClusterIdentity } from '../kube/cluster-identity.ts';
import type { ClusterProfile } from '../profile/profile-schema.ts';
import type { Transport } from '../transport/transport.ts';
import { HostJournal } from './host-journal.ts';
import { pendingFromLines } from './journal.ts';

/** Lists the journal copies (one per cluster UID) in $1. */
const LIST = 'cd "$1" 2>/dev/null || exit 0; for f in *.jsonl; do test -f "$f" && echo "${f%.jsonl}"; done; exit 0';

/**
 * The UID of the one cluster whose journal copy on the control-plane hosts lists pending entries (or the only copy
 * there). Throws the original error, with what the hosts said, if that does not name exactly one cluster.
 */
export async function identityFromHosts(
  profile: ClusterProfile,
  kube: KubeConfig,
  transport: Transport,
  unreachable: ClusterUnreachableError,
): Promise<ClusterIdentity> {
  const hosts = profile.hosts.filter((host) => host.role === 'control-plane');
  const uids = new Set<string>();
  for (const host of hosts) {
    const listed = await transport.run(host, ['sh', '-c', LIST, 'sh', profile.safety.journalDir], { timeoutMs: 15_000 }).catch(() => undefined);
    for (const uid of listed?.code === 0 ? listed.stdout.split('\n') : []) if (/^[\w.-]+$/.test(uid)) uids.add(uid);
  }
  const withPending: string[] = [];
  for (const uid of uids) {
    const copy = await new HostJournal(transport, hosts, profile.safety.journalDir, uid).read();
    if (pendingFromLines(copy.text).length > 0) withPending.push(uid);
  }
  const candidates = withPending.length > 0 ? withPending : [...uids];
  if (candidates.length === 1) {
    return { uid: candidates[0] as string, server: kube.getCurrentCluster()?.server ?? '(no server in the kubeconfig)', context: kube.getCurrentContext() };
  }
  const found = candidates.length === 0 ? 'no journal copy either' : `journal copies of several clusters (${candidates.join(', ')}; remove the stale ones)`;
  const why = unreachable.message.replace(/^.*? did not answer: /, '').replace(/\. Check that .*$/s, '');
  throw new ClusterUnreachableError(
    kube.getCurrentCluster()?.server ?? '(no server in the kubeconfig)',
    kube.getCurrentContext(),
    `${why}; and the control-plane hosts have ${found} in ${profile.safety.journalDir}, so the cluster cannot be identified without its API`,
  );
}
