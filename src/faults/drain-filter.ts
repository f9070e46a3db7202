// Which pods a drain evicts, leaves alone, or refuses, by the rules `kubectl drain` applies.
import type { V1Pod } from '@kubernetes/client-node';

export interface DrainOptions {
  /** Evict pods with emptyDir volumes, losing that data (kubectl drain --delete-emptydir-data). */
  deleteEmptyDirData: boolean;
}

export interface DrainPlan {
  evict: V1Pod[];
  /** Pods the drain would refuse, each with the reason. */
  refused: { pod: string; reason: string }[];
}

const qualified = (pod: V1Pod) => `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;

/**
 * Left alone, as kubectl does: static (mirror) pods, DaemonSet pods (--ignore-daemonsets) and pods already being
 * deleted. Refused: pods no controller recreates (kubectl needs --force) and pods with emptyDir data (kubectl needs
 * --delete-emptydir-data), unless they have finished running.
 */
export function planDrain(pods: V1Pod[], options: DrainOptions): DrainPlan {
  const plan: DrainPlan = { evict: [], refused: [] };
  for (const pod of pods) {
    const controller = pod.metadata?.ownerReferences?.find((owner) => owner.controller);
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
    if (controller?.kind === 'DaemonSet' || pod.metadata?.deletionTimestamp) continue;
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    const emptyDirs = (pod.spec?.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name);
    if (!finished && !controller) {
      plan.refused.push({ pod: qualified(pod), reason: 'no controller would recreate it (a bare pod; kubectl drain needs --force to delete it)' });
    } else if (!finished && emptyDirs.length > 0 && !options.deleteEmptyDirData) {
      plan.refused.push({ pod: qualified(pod), reason: `its emptyDir volume(s) ${emptyDirs.join(', ')} would be lost (set drain.deleteEmptyDirData: true in the profile to allow it)` });
    } else {
      plan.evict.push(pod);
    }
  }
  return plan;
}

export function describeRefusals(node: string, refused: DrainPlan['refused']): string {
  return `${node} runs ${refused.length} pod(s) a drain must not evict: ${refused.map(({ pod, reason }) => `${pod}: ${reason}`).join('; ')}. Move or delete them first, or pick another node`;
}
