// The not-ready-nodes stop condition: a watch on all nodes, breached when more than `max` are not Ready.
import type { V1Node } from '@kubernetes/client-node';
import { NODES } from '../kube/resources.ts';
import { watchObjectSet } from '../probes/object-set-watch.ts';
import type { CheckContext, Evaluation, RunningCheck } from './condition-check.ts';

/** A node's Ready status when it is not "True": "False", "Unknown", or "no Ready condition". */
function notReadyStatus(node: V1Node): string | undefined {
  const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
  if (!ready) return 'no Ready condition';
  return ready.status === 'True' ? undefined : ready.status;
}

/** Judges the nodes: "2 NotReady of 4 nodes: worker-1 (Unknown), worker-2 (False)". */
export function judgeNodes(nodes: V1Node[], max: number): Evaluation {
  const notReady = nodes.flatMap((node) => {
    const status = notReadyStatus(node);
    return status === undefined ? [] : [`${node.metadata?.name ?? '?'} (${status})`];
  });
  return { ok: notReady.length <= max, value: `${notReady.length} NotReady of ${nodes.length} node${nodes.length === 1 ? '' : 's'}${notReady.length ? `: ${notReady.sort().join(', ')}` : ''}` };
}

export function checkNotReadyNodes(condition: { name: string; max: number }, context: CheckContext): RunningCheck {
  const watch = watchObjectSet<V1Node>(
    { kubeconfig: context.kube, type: NODES, description: `stop condition '${condition.name}': nodes Ready`, describe: (nodes) => judgeNodes(nodes, condition.max).value },
    (nodes) => context.evaluated(judgeNodes(nodes, condition.max)),
  );
  return {
    threshold: `at most ${condition.max} NotReady node${condition.max === 1 ? '' : 's'}`,
    pending: () => watch.last,
    stop: async () => watch.stop(),
  };
}
