// Who the target cluster is: the kube-system namespace's UID (stable for a cluster's life), its API server URL and
// the kubeconfig context actually in effect. Read before any fault; recorded in the journal and the report.
import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet } from './kube-config.ts';

export interface ClusterIdentity {
  /** metadata.uid of the kube-system namespace. */
  uid: string;
  /** The API server URL the kubeconfig's effective context points at. */
  server: string;
  /** The effective context (the profile's, or else the kubeconfig's current one). */
  context: string;
}

/** The API server did not answer in time (or refused); names the server and context. */
export class ClusterUnreachableError extends Error {
  readonly code = 'CLUSTER_UNREACHABLE';
  readonly exitCode = 4;
  constructor(
    readonly server: string,
    readonly context: string,
    readonly why: string,
  ) {
    super(
      `the API server ${server} (context "${context}") did not answer: ${why}. ` +
        'Check that the cluster is up and that the kubeconfig and context point at it; nothing was changed.',
    );
    this.name = 'ClusterUnreachableError';
  }
}

export const IDENTITY_TIMEOUT_MS = 15_000;

/** Reads the identity with one bounded request: a server that does not answer fails within timeoutMs. */
export async function readClusterIdentity(kube: KubeConfig, timeoutMs = IDENTITY_TIMEOUT_MS): Promise<ClusterIdentity> {
  const server = kube.getCurrentCluster()?.server ?? '(no server in the kubeconfig)';
  const context = kube.getCurrentContext();
  let response;
  try {
    response = await apiGet(kube, '/api/v1/namespaces/kube-system', AbortSignal.timeout(timeoutMs));
  } catch (error) {
    const why = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s` : (error as Error).message;
    throw new ClusterUnreachableError(server, context, why);
  }
  if (response.status !== 200) {
    throw new ClusterUnreachableError(server, context, `GET /api/v1/namespaces/kube-system returned HTTP ${response.status}: ${response.body.slice(0, 200)}`);
  }
  const uid = (JSON.parse(response.body) as { metadata?: { uid?: string } }).metadata?.uid;
  if (!uid) throw new ClusterUnreachableError(server, context, 'the kube-system namespace has no metadata.uid');
  return { uid, server, context };
}
