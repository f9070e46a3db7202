// Small readings of pods that drills and probes share.
import type { V1Pod } from '@kubernetes/client-node';

export const podName = (pod: V1Pod) => pod.metadata?.name ?? '';

export const isTerminating = (pod: V1Pod) => !!pod.metadata?.deletionTimestamp;

/** Scheduled to no node yet: what a pod looks like while the scheduler is down. */
export const isUnscheduled = (pod: V1Pod) => !pod.spec?.nodeName;

export const isRunning = (pod: V1Pod) =>
  pod.status?.phase === 'Running' && !isTerminating(pod) && (pod.status?.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True');

/** "3 Running, 2 Pending (unscheduled), 1 Terminating" */
export function describePods(pods: V1Pod[]): string {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    const state = isTerminating(pod) ? 'Terminating' : isUnscheduled(pod) ? 'Pending (unscheduled)' : isRunning(pod) ? 'Running' : (pod.status?.phase ?? 'Unknown');
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  return counts.size ? [...counts].map(([state, count]) => `${count} ${state}`).join(', ') : 'no pods';
}
