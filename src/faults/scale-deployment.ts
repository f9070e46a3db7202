// A change a drill makes to the app: scale a deployment. Journaled like a fault, so its original size is always restored.
import { AppsV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { PreflightError, RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import { eventually } from '../probes/eventually.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { shellQuote } from '../transport/shell-quote.ts';

async function patchReplicas(kube: KubeConfig, namespace: string, name: string, replicas: number): Promise<void> {
  await kube
    .makeApiClient(AppsV1Api)
    .patchNamespacedDeployment({ namespace, name, body: { spec: { replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

export class ScaleDeploymentChange implements Fault {
  readonly name: string;
  readonly description: string;
  private original: number | undefined;

  /** `change` is the new replica count, or { by: N } to add (or remove) N replicas to the count found at preflight. */
  constructor(
    readonly namespace: string,
    readonly deployment: string,
    private readonly change: number | { by: number },
  ) {
    const what = typeof change === 'number' ? `to ${change}` : `by ${change.by > 0 ? '+' : ''}${change.by}`;
    this.name = `scale ${namespace}/${deployment} ${what}`;
    this.description = `set spec.replicas of deployment ${namespace}/${deployment} ${what}; restore: back to its original count`;
  }

  /** The replica count the change sets (known once preflight has read the deployment). */
  get replicas(): number {
    return typeof this.change === 'number' ? this.change : this.originalReplicas + this.change.by;
  }

  async preflight(context: FaultContext): Promise<void> {
    try {
      const current = await context.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: this.namespace, name: this.deployment });
      this.original = current.spec?.replicas ?? 1;
    } catch (error) {
      throw new PreflightError(this.name, undefined, `cannot read deployment ${this.namespace}/${this.deployment}: ${(error as Error).message}`, { cause: error });
    }
  }

  get originalReplicas(): number {
    if (this.original === undefined) throw new Error(`${this.name}: preflight has not run`);
    return this.original;
  }

  undo(): UndoRecord {
    return { type: 'scale', namespace: this.namespace, deployment: this.deployment, replicas: this.originalReplicas };
  }

  manualFix(): string {
    return shellQuote(['kubectl', '-n', this.namespace, 'scale', `deployment/${this.deployment}`, `--replicas=${this.original ?? '<original>'}`]);
  }

  async inject(context: FaultContext): Promise<void> {
    context.announceApiChange('scale', `deployment/${this.namespace}/${this.deployment}`, `spec.replicas ${this.original} → ${this.replicas}`);
    if (!context.dryRun) await patchReplicas(context.kube, this.namespace, this.deployment, this.replicas);
  }
}

export const restoreScale: Restorer = async (undo, context) => {
  const namespace = String(undo.namespace);
  const name = String(undo.deployment);
  const replicas = Number(undo.replicas);
  context.announceApiChange('scale', `deployment/${namespace}/${name}`, `spec.replicas → ${replicas} (restore)`);
  if (context.dryRun) return;
  try {
    // The API may itself be recovering from the drill's fault: retry for a while.
    await eventually(() => patchReplicas(context.kube, namespace, name, replicas), { description: `deployment ${namespace}/${name} scaled back to ${replicas}`, timeoutMs: 60_000 });
  } catch (error) {
    throw new RestoreError(`deployment ${namespace}/${name} scaled`, shellQuote(['kubectl', '-n', namespace, 'scale', `deployment/${name}`, `--replicas=${replicas}`]), (error as Error).message, { cause: error });
  }
};
