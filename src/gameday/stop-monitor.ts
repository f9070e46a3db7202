// Checks stop conditions while a drill runs (minimal polling stand-in; the stop-conditions engineer's watch-based version replaces it).
import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet } from '../kube/kube-config.ts';
import type { StopCondition, StopConditionBreach, StopConditionSample } from './plan-types.ts';

export interface StopMonitor {
  samples(): StopConditionSample[];
  breach(): StopConditionBreach | undefined;
  /** Settles once every condition was sampled once. */
  ready(): Promise<void>;
  stop(): void;
}

interface Check {
  value: string;
  ok: boolean;
  threshold: string;
}

type Conditions = { status?: { conditions?: { type: string; status: string }[] } };

function objectPath(object: Extract<StopCondition, { kind: 'kubernetes-condition' }>['object']): string {
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  return `${base}${object.namespace ? `/namespaces/${object.namespace}` : ''}/${object.kind.toLowerCase()}s/${object.name}`;
}

export function startStopMonitor(conditions: StopCondition[], kubeConfig: KubeConfig, options: { onBreach: (breach: StopConditionBreach) => void; log: (line: string) => void }): StopMonitor {
  const samples: StopConditionSample[] = [];
  let breach: StopConditionBreach | undefined;
  const timers: NodeJS.Timeout[] = [];
  const abort = new AbortController();
  const readies: Promise<void>[] = [];
  for (const condition of conditions) {
    let offSince: number | undefined;
    const results: { at: number; ok: boolean; ms: number }[] = [];
    const check = async (): Promise<Check> => {
      if (condition.kind === 'not-ready-nodes') {
        const nodes = (JSON.parse((await apiGet(kubeConfig, '/api/v1/nodes', abort.signal)).body) as { items: Conditions[] }).items;
        const notReady = nodes.filter((node) => !node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
        return { value: `${notReady} NotReady node(s)`, ok: notReady <= condition.max, threshold: `at most ${condition.max}` };
      }
      if (condition.kind === 'kubernetes-condition') {
        const object = JSON.parse((await apiGet(kubeConfig, objectPath(condition.object), abort.signal)).body) as Conditions;
        const status = object.status?.conditions?.find((c) => c.type === condition.conditionType)?.status ?? 'absent';
        const now = Date.now();
        if (status === condition.status) offSince = undefined;
        else offSince ??= now;
        const ok = offSince === undefined || now - offSince < condition.graceSeconds * 1000;
        return { value: `${condition.conditionType}=${status}`, ok, threshold: `${condition.conditionType}=${condition.status} (grace ${condition.graceSeconds} s)` };
      }
      const started = performance.now();
      const success = await fetch(condition.url, { signal: AbortSignal.timeout(condition.intervalMs * 5) }).then((response) => response.ok, () => false);
      const now = Date.now();
      results.push({ at: now, ok: success, ms: performance.now() - started });
      while (results.length > 0 && (results[0]?.at ?? now) < now - condition.windowSeconds * 1000) results.shift();
      const ratio = results.filter((result) => result.ok).length / results.length;
      const sorted = results.map((result) => result.ms).sort((a, b) => a - b);
      const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
      const ok = (condition.minSuccessRatio === undefined || ratio >= condition.minSuccessRatio) && (condition.maxP95Ms === undefined || p95 <= condition.maxP95Ms);
      return { value: `success ${(ratio * 100).toFixed(1)} % over ${condition.windowSeconds} s, p95 ${Math.round(p95)} ms`, ok, threshold: `success >= ${condition.minSuccessRatio ?? 0}, p95 <= ${condition.maxP95Ms ?? '∞'} ms` };
    };
    const every = condition.kind === 'app-endpoint' ? condition.intervalMs : 1_000;
    let first: () => void = () => {};
    readies.push(new Promise((resolve) => (first = resolve)));
    const tick = async () => {
      try {
        const result = await check();
        const at = new Date().toISOString();
        samples.push({ condition: condition.name, at, value: result.value, ok: result.ok });
        if (!result.ok && !breach && !abort.signal.aborted) {
          breach = { condition: condition.name, at, value: result.value, threshold: result.threshold };
          options.onBreach(breach);
        }
      } catch (error) {
        if (!abort.signal.aborted) options.log(`stop condition ${condition.name}: could not sample: ${(error as Error).message}`);
      }
      first();
    };
    void tick();
    timers.push(setInterval(() => void tick(), every));
  }
  return {
    samples: () => [...samples],
    breach: () => breach,
    ready: async () => {
      await Promise.all(readies);
    },
    stop: () => {
      abort.abort();
      for (const timer of timers) clearInterval(timer);
    },
  };
}
