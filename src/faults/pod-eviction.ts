// Evicts a pod through the Eviction API (policy/v1), so PodDisruptionBudgets hold: a 429 is retried until the budget allows it.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { eventually } from '../probes/eventually.ts';

interface Status {
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

function statusOf(error: unknown): { code: number | undefined; message: string } {
  const failure = error as { code?: number; body?: unknown; message?: string };
  let body = failure.body;
  if (typeof body === 'string') body = (() => { try { return JSON.parse(body as string) as unknown; } catch { return undefined; } })();
  const status = (body ?? {}) as Status;
  const causes = (status.details?.causes ?? []).map((cause) => cause.message).filter(Boolean);
  return { code: failure.code, message: [status.message?.replace(/\.$/, ''), ...causes].filter(Boolean).join(': ') || (failure.message ?? String(error)) };
}

/**
 * Resolves once the eviction is accepted (or the pod is gone). A 429 (a PodDisruptionBudget does not allow it yet) is
 * retried until `timeoutMs`, then rejects with a ProbeTimeoutError naming the pod and the budget's answer; any other
 * client error (4xx, or a 500 for a pod under several budgets) fails at once.
 */
export async function evictPod(kube: KubeConfig, namespace: string, name: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const core = kube.makeApiClient(CoreV1Api);
  await eventually(
    async () => {
      try {
        await core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } });
      } catch (error) {
        const { code, message } = statusOf(error);
        if (code === 404) return;
        const failure = new Error(`eviction of pod ${namespace}/${name} refused (HTTP ${code ?? 'error'}): ${message}`, { cause: error });
        if (code !== undefined && code !== 429 && code < 500) Object.assign(failure, { permanent: true });
        if (code === 500 && /more than one PodDisruptionBudget/i.test(message)) Object.assign(failure, { permanent: true });
        throw failure;
      }
    },
    { description: `pod ${namespace}/${name} evicted (a PodDisruptionBudget may hold it back)`, timeoutMs, intervalMs: 1_000, maxIntervalMs: 5_000, signal },
  );
}
