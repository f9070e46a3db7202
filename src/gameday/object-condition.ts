// The kubernetes-condition stop condition: a watch on one object, breached when one of its status.conditions has not
// had the wanted status for longer than the grace period (or the object has been missing that long).
import type { KubernetesObject, V1Condition } from '@kubernetes/client-node';
import { resourceTypeOf } from '../kube/api-resource.ts';
import { watchObjectSet, type ObjectSetWatch } from '../probes/object-set-watch.ts';
import type { StopCondition } from './plan-types.ts';
import type { CheckContext, Evaluation, RunningCheck } from './condition-check.ts';

type ObjectCondition = Extract<StopCondition, { kind: 'kubernetes-condition' }>;
type WithConditions = KubernetesObject & { status?: { conditions?: Partial<V1Condition>[] } };

/** "Deployment default/guestbook". */
export const objectName = ({ object }: ObjectCondition) => `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;

/** What the object shows now, and whether that is the wanted status: "Available=False (MinimumReplicasUnavailable: ...)". */
export function describeCondition(condition: ObjectCondition, object: WithConditions | undefined): { wanted: boolean; text: string } {
  if (!object) return { wanted: false, text: `${objectName(condition)} not found` };
  const seen = object.status?.conditions?.find((candidate) => candidate.type === condition.conditionType);
  if (!seen) return { wanted: false, text: `${objectName(condition)} has no ${condition.conditionType} condition` };
  const why = [seen.reason, seen.message].filter(Boolean).join(': ');
  return { wanted: seen.status === condition.status, text: `${condition.conditionType}=${seen.status}${why ? ` (${why})` : ''}` };
}

/**
 * Judges from the monitor's own observations: the grace period runs from when the monitor first saw the condition
 * off (not from its lastTransitionTime, which the API server's clock stamps).
 */
export function checkObjectCondition(condition: ObjectCondition, context: CheckContext): RunningCheck {
  const graceMs = condition.graceSeconds * 1000;
  let offSince: number | undefined;
  let current: { wanted: boolean; text: string } | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let watch: ObjectSetWatch | undefined;
  let stopped = false;
  let discoveryError: string | undefined;

  const evaluate = () => {
    if (!current || stopped) return;
    const now = context.now();
    clearTimeout(graceTimer);
    if (current.wanted) {
      offSince = undefined;
      context.evaluated({ ok: true, value: current.text });
      return;
    }
    offSince ??= now;
    const offMs = now - offSince;
    const evaluation: Evaluation = { ok: offMs < graceMs, value: `${current.text} for ${(offMs / 1000).toFixed(1)} s` };
    // No event may come when the grace period runs out: judge again then.
    if (evaluation.ok) graceTimer = setTimeout(evaluate, graceMs - offMs);
    context.evaluated(evaluation);
  };

  resourceTypeOf(context.kube, condition.object.apiVersion, condition.object.kind).then(
    (type) => {
      if (stopped) return;
      watch = watchObjectSet<WithConditions>(
        {
          kubeconfig: context.kube,
          type,
          namespace: type.namespaced ? (condition.object.namespace ?? 'default') : undefined,
          fieldSelector: `metadata.name=${condition.object.name}`,
          description: `stop condition '${condition.name}': ${objectName(condition)} ${condition.conditionType}=${condition.status}`,
          describe: ([object]) => describeCondition(condition, object).text,
        },
        ([object]) => {
          current = describeCondition(condition, object);
          evaluate();
        },
      );
    },
    (error: Error) => {
      discoveryError = error.message;
      context.failed(new Error(`cannot watch ${objectName(condition)}: ${error.message}`, { cause: error }));
    },
  );

  return {
    threshold: `${condition.conditionType}=${condition.status}, or off for less than ${condition.graceSeconds} s`,
    pending: () => watch?.last ?? discoveryError ?? `discovering ${condition.object.apiVersion} ${condition.object.kind}`,
    stop: async () => {
      stopped = true;
      clearTimeout(graceTimer);
      watch?.stop();
    },
  };
}
