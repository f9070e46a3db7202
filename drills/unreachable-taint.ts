// The node.kubernetes.io/unreachable NoExecute taint the node-lifecycle controller puts on a node that stopped
// heart-beating, and when the control plane wrote it (its own clock, whole seconds).
import type { V1Node } from '@kubernetes/client-node';
import type { ClusterProfile } from '../src/index.ts';

export const unreachableTaint = (node: V1Node) => node.spec?.taints?.find((taint) => taint.key === 'node.kubernetes.io/unreachable' && taint.effect === 'NoExecute');

/** When the control plane added the node's unreachable taint (ms), if it is there. */
export function taintAddedAt(node: V1Node | undefined): number | undefined {
  const added = node && unreachableTaint(node)?.timeAdded;
  return added ? new Date(added).getTime() : undefined;
}

/**
 * How many seconds after `first` was seen the taint on `now` was written again, or 0. A controller-manager that starts
 * or takes the Lease removes the taint and adds it again with a new timeAdded; a second apart is within its resolution.
 */
export function rewrittenAfterS(first: V1Node | undefined, now: V1Node): number {
  const [was, is] = [taintAddedAt(first), taintAddedAt(now)];
  return was !== undefined && is !== undefined && is - was > 1000 ? (is - was) / 1000 : 0;
}

/** When a node's pods may be evicted, in seconds after its unreachable taint was first seen. */
export interface EvictionBound {
  lowerSeconds: number;
  upperSeconds: number;
  /** The bound in words, for the report. */
  text: string;
}

/**
 * The taint-eviction controller counts `toleration` from when it processed the taint, in memory. If the taint was
 * written again `rewrittenS` later, it counts from either write: it keeps an eviction already scheduled, and starts
 * again only if the taint was gone meanwhile. Taints have 1 s resolution, hence the second below.
 */
export function evictionBound(toleration: number, rewrittenS: number, marginS: number): EvictionBound {
  const upperSeconds = toleration + rewrittenS + marginS;
  const again = rewrittenS ? `, or from the taint written again ${rewrittenS.toFixed(0)} s later` : '';
  return {
    lowerSeconds: toleration - 1,
    upperSeconds,
    text: `between ${toleration - 1} s and ${upperSeconds.toFixed(0)} s after the unreachable taint (tolerationSeconds ${toleration} from the taint${again}; taints have 1 s resolution)`,
  };
}

/**
 * How long to wait for the eviction before calling it a hang: past any bound evictionBound can give. A controller-manager
 * that starts while the node is down writes the taint again at most its Lease, a grace period and a monitor period later.
 */
export function evictionWaitSeconds(timings: ClusterProfile['timings'], marginS: number): number {
  const rewriteWithin = timings.leaderElectionLeaseDurationSeconds + timings.nodeMonitorGracePeriodSeconds + timings.nodeMonitorPeriodSeconds;
  return timings.unreachableTolerationSeconds + rewriteWithin + marginS + 30;
}
