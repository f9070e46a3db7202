// Shared by the drills that take a node's heartbeats away: watching its readiness, and judging when it went NotReady.
import type { V1Node } from '@kubernetes/client-node';
import { isNodeReady, NODES, waitForObjects, type DrillHandle, type HeartbeatWatch } from '../src/index.ts';

/** Slack on top of the node-monitor period: watch delivery and the controller's own processing. */
export const MARGIN_S = 3;

/** A watch query on one node, for waitForObjects. */
export const nodeWatch = (d: DrillHandle, node: string) => ({
  kubeconfig: d.target.kube,
  type: NODES,
  fieldSelector: `metadata.name=${node}`,
  signal: d.signal,
  onObservation: (observation: { at: Date; text: string }) => d.observe('node', observation.text, observation.at),
});

export const readiness = (node: string) => ([seen]: V1Node[]) => `${node} ${seen && isNodeReady(seen) ? 'Ready' : 'NotReady'}`;

/**
 * Waits until the node is NotReady and expects it at the right time, judged as the node-lifecycle controller judges:
 * never before the grace period after the last renewal was stamped, and at most the grace period, one monitor period
 * and a margin after that renewal reached the API. `cause` says what stopped the heartbeats, for the report.
 */
export async function expectNotReadyAfterGrace(d: DrillHandle, node: string, heartbeats: HeartbeatWatch | undefined, stoppedAt: Date, cause: string): Promise<void> {
  const { nodeMonitorGracePeriodSeconds: grace, nodeMonitorPeriodSeconds: period } = d.timings;
  const notReady = await waitForObjects<V1Node>({
    ...nodeWatch(d, node),
    description: `${node} NotReady`,
    timeoutMs: (grace + period + MARGIN_S + 30) * 1000,
    until: ([seen]) => !!seen && !isNodeReady(seen),
    describe: readiness(node),
  });
  heartbeats?.stop();
  const last = heartbeats?.last();
  if (!last) throw new Error(`no heartbeat of ${node} was seen (its Lease in kube-node-lease has no renewTime)`);
  const sinceRenew = (notReady.at.getTime() - last.renewTime.getTime()) / 1000;
  const sinceSeen = (notReady.at.getTime() - last.seenAt.getTime()) / 1000;
  const sinceStop = (notReady.at.getTime() - stoppedAt.getTime()) / 1000;
  d.observe('lease', `last heartbeat of ${node}: stamped ${last.renewTime.toISOString()}, seen ${last.seenAt.toISOString()} (${cause} at ${stoppedAt.toISOString()})`);
  const upper = grace + period + MARGIN_S;
  d.expect({
    name: 'node NotReady after heartbeat loss',
    bound: `at least ${grace} s (node-monitor grace period) after the last heartbeat, and at most ${upper} s after it reached the API`,
    measured: `NotReady ${sinceRenew.toFixed(1)} s after the last heartbeat, ${sinceSeen.toFixed(1)} s after it was seen (${sinceStop.toFixed(1)} s after the ${cause})`,
    ok: sinceRenew >= grace && sinceSeen <= upper,
    // Drawn against the renewal stamp: the upper bound moves by how late the renewal reached the API.
    seconds: sinceRenew,
    lowerSeconds: grace,
    upperSeconds: upper + (sinceRenew - sinceSeen),
  });
}
