// Collects run events and mocha test outcomes into a report; a snapshot can be taken at any time (partial reports).
import { readFileSync } from 'node:fs';
import { redactDeep, redactText } from '../engine/redact.ts';
import type { DrillMeta, DrillResult, RunEvent, RunInfo } from '../engine/run-events.ts';
import { REPORT_SCHEMA_VERSION, type DrillOutcome, type DrillReport, type RunReport, type TestRecord } from './report-types.ts';
import { worstVerdict } from './verdict.ts';

/** Per drill, Kubernetes events and log lines beyond these are counted, not kept. */
const KUBE_EVENTS_CAP = 10_000;
const LOGS_CAP = 500;
const STACK_CHARS = 4_000;

/** Title of the drill that holds tests declared outside any suite. */
export const NO_SUITE = '(no suite)';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A finished (or running) mocha test or hook, independent of mocha's classes. */
export interface TestOutcome {
  /** Suite titles from the outermost down, then the test's own title. */
  titlePath: string[];
  state: TestRecord['state'];
  durationMs?: number;
  error?: { name?: string; message: string; stack?: string };
}

interface DrillState {
  report: DrillReport;
  meta?: DrillMeta;
  end?: { at: string; result: DrillResult; restored: boolean };
  /** Time of the latest event or test end seen for the drill. */
  lastAt: string;
}

function emptyDrill(name: string, at: string): DrillReport {
  return {
    name,
    outcome: 'incomplete',
    restored: null,
    startedAt: at,
    durationMs: 0,
    tests: [],
    phases: [],
    faults: [],
    commands: [],
    apiChanges: [],
    observations: [],
    expectations: [],
    kubeEvents: [],
    kubeEventsOmitted: 0,
    logs: [],
    logsOmitted: 0,
  };
}

export class RunCollector {
  private info: RunInfo | undefined;
  private readonly drills = new Map<string, DrillState>();
  private readonly outside: RunReport['outsideDrills'] = { commands: [], apiChanges: [], logs: [] };
  /** Tests that started and have not ended, by full title. */
  private readonly running = new Map<string, { titlePath: string[]; at: string }>();
  private readonly fallbackRunId: string;

  constructor(private readonly startedAt: Date = new Date()) {
    this.fallbackRunId = process.env.FIREDRILL_RUN_ID ?? startedAt.toISOString().replace(/[:.]/g, '-');
  }

  get runId(): string {
    return this.info?.runId ?? this.fallbackRunId;
  }

  record(received: RunEvent): void {
    const event = redactDeep(received);
    if (event.kind === 'run-info') {
      this.info = event.info;
      return;
    }
    const { at } = event;
    if (event.drill === '') {
      if (event.kind === 'command') this.outside.commands.push(commandRecord(event));
      if (event.kind === 'api-change') this.outside.apiChanges.push({ at, verb: event.verb, object: event.object, detail: event.detail, dryRun: event.dryRun });
      if (event.kind === 'log') this.outside.logs.push({ at, level: event.level, message: event.message });
      return;
    }
    const state = this.drill(event.drill, at);
    const drill = state.report;
    switch (event.kind) {
      case 'drill-start':
        state.meta = event.meta;
        drill.startedAt = at;
        break;
      case 'phase':
        drill.phases.push({ at, phase: event.phase });
        break;
      case 'command':
        drill.commands.push(commandRecord(event));
        break;
      case 'api-change':
        drill.apiChanges.push({ at, verb: event.verb, object: event.object, detail: event.detail, dryRun: event.dryRun });
        break;
      case 'fault-injected':
        drill.faults.push({ fault: event.fault, description: event.description, ...(event.host ? { host: event.host } : {}), injectedAt: at, restored: null });
        break;
      case 'fault-restored': {
        const fault = drill.faults.findLast((entry) => entry.fault === event.fault && entry.restored !== true);
        const record = fault ?? { fault: event.fault, description: '', restored: null };
        if (!fault) drill.faults.push(record);
        Object.assign(record, { restored: event.ok, restoredAt: at }, event.error ? { error: event.error } : {}, event.manualFix ? { manualFix: event.manualFix } : {});
        break;
      }
      case 'observation':
        drill.observations.push({ at, probe: event.probe, text: event.text });
        break;
      case 'expectation': {
        const { name, bound, measured, ok, seconds, lowerSeconds, upperSeconds } = event;
        drill.expectations.push({ at, name, bound, measured, ok, ...definedOnly({ seconds, lowerSeconds, upperSeconds }) });
        break;
      }
      case 'kube-event':
        if (drill.kubeEvents.length < KUBE_EVENTS_CAP) drill.kubeEvents.push({ at, object: event.object, reason: event.reason, message: event.message, type: event.type });
        else drill.kubeEventsOmitted++;
        break;
      case 'log':
        drill.logs.push({ at, level: event.level, message: event.message });
        if (drill.logs.length > LOGS_CAP) {
          drill.logs.shift();
          drill.logsOmitted++;
        }
        break;
      case 'drill-end':
        state.end = { at, result: event.result, restored: event.restored };
        if (event.error) drill.error = event.error;
        if (event.lastObservation) drill.lastObservation = event.lastObservation;
        break;
    }
  }

