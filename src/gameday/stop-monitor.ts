// Checks a game day's stop conditions continuously while drills run: samples for the report, the first breach, and a
// ready() that says every condition has been judged at least once.
import type { KubeConfig } from '@kubernetes/client-node';
import { checkStopConditions } from './check-conditions.ts';
import type { CheckContext, Evaluation, RunningCheck } from './condition-check.ts';
import { checkAppEndpoint, requestTimeoutMs } from './endpoint-condition.ts';
import { requestsToJudge } from './endpoint-window.ts';
import { checkNotReadyNodes } from './nodes-condition.ts';
import { checkObjectCondition } from './object-condition.ts';
import type { StopCondition, StopConditionBreach, StopConditionSample } from './plan-types.ts';
import { SampleLog } from './sample-log.ts';

export interface StopMonitorOptions {
  /** Called once, with the first breach (of any condition). */
  onBreach: (breach: StopConditionBreach) => void;
  log?: (line: string) => void;
  /** Called with every evaluation, recorded in samples() or not (a progress line, a test waiting for recovery). */
  onSample?: (sample: StopConditionSample) => void;
  /** Wall clock, epoch ms; default Date.now. */
  now?: () => number;
}

export interface StopMonitor {
  /** The samples recorded so far, oldest first (bounded: see SampleLog). */
  samples(): StopConditionSample[];
  /** The first breach, once there is one. */
  breach(): StopConditionBreach | undefined;
  /**
   * Resolves once every condition has been evaluated at least once (a condition never evaluated is not "ok"); rejects,
   * naming the condition, if one cannot be evaluated at all (an unknown kind, say), or if some are still not evaluated
   * after timeoutMs (default: 30 s, or longer when an endpoint's first requests need it).
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Closes the watches and timers, and records each condition's latest evaluation; safe to call twice. */
  stop(): Promise<void>;
}

function start(condition: StopCondition, context: CheckContext): RunningCheck {
  switch (condition.kind) {
    case 'app-endpoint':
      return checkAppEndpoint(condition, context);
    case 'not-ready-nodes':
      return checkNotReadyNodes(condition, context);
    case 'kubernetes-condition':
      return checkObjectCondition(condition, context);
  }
}

/** Enough time for the first list of a watch, or for an endpoint's first judged window. */
function readyTimeoutMs(conditions: StopCondition[]): number {
  const endpoints = conditions.flatMap((condition) => (condition.kind === 'app-endpoint' ? [condition] : []));
  return Math.max(30_000, ...endpoints.map((condition) => requestsToJudge(condition) * condition.intervalMs + requestTimeoutMs(condition.intervalMs) + 10_000));
}

/** Throws (naming stopConditions[i].field) before starting anything if a condition is malformed. */
export function startStopMonitor(conditions: StopCondition[], kube: KubeConfig, options: StopMonitorOptions): StopMonitor {
  checkStopConditions(conditions);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const sampleLog = new SampleLog();
  const lastOk = new Map<string, boolean>();
  const failures = new Map<string, Error>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  /** A caller's callback that throws is logged: it must not stop the watches or the requests. */
  const callBack = (name: string, call: () => void) => {
    try {
      call();
    } catch (error) {
      log(`stop monitor: ${name} threw ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let firstBreach: StopConditionBreach | undefined;
  let stopped = false;

  const checks = conditions.map((condition) => {
    let threshold = '';
    const context: CheckContext = {
      kube,
      now,
      log,
      evaluated: (evaluation: Evaluation) => {
        if (stopped) return;
        const at = now();
        sampleLog.record(condition.name, at, evaluation.ok, evaluation.value);
        callBack('onSample', () => options.onSample?.({ condition: condition.name, at: new Date(at).toISOString(), value: evaluation.value, ok: evaluation.ok }));
        if (lastOk.get(condition.name) !== evaluation.ok) log(`stop condition '${condition.name}' ${evaluation.ok ? 'ok' : 'BREACHED'}: ${evaluation.value}`);
        const first = !lastOk.has(condition.name);
        lastOk.set(condition.name, evaluation.ok);
        if (!evaluation.ok && !firstBreach) {
          firstBreach = { condition: condition.name, at: new Date(at).toISOString(), value: evaluation.value, threshold };
          const breach = firstBreach;
          callBack('onBreach', () => options.onBreach(breach));
        }
        if (first) changed();
      },
      failed: (error: Error) => {
        if (stopped || failures.has(condition.name)) return;
        failures.set(condition.name, error);
        log(`stop condition '${condition.name}' cannot be evaluated: ${error.message}`);
        changed();
      },
    };
    const check = start(condition, context);
    threshold = check.threshold;
    return { condition, check };
  });

  return {
    samples: () => sampleLog.samples(),
    breach: () => firstBreach,
    ready: (timeoutMs = readyTimeoutMs(conditions)) =>
      new Promise<void>((resolve, reject) => {
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(judge);
          if (error) reject(error);
          else resolve();
        };
        const judge = () => {
          const failed = conditions.find((condition) => failures.has(condition.name));
          if (failed) return finish(new Error(`stop condition '${failed.name}' (${failed.kind}) cannot be evaluated: ${failures.get(failed.name)!.message}`, { cause: failures.get(failed.name) }));
          if (conditions.every((condition) => lastOk.has(condition.name))) return finish();
          if (stopped) finish(new Error('the stop monitor was stopped before every stop condition was evaluated'));
        };
        const timer = setTimeout(() => {
          const waiting = checks.filter(({ condition }) => !lastOk.has(condition.name)).map(({ condition, check }) => `'${condition.name}' (${check.pending()})`);
          finish(new Error(`stop condition${waiting.length === 1 ? '' : 's'} not evaluated within ${(timeoutMs / 1000).toFixed(1)} s: ${waiting.join('; ')}`));
        }, timeoutMs);
        listeners.add(judge);
        judge();
      }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      changed();
      await Promise.allSettled(checks.map(({ check }) => check.stop()));
      sampleLog.finish();
    },
  };
}
