// A change a drill makes to the cluster's state: create a ConfigMap (restore deletes it; already gone is fine).
import { CoreV1Api } from '@kubernetes/client-node';
import { RestoreError } from '../engine/errors.ts';
import { currentRunId, type UndoRecord } from '../engine/journal.ts';
import { CREATED_BY, markValue } from '../kube/drill-marks.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { shellQuote } from '../transport/shell-quote.ts';

export class ConfigMapChange implements Fault {
  readonly name: string;
  readonly description: string;

  constructor(
    readonly namespace: string,
    readonly configMap: string,
    readonly data: Record<string, string>,
  ) {
    this.name = `create configmap ${namespace}/${configMap}`;
    this.description = `create ConfigMap ${namespace}/${configMap}; restore: delete it`;
  }

  async preflight(): Promise<void> {}

  undo(): UndoRecord {
    return { type: 'configmap-delete', namespace: this.namespace, name: this.configMap };
  }

  manualFix(): string {
    return shellQuote(['kubectl', '-n', this.namespace, 'delete', 'configmap', '--ignore-not-found', '--', this.configMap]);
  }

  async inject(context: FaultContext): Promise<void> {
    const mark = markValue(currentRunId());
    context.announceApiChange('create', `configmap/${this.namespace}/${this.configMap}`, `${JSON.stringify(this.data)}, label ${CREATED_BY}=${mark}`);
    if (context.dryRun) return;
    // Marked: the steady-state check finds a ConfigMap a drill created and did not delete.
    const metadata = { name: this.configMap, labels: { [CREATED_BY]: mark } };
    await context.kube.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: this.namespace, body: { metadata, data: this.data } });
  }
}

export const restoreConfigMap: Restorer = async (undo, context) => {
  const namespace = String(undo.namespace);
  const name = String(undo.name);
  context.announceApiChange('delete', `configmap/${namespace}/${name}`, 'restore');
  if (context.dryRun) return;
  try {
    await context.kube.makeApiClient(CoreV1Api).deleteNamespacedConfigMap({ namespace, name });
  } catch (error) {
    if ((error as { code?: number }).code === 404) return;
    throw new RestoreError(`configmap ${namespace}/${name}`, shellQuote(['kubectl', '-n', namespace, 'delete', 'configmap', '--', name]), (error as Error).message, { cause: error });
  }
};
