// A change a drill makes to the app: scale a deployment. Journaled like a fault; the restore puts the original size back
// only if the count is still the one the drill set (an HPA or a deploy meanwhile wins).
import { AppsV1Api, AutoscalingV2Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { PreflightError, RestoreError } from '../engine/errors.ts';
import { currentRunId, type UndoRecord } from '../engine/journal.ts';
import { markValue, REPLICAS_BEFORE, SCALED_BY } from '../kube/drill-marks.ts';
import { eventually } from '../probes/eventually.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { shellQuote } from '../transport/shell-quote.ts';

/** The drill's mark on a deployment it scaled (set), or its removal (null). */
type ScaleMark = { labels: Record<string, string | null>; annotations: Record<string, string | null> };
const UNMARK: ScaleMark = { labels: { [SCALED_BY]: null }, annotations: { [REPLICAS_BEFORE]: null } };

/**
 * Sets spec.replicas (and the drill's mark, in the same patch); with `resourceVersion`, only if the deployment has not
 * changed since it was read (409 otherwise).
 */
async function patchReplicas(kube: KubeConfig, namespace: string, name: string, replicas: number | undefined, resourceVersion?: string, mark?: ScaleMark): Promise<void> {
  const metadata = { ...(resourceVersion ? { resourceVersion } : {}), ...(mark ?? {}) };
  const body = { ...(Object.keys(metadata).length ? { metadata } : {}), ...(replicas === undefined ? {} : { spec: { replicas } }) };
  await kube.makeApiClient(AppsV1Api).patchNamespacedDeployment({ namespace, name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

/** The HorizontalPodAutoscalers (autoscaling/v2) in the namespace that scale this deployment. */
async function autoscalersOf(kube: KubeConfig, namespace: string, deployment: string): Promise<string[]> {
  const list = await kube.makeApiClient(AutoscalingV2Api).listNamespacedHorizontalPodAutoscaler({ namespace });
  return list.items
    .filter(({ spec }) => spec?.scaleTargetRef.kind === 'Deployment' && spec.scaleTargetRef.name === deployment && (spec.scaleTargetRef.apiVersion ?? 'apps/v1').startsWith('apps/'))
    .map((hpa) => hpa.metadata?.name ?? '');
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
    this.description = `set spec.replicas of deployment ${namespace}/${deployment} ${what}; restore: back to its original count, unless someone changed it meanwhile`;
  }

  /** The replica count the change sets (known once preflight has read the deployment). */
  get replicas(): number {
    return typeof this.change === 'number' ? this.change : this.originalReplicas + this.change.by;
  }

  async preflight(context: FaultContext): Promise<void> {
    const fail = (message: string, cause?: unknown) => new PreflightError(this.name, undefined, message, { cause });
    try {
      const current = await context.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: this.namespace, name: this.deployment });
      this.original = current.spec?.replicas ?? 1;
    } catch (error) {
      throw fail(`cannot read deployment ${this.namespace}/${this.deployment}: ${(error as Error).message}`, error);
    }
    const autoscalers = await autoscalersOf(context.kube, this.namespace, this.deployment).catch((error: Error) => {
      throw fail(`cannot list the HorizontalPodAutoscalers (autoscaling/v2) of namespace ${this.namespace}: ${error.message}`, error);
    });
    if (autoscalers.length > 0) {
      throw fail(
        `deployment ${this.namespace}/${this.deployment} is scaled by the HorizontalPodAutoscaler ${autoscalers.map((name) => `${this.namespace}/${name}`).join(', ')}: ` +
          'it would undo the drill\'s scaling and the drill\'s restore would fight it. Point the drill at a deployment no HPA scales, or remove the HPA for the drill',
      );
    }
  }

  get originalReplicas(): number {
    if (this.original === undefined) throw new Error(`${this.name}: preflight has not run`);
    return this.original;
  }

  undo(): UndoRecord {
    return { type: 'scale', namespace: this.namespace, deployment: this.deployment, replicas: this.originalReplicas, set: this.replicas };
  }

  manualFix(): string {
    return shellQuote(['kubectl', '-n', this.namespace, 'scale', `deployment/${this.deployment}`, `--replicas=${this.original ?? '<original>'}`]);
  }

  async inject(context: FaultContext): Promise<void> {
    const mark = markValue(currentRunId());
    context.announceApiChange('scale', `deployment/${this.namespace}/${this.deployment}`, `spec.replicas ${this.original} → ${this.replicas}, label ${SCALED_BY}=${mark}`);
    if (context.dryRun) return;
    // Marked in the same patch, with the count before the first drill-made change (a second change keeps it), so the
    // steady-state check sees a change left behind and its restore knows when the count is back.
    const current = await context.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: this.namespace, name: this.deployment });
    const before = current.metadata?.annotations?.[REPLICAS_BEFORE] ?? String(this.originalReplicas);
    await patchReplicas(context.kube, this.namespace, this.deployment, this.replicas, undefined, { labels: { [SCALED_BY]: mark }, annotations: { [REPLICAS_BEFORE]: before } });
  }
}

/**
 * Scales back to the original count if spec.replicas is still what the drill set (checked and written atomically, with
 * the resourceVersion read); otherwise leaves it and says so. Journal entries without `set` restore unconditionally.
 */
export const restoreScale: Restorer = async (undo, context) => {
  const namespace = String(undo.namespace);
  const name = String(undo.deployment);
  const replicas = Number(undo.replicas);
  const set = undo.set === undefined ? undefined : Number(undo.set);
  const object = `deployment/${namespace}/${name}`;
  if (context.dryRun) {
    context.announceApiChange('scale', object, `spec.replicas → ${replicas} (restore)`);
    return;
  }
  try {
    const apps = context.kube.makeApiClient(AppsV1Api);
    // The API may itself be recovering from the drill's fault, and a 409 means it changed between read and write: retry.
    await eventually(
      async () => {
        const current = await apps.readNamespacedDeployment({ namespace, name });
        const now = current.spec?.replicas ?? 1;
        const marked = current.metadata?.labels?.[SCALED_BY] !== undefined;
        const before = current.metadata?.annotations?.[REPLICAS_BEFORE];
        // The mark goes once the count is back where it was before the drill's first change (or someone else's count won).
        const unmark = marked && (before === undefined || Number(before) === replicas) ? UNMARK : undefined;
        const resourceVersion = current.metadata?.resourceVersion;
        if (now === replicas) {
          if (unmark) await patchReplicas(context.kube, namespace, name, undefined, resourceVersion, unmark);
          return;
        }
        if (set !== undefined && now !== set) {
          // Said once it holds: an unmark that meets a newer resourceVersion (409) is tried again, not announced twice.
          if (marked) await patchReplicas(context.kube, namespace, name, undefined, resourceVersion, UNMARK);
          context.announceApiChange('leave', object, `replicas is now ${now}, not the ${set} this drill set; not restoring to ${replicas} (someone else changed it)`);
          return;
        }
        await patchReplicas(context.kube, namespace, name, replicas, set === undefined ? undefined : resourceVersion, unmark);
        context.announceApiChange('scale', object, `spec.replicas → ${replicas} (restore)`);
      },
      { description: `deployment ${namespace}/${name} scaled back to ${replicas}`, timeoutMs: 60_000 },
    );
  } catch (error) {
    throw new RestoreError(`deployment ${namespace}/${name} scaled`, shellQuote(['kubectl', '-n', namespace, 'scale', `deployment/${name}`, `--replicas=${replicas}`]), (error as Error).message, { cause: error });
  }
};
