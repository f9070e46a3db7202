// Fault: cordon a node and evict its pods as `kubectl drain` does (Eviction API, PodDisruptionBudgets hold); restore uncordons it.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { PreflightError, RestoreError } from '../engine/errors.ts';
import { currentRunId, type UndoRecord } from '../engine/journal.ts';
import { CORDONED_BY, markValue } from '../kube/drill-marks.ts';
import { setUnschedulable } from '../kube/node-schedulable.ts';
import { describeRefusals, planDrain, type DrainOptions } from './drain-filter.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { evictPod } from './pod-eviction.ts';
import { shellQuote } from '../transport/shell-quote.ts';

/** How long the evictions may wait for PodDisruptionBudgets to allow them, unless the profile says otherwise. */
const DEFAULT_DRAIN_TIMEOUT_MS = 120_000;

export interface NodeDrainOptions extends Partial<DrainOptions> {
  /** Budget for all evictions together; a pod a PodDisruptionBudget still holds back then fails the drain, named. */
  timeoutMs?: number;
}

export class NodeDrainFault implements Fault {
  readonly name: string;
  readonly description: string;

  constructor(
    readonly node: string,
    private readonly options: NodeDrainOptions = {},
  ) {
    this.name = `drain ${node}`;
    this.description = `cordon ${node} and evict its pods through the Eviction API; restore: uncordon ${node}`;
  }

  /** The explicit options win over the profile's drain section. */
  private settings(context: FaultContext): { deleteEmptyDirData: boolean; timeoutMs: number } {
    const profile = context.profile.drain;
    return {
      deleteEmptyDirData: this.options.deleteEmptyDirData ?? profile?.deleteEmptyDirData ?? false,
      timeoutMs: this.options.timeoutMs ?? (profile?.timeoutSeconds !== undefined ? profile.timeoutSeconds * 1000 : DEFAULT_DRAIN_TIMEOUT_MS),
    };
  }

  private async pods(context: FaultContext): Promise<V1Pod[]> {
    return (await context.kube.makeApiClient(CoreV1Api).listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${this.node}` })).items;
  }

  async preflight(context: FaultContext): Promise<void> {
    let pods: V1Pod[];
    try {
      const node = await context.kube.makeApiClient(CoreV1Api).readNode({ name: this.node });
      if (node.spec?.unschedulable) {
        throw new PreflightError(this.name, undefined, `${this.node} is already cordoned; the drill would uncordon it at the end, so it refuses: uncordon it first or pick another node`);
      }
      pods = await this.pods(context);
    } catch (error) {
      if (error instanceof PreflightError) throw error;
      throw new PreflightError(this.name, undefined, `cannot read node ${this.node} and its pods: ${(error as Error).message}`, { cause: error });
    }
    const { refused } = planDrain(pods, this.settings(context));
    if (refused.length > 0) throw new PreflightError(this.name, undefined, describeRefusals(this.node, refused));
  }

  undo(): UndoRecord {
    return { type: 'uncordon', node: this.node };
  }

  manualFix(): string {
    return shellQuote(['kubectl', 'uncordon', '--', this.node]);
  }

  async inject(context: FaultContext): Promise<void> {
    const settings = this.settings(context);
    // Checked again: a pod the drain must refuse may have arrived since preflight; refusing now still changes nothing.
    const plan = planDrain(await this.pods(context), settings);
    if (plan.refused.length > 0) throw new Error(`${this.name}: ${describeRefusals(this.node, plan.refused)} (nothing was changed)`);
    const mark = markValue(currentRunId());
    context.announceApiChange('cordon', `node/${this.node}`, `spec.unschedulable=true, label ${CORDONED_BY}=${mark}`);
    for (const pod of plan.evict) context.announceApiChange('evict', `pod/${pod.metadata?.namespace}/${pod.metadata?.name}`, `from ${this.node}`);
    if (context.dryRun) return;
    // Marked in the same patch: the steady-state check blames a drill only for a node it cordoned itself.
    await setUnschedulable(context.kube, this.node, true, { [CORDONED_BY]: mark });
    // All at once, as kubectl does, within one budget: a PodDisruptionBudget lets them go as replacements become ready.
    const results = await Promise.allSettled(
      plan.evict.map((pod) => evictPod(context.kube, pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', settings.timeoutMs, context.signal)),
    );
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    if (failures.length > 0) throw new Error(`${this.name}: ${failures.length} of ${plan.evict.length} pod(s) not evicted within ${settings.timeoutMs / 1000} s:\n  ${failures.join('\n  ')}`);
  }
}

export const restoreUncordon: Restorer = async (undo, context) => {
  const node = String(undo.node);
  context.announceApiChange('uncordon', `node/${node}`, `spec.unschedulable=false, label ${CORDONED_BY} removed`);
  if (context.dryRun) return;
  try {
    await setUnschedulable(context.kube, node, false, { [CORDONED_BY]: null });
  } catch (error) {
    throw new RestoreError(`node ${node} cordoned`, shellQuote(['kubectl', 'uncordon', '--', node]), (error as Error).message, { cause: error });
  }
};
