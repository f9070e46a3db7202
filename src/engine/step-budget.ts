// How long one drill step may run before the engine gives up on it, from the cluster's own timings.
import type { ClusterProfile } from '../profile/profile-schema.ts';

/** Waits a step has beyond the profile's timings: an API server starting, an instance booting. */
export const STEP_MARGIN_S = 300;

/**
 * The longest chain of Kubernetes timings one step can wait through, plus a margin. A node losing its heartbeats:
 * the grace period and a monitor period until NotReady, a lease duration of slack, then the longer toleration until
 * its pods are evicted. A static pod: its stop time, then the kubelet's longest restart backoff. Either may be followed
 * by new pods starting. Probes carry their own, shorter deadlines; this only stops a step that hangs. Restores a step
 * awaits get their own time on top.
 */
export function stepBudgetMs(timings: ClusterProfile['timings']): number {
  const heartbeatLoss =
    timings.nodeMonitorGracePeriodSeconds +
    timings.nodeMonitorPeriodSeconds +
    timings.nodeLeaseDurationSeconds +
    Math.max(timings.notReadyTolerationSeconds, timings.unreachableTolerationSeconds);
  const staticPod = timings.staticPodStopSeconds + timings.staticPodMaxBackoffSeconds;
  return (Math.max(heartbeatLoss, staticPod) + timings.podStartSeconds + STEP_MARGIN_S) * 1000;
}
