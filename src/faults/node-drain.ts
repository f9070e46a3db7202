// Fault: cordon a node and evict its pods (kubectl drain); restore uncordons it.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { PreflightError, RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import { setUnschedulable } from '../kube/node-schedulable.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { shellQuote } from '../transport/shell-quote.ts';

/** Pods a drain leaves alone: DaemonSet pods and static (mirror) pods. */
function evictable(pod: V1Pod): boolean {
  const owners = pod.metadata?.ownerReferences ?? [];
  const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  return !mirror && !owners.some((owner) => owner.kind === 'DaemonSet') && !pod.metadata?.deletionTimestamp;
}

export class NodeDrainFault implements Fault {
  readonly name: string;
  readonly description: string;

  constructor(readonly node: string) {
    this.name = `drain ${node}`;
    this.description = `cordon ${node} and evict its pods; restore: uncordon ${node}`;
  }

  async preflight(context: FaultContext): Promise<void> {
    try {
      const node = await context.kube.makeApiClient(CoreV1Api).readNode({ name: this.node });
      if (node.spec?.unschedulable) {
        throw new PreflightError(this.name, undefined, `${this.node} is already cordoned; the drill would uncordon it at the end, so it refuses: uncordon it first or pick another node`);
      }
    } catch (error) {
      if (error instanceof PreflightError) throw error;
      throw new PreflightError(this.name, undefined, `cannot read node ${this.node}: ${(error as Error).message}`, { cause: error });
    }
  }

  undo(): UndoRecord {
    return { type: 'uncordon', node: this.node };
  }

  manualFix(): string {
    return shellQuote(['kubectl', 'uncordon', '--', this.node]);
  }

  async inject(context: FaultContext): Promise<void> {
    context.announceApiChange('cordon', `node/${this.node}`, 'spec.unschedulable=true');
    const core = context.kube.makeApiClient(CoreV1Api);
    const pods = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${this.node}` });
    const targets = pods.items.filter(evictable);
    for (const pod of targets) context.announceApiChange('evict', `pod/${pod.metadata?.namespace}/${pod.metadata?.name}`, `from ${this.node}`);
    if (context.dryRun) return;
    await setUnschedulable(context.kube, this.node, true);
    for (const pod of targets) {
      const name = pod.metadata?.name ?? '';
      const namespace = pod.metadata?.namespace ?? 'default';
      await core.createNamespacedPodEviction({ name, namespace, body: { metadata: { name, namespace } } });
    }
  }
}

export const restoreUncordon: Restorer = async (undo, context) => {
  const node = String(undo.node);
  context.announceApiChange('uncordon', `node/${node}`, 'spec.unschedulable=false');
  if (context.dryRun) return;
  try {
    await setUnschedulable(context.kube, node, false);
  } catch (error) {
    throw new RestoreError(`node ${node} cordoned`, shellQuote(['kubectl', 'uncordon', '--', node]), (error as Error).message, { cause: error });
  }
};