  testStarted(titlePath: string[], at = new Date()): void {
    this.running.set(titlePath.join(' '), { titlePath, at: at.toISOString() });
  }

  testEnded(outcome: TestOutcome, at = new Date()): void {
    const fullTitle = outcome.titlePath.join(' ');
    const started = this.running.get(fullTitle);
    this.running.delete(fullTitle);
    const state = this.drill(this.drillOf(outcome.titlePath), started?.at ?? at.toISOString());
    state.report.tests.push(testRecord(outcome));
    state.lastAt = at.toISOString();
  }

  /** The report as of now. Extra reasons mark it partial (e.g. "interrupted by SIGINT"). */
  snapshot(endedAt = new Date(), partialReasons: string[] = []): RunReport {
    const reasons = [...partialReasons];
    const drills = [...this.drills.values()].map((state) => this.finishDrill(state, endedAt));
    for (const { titlePath } of this.running.values()) {
      const drill = drills.find((entry) => entry.name === this.drillOf(titlePath));
      drill?.tests.push({ title: titlePath.at(-1) ?? '', fullTitle: titlePath.join(' '), state: 'unfinished' });
    }
    for (const drill of drills) if (drill.outcome === 'incomplete') reasons.push(`drill ${drill.name} did not end (no drill-end event): it was still running`);
    const info = this.info;
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      runId: this.runId,
      startedAt: this.startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: Math.max(0, endedAt.getTime() - this.startedAt.getTime()),
      partial: reasons.length > 0,
      partialReasons: reasons,
      verdict: worstVerdict(drills.map((drill) => drill.outcome)),
      ...(info ? { profile: info.profile, cluster: info.cluster } : {}),
      runnerVersion: info?.runnerVersion ?? packageVersion,
      dryRun: info?.dryRun ?? false,
      outsideDrills: structuredClone(this.outside),
      drills,
    };
  }

  /** The drill a test belongs to: the nearest enclosing suite declared as a drill, else its outermost suite. */
  private drillOf(titlePath: string[]): string {
    const suites = titlePath.slice(0, -1);
    for (let index = suites.length - 1; index >= 0; index--) {
      if (this.drills.get(suites[index] as string)?.meta) return suites[index] as string;
    }
    return suites[0] ?? NO_SUITE;
  }

  private drill(name: string, at: string): DrillState {
    let state = this.drills.get(name);
    if (!state) {
      state = { report: emptyDrill(name, at), lastAt: at };
      this.drills.set(name, state);
    }
    if (at > state.lastAt) state.lastAt = at;
    return state;
  }

  private finishDrill(state: DrillState, now: Date): DrillReport {
    const drill = structuredClone(state.report);
    if (state.meta) {
      const { title, teaches, faults, expected, duration } = state.meta;
      drill.meta = { title, teaches, faults, expected, duration };
    }
    drill.outcome = outcomeOf(state);
    drill.restored = state.end ? state.end.restored : restoredFromFaults(drill);
    // A plain suite ends with its last test; a drill without drill-end is still running.
    if (state.end) drill.endedAt = state.end.at;
    else if (!state.meta) drill.endedAt = state.lastAt;
    const end = drill.endedAt ? Date.parse(drill.endedAt) : now.getTime();
    drill.durationMs = Math.max(0, end - Date.parse(drill.startedAt));
    return drill;
  }
}

function outcomeOf(state: DrillState): DrillOutcome {
  if (state.end) return state.end.result;
  // A plain mocha suite has no drill-end: judge it by its tests.
  if (state.meta) return 'incomplete';
  if (state.report.faults.some((fault) => fault.restored === false)) return 'not-restored';
  return state.report.tests.some((test) => test.state === 'failed') ? 'failed' : 'passed';
}

/** Without a drill-end: false if a restore failed, null if one was never recorded, else true. */
function restoredFromFaults(drill: DrillReport): boolean | null {
  if (drill.faults.some((fault) => fault.restored === false)) return false;
  if (drill.faults.some((fault) => fault.restored === null)) return null;
  return true;
}

/** The fields that have a value: JSON has no undefined, and the schema forbids null there. */
function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function commandRecord(event: Extract<RunEvent, { kind: 'command' }>) {
  return {
    at: event.at,
    host: event.host,
    argv: event.argv,
    sudo: event.sudo,
    code: event.code,
    durationMs: event.durationMs,
    dryRun: event.dryRun,
    ...(event.stderr ? { stderr: event.stderr } : {}),
  };
}

function testRecord(outcome: TestOutcome): TestRecord {
  const record: TestRecord = { title: outcome.titlePath.at(-1) ?? '', fullTitle: outcome.titlePath.join(' '), state: outcome.state };
  if (outcome.durationMs !== undefined) record.durationMs = outcome.durationMs;
  if (outcome.error) {
    const { name, message, stack } = outcome.error;
    record.error = { ...(name ? { name } : {}), message: redactText(message), ...(stack ? { stack: redactText(stack).slice(0, STACK_CHARS) } : {}) };
  }
  return record;
}
