// A node's heartbeats as the node-lifecycle controller sees them: each renewal of its Lease, and when it arrived.
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';
import { LEASES } from '../kube/resources.ts';
import { watchObjectSet } from './object-set-watch.ts';

export interface Heartbeat {
  /** The Lease's spec.renewTime, stamped by the kubelet's clock when it renewed. */
  renewTime: Date;
  /** When this watch saw the renewal (the controller judges by arrival, not by renewTime). */
  seenAt: Date;
}

export interface HeartbeatWatch {
  /** The newest heartbeat seen so far, if any; throws if the watch stopped on an error. */
  last(): Heartbeat | undefined;
  stop(): void;
}

/** Watches one node's Lease in kube-node-lease; a renewal already there when the list arrives counts as seen then. */
export function watchHeartbeats(kubeconfig: KubeConfig, node: string, signal?: AbortSignal): HeartbeatWatch {
  let last: Heartbeat | undefined;
  let failure: Error | undefined;
  const watch = watchObjectSet<V1Lease>(
    {
      kubeconfig,
      type: LEASES,
      namespace: 'kube-node-lease',
      fieldSelector: `metadata.name=${node}`,
      description: `heartbeats of ${node}`,
      signal,
      describe: ([lease]) => `renewTime ${lease?.spec?.renewTime ? new Date(lease.spec.renewTime).toISOString() : 'none'}`,
    },
    {
      probe: 'watchHeartbeats',
      onChange: ([lease]) => {
        const stamp = lease?.spec?.renewTime;
        if (!stamp) return;
        const renewTime = new Date(stamp);
        if (!last || renewTime.getTime() !== last.renewTime.getTime()) last = { renewTime, seenAt: new Date() };
      },
      onCallbackError: (error) => (failure = error),
    },
  );
  signal?.addEventListener('abort', () => watch.stop(), { once: true });
  return {
    last: () => {
      if (failure) throw failure;
      return last;
    },
    stop: () => watch.stop(),
  };
}
