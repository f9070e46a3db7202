// The node.kubernetes.io/unreachable NoExecute taint the node-lifecycle controller puts on a node that stopped
// heart-beating, and when the control plane wrote it (its own clock, whole seconds).
import type { V1Node } from '@kubernetes/client-node';

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
