// Everything a drill run does, as typed events: the reporter, the live progress line and the log all read these.
import type { Topology } from '../kube/control-plane-shape.ts';
import { redactDeep } from './redact.ts';

export interface DrillMeta {
  name: string;
  title: string;
  /** What the drill teaches, in a sentence or two. */
  teaches: string;
  faults: string[];
  /** What Kubernetes should do, in words. */
  expected: string[];
  /** Rough wall time, e.g. "about 1 minute". */
  duration: string;
  /**
   * The control-plane topologies the drill is right on; on any other, its setup refuses before any fault. Default:
   * a single control plane only (a drill must say that it is right on HA).
   */
  topologies?: Topology[];
  /**
   * The drill does not put the cluster back exactly as it was (it restores a backup, stops or replaces machines):
   * it runs only when named, or with --all, never in a plain `npm run drill`.
   */
  destructive?: boolean;
  /** What a game-day plan may set for this drill (name → what it means and its default); the drill reads d.param(name). */
  params?: Record<string, DrillParam>;
  /**
   * What the drill affects, for a game day's blast radius: one worker node (its `node` param when it has one, else
   * any worker), or the control-plane hosts without making a node unavailable (the default).
   */
  affects?: 'one-worker' | 'control-plane';
}

export type DrillParamValue = string | number | boolean;

export interface DrillParam {
  description: string;
  /** Also gives the type a plan's value must have. */
  default: DrillParamValue;
}

/**
 * passed: every expectation held and everything was restored. deviated: the cluster did not behave as expected
 * (an expectation failed). failed: the drill could not run as planned (preflight, an error, a timeout of the drill
 * itself). not-restored: a restore failed; something is still broken (this outranks the others).
 */
export type DrillResult = 'passed' | 'failed' | 'deviated' | 'not-restored';

interface Base {
  /** ISO timestamp. */
  at: string;
  /** Drill name, e.g. "scheduler-down". */
  drill: string;
}

export interface RunInfo {
  runId: string;
  /** Cluster profile name, e.g. "lab" or "staging-eu". */
  profile: string;
  /** uid: the kube-system namespace's UID; server and context: what the run talked to. */
  cluster: { name: string; context?: string; server?: string; uid?: string; kubernetesVersion?: string; nodeCount?: number };
  runnerVersion: string;
  dryRun: boolean;
}

export type RunEvent =
  /** Emitted once per run, before the first drill; drill is "". */
  | (Base & { kind: 'run-info'; info: RunInfo })
  | (Base & { kind: 'drill-start'; meta: DrillMeta })
  | (Base & { kind: 'phase'; phase: 'preflight' | 'steady-state' | 'inject' | 'observe' | 'restore' | 'verify' })
  | (Base & { kind: 'command'; host: string; argv: string[]; sudo: boolean; code: number | null; durationMs: number; dryRun: boolean; stderr?: string })
  | (Base & { kind: 'api-change'; verb: string; object: string; detail: string; dryRun: boolean })
  | (Base & { kind: 'fault-injected'; fault: string; description: string; host?: string })
  | (Base & { kind: 'fault-restored'; fault: string; ok: boolean; error?: string; manualFix?: string })
  | (Base & { kind: 'observation'; probe: string; text: string })
  | (Base & {
      kind: 'expectation';
      name: string;
      /** The bound in words, e.g. "NotReady between 12 s and 17 s after the kubelet stopped". */
      bound: string;
      /** What was measured, in words, e.g. "NotReady after 13.2 s". */
      measured: string;
      /** Measured value and bounds in seconds, when the expectation is a timing (for trends). */
      seconds?: number;
      lowerSeconds?: number;
      upperSeconds?: number;
      ok: boolean;
    })
  | (Base & { kind: 'kube-event'; object: string; reason: string; message: string; type: string })
  | (Base & { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string })
  | (Base & { kind: 'drill-end'; result: DrillResult; restored: boolean; error?: string; lastObservation?: string });

type Listener = (event: RunEvent) => void;
const listeners = new Set<Listener>();

/** Subscribes to every event of the run (the reporter does this); returns the unsubscribe function. */
export function onRunEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Distributes an event without the fields every event shares: at is filled in now. Secrets are masked here, once for every output. */
export function emitRunEvent(event: DistributiveOmit<RunEvent, 'at'> & { at?: string }): void {
  const full = redactDeep({ ...event, at: event.at ?? new Date().toISOString() } as RunEvent);
  for (const listener of listeners) listener(full);
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
