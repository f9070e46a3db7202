// The shape of report.json, version 1: these types and report.schema.json describe the same document.
import type { DrillResult } from '../engine/run-events.ts';

/** Bump on any change to the shape of report.json, together with report.schema.json. */
export const REPORT_SCHEMA_VERSION = 1;

/** What a drill's result is when the report has no drill-end for it: the run crashed or was interrupted. */
export type DrillOutcome = DrillResult | 'incomplete';

/** The run's verdict: its worst drill outcome (an incomplete drill counts as failed). */
export type Verdict = DrillResult;

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  runId: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** True when the run did not end normally (interrupted, crashed) or a drill has no end: the report holds what was collected. */
  partial: boolean;
  /** Why the report is partial; empty when it is not. */
  partialReasons: string[];
  verdict: Verdict;
  profile?: string;
  cluster?: { name: string; context?: string; server?: string; uid?: string; kubernetesVersion?: string; nodeCount?: number };
  runnerVersion: string;
  dryRun: boolean;
  /** Commands, API changes and log lines outside any drill (e.g. restoring what an earlier run left broken). */
  outsideDrills: { commands: CommandRecord[]; apiChanges: ApiChangeRecord[]; logs: LogRecord[] };
  drills: DrillReport[];
}

export interface DrillReport {
  name: string;
  /** The drill's metadata; absent for a plain mocha suite that is not declared with drill(). */
  meta?: { title: string; teaches: string; faults: string[]; expected: string[]; duration: string };
  outcome: DrillOutcome;
  /** Whether everything the drill broke was restored; null when unknown (no drill-end). */
  restored: boolean | null;
  startedAt: string;
  endedAt?: string;
  durationMs: number;
  error?: string;
  lastObservation?: string;
  tests: TestRecord[];
  phases: { at: string; phase: string }[];
  faults: FaultRecord[];
  commands: CommandRecord[];
  apiChanges: ApiChangeRecord[];
  observations: { at: string; probe: string; text: string }[];
  expectations: ExpectationRecord[];
  kubeEvents: KubeEventRecord[];
  /** Kubernetes events seen but not kept (the per-drill cap was reached). */
  kubeEventsOmitted: number;
  logs: LogRecord[];
  logsOmitted: number;
}

export interface TestRecord {
  title: string;
  fullTitle: string;
  /** unfinished: the test was running when the report was written (interrupt, crash). */
  state: 'passed' | 'failed' | 'pending' | 'unfinished';
  durationMs?: number;
  error?: { name?: string; message: string; stack?: string };
}

export interface FaultRecord {
  fault: string;
  description: string;
  host?: string;
  injectedAt?: string;
  restoredAt?: string;
  /** null: no restore was recorded for this fault. */
  restored: boolean | null;
  error?: string;
  manualFix?: string;
}

export interface CommandRecord {
  at: string;
  host: string;
  /** Arguments as run, with secrets masked. */
  argv: string[];
  sudo: boolean;
  code: number | null;
  durationMs: number;
  dryRun: boolean;
  stderr?: string;
}

export interface ApiChangeRecord {
  at: string;
  verb: string;
  object: string;
  detail: string;
  dryRun: boolean;
}

export interface ExpectationRecord {
  at: string;
  name: string;
  bound: string;
  measured: string;
  ok: boolean;
  seconds?: number;
  lowerSeconds?: number;
  upperSeconds?: number;
}

export interface KubeEventRecord {
  at: string;
  object: string;
  reason: string;
  message: string;
  type: string;
}

export interface LogRecord {
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}
