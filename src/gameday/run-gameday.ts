// Runs a game day: the plan's drills in one mocha run on one shared target, guarded by the time window, the cluster
// lock, a gate before each drill, the blast radius and the stop conditions; then the game-day report and notifications.
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import { drillFiles, logRunEvents, openRunTarget, runDrills, type Log } from '../runner/drill-run.ts';
import { keepSelected, loadDrillCatalog } from '../runner/drill-selection.ts';
import { declaredDrills } from '../engine/drill.ts';
import { setDrillGate } from '../engine/drill-gate.ts';
import { setDrillParams } from '../engine/drill-params.ts';
import { interruptedBy, onInterrupt, stopAndRestore } from '../engine/interrupts.ts';
import { owedRestores, runStopReason, stopRun } from '../engine/open-drills.ts';
import { onRunEvent, type DrillMeta } from '../engine/run-events.ts';
import { startRunLog } from '../engine/run-log.ts';
import { closeSharedTarget, runId, sharedTarget } from '../engine/shared-target.ts';
import type { Target } from '../engine/target.ts';
import { loadProfile } from '../profile/load-profile.ts';
import type { ClusterProfile } from '../profile/profile-schema.ts';
import { writePartialReports } from '../report/active-report.ts';
import { findPreviousGameDay } from '../report/gameday-read.ts';
import { writeGameDayReport } from '../report/gameday-write.ts';
import { rebuildHistory } from '../report/history.ts';
import FiredrillReporter from '../report/reporter.ts';
import { runFolderName } from '../report/reports-dir.ts';
import { checkBlastRadius } from './blast-radius.ts';
import { drillFootprint } from './drill-footprint.ts';
import { DrillOutcomes } from './drill-outcomes.ts';
import { drillReportPath, writeDrillReports } from './drill-reports.ts';
import { gameDayExitCode, gameDayVerdict, type Stops } from './gameday-verdict.ts';
import { gateFailure } from './gate.ts';
import { loadPlan } from './load-plan.ts';
import { createNotifier, type GameDayMessage, type Notifier } from './notifier.ts';
import { checkPlanDrills } from './plan-drills.ts';
import { planSummary } from './plan-summary.ts';
import { GAMEDAY_EXIT, type GameDayPlan, type GameDayRecord, type StopConditionBreach, type StopConditionSample } from './plan-types.ts';
import { startStopMonitor, type StopMonitor } from './stop-monitor.ts';
import { windowState } from './time-window.ts';

export interface GameDayOptions {
  planFile: string;
  dryRun: boolean;
  reportsDir: string;
  breakLock: boolean;
  allowProduction: boolean;
  /** Log lines (stderr); the dry run's plan goes to out (stdout). */
  log: Log;
  out: (line: string) => void;
  now?: () => Date;
}

function blastRefusal(plan: GameDayPlan, metas: ReadonlyMap<string, DrillMeta>, profile: ClusterProfile): string | undefined {
  for (const planned of plan.drills) {
    const meta = metas.get(planned.name) as DrillMeta;
    const refusal = checkBlastRadius(plan.blastRadius, { drill: planned.name, ...drillFootprint(meta, profile, planned.params) });
    if (refusal) return `refused in preflight: ${refusal}. Nothing was changed.`;
  }
  return undefined;
}

/** Everything a game day collects while it runs, and how it turns into the record. */
class GameDay {
  readonly startedAt = new Date().toISOString();
  readonly folder: string;
  readonly outcomes: DrillOutcomes;
  readonly samples: StopConditionSample[] = [];
  readonly stops: Stops = { notRestored: false, aborted: false, refused: false, windowClosed: false };
  breach: StopConditionBreach | undefined;
  reason: string | undefined;
  target: Target | undefined;
  notifier: Notifier | undefined;
  written = false;

  constructor(
    readonly plan: GameDayPlan,
    readonly options: GameDayOptions,
  ) {
    this.folder = join(options.reportsDir, runFolderName(runId()));
    this.outcomes = new DrillOutcomes(
      plan.drills.map((drill) => drill.name),
      drillReportPath,
    );
  }

  get report(): string {
    return join(this.folder, 'gameday.html');
  }

  notify(message: Omit<GameDayMessage, 'plan' | 'report'>): void {
    this.notifier?.send({ plan: this.plan.name, report: this.report, ...message });
  }

  /** Writes the drill reports, gameday.json and gameday.html; returns the exit code. */
  finish(partial: boolean): number {
    this.stops.signal = interruptedBy();
    if (owedRestores().length > 0) this.stops.notRestored = true;
    const drills = this.outcomes.list(this.reason ?? runStopReason() ?? (this.stops.signal ? `interrupted by ${this.stops.signal}` : undefined));
    const verdict = gameDayVerdict(drills, this.stops);
    const record: GameDayRecord = {
      schemaVersion: 1,
      kind: 'gameday',
      plan: this.plan.name,
      runId: runId(),
      startedAt: this.startedAt,
      endedAt: new Date().toISOString(),
      verdict,
      ...((this.reason ?? runStopReason()) ? { reason: this.reason ?? runStopReason() } : {}),
      cluster: this.target ? { name: this.target.profile.name, uid: this.target.identity.uid, server: this.target.identity.server } : { name: loadProfile(this.plan.profile).name },
      drills,
      samples: this.samples,
      ...(this.breach ? { breach: this.breach } : {}),
      partial,
    };
    const warn = (line: string) => this.options.log(`game-day report: ${line}`);
    writeDrillReports(this.folder, warn);
    try {
      const previous = findPreviousGameDay(this.options.reportsDir, this.plan.name, record.runId, warn);
      const written = writeGameDayReport(this.folder, record, previous);
      rebuildHistory(this.options.reportsDir, warn);
      this.options.log(`game day ${verdict}${record.reason ? `: ${record.reason}` : ''}; report: ${written.html}`);
    } catch (error) {
      warn(`could not be written into ${this.folder}: ${(error as Error).message}`);
    }
    this.written = true;
    this.notify({ event: 'finished', verdict, ...(record.reason ? { reason: record.reason } : {}) });
    return gameDayExitCode(verdict, this.stops);
  }
}

/** Loads the plan and the drills, runs the game day and returns its exit code. Bad input throws (exitCode 2) before anything is contacted. */
export async function runGameDay(options: GameDayOptions): Promise<number> {
  const now = options.now ?? (() => new Date());
  const { log } = options;
  const plan = loadPlan(resolve(options.planFile));
  const profile = loadProfile(plan.profile);
  const mocha = new Mocha({ timeout: 300_000, reporter: FiredrillReporter, reporterOptions: { dir: options.reportsDir }, color: process.stdout.isTTY });
  const available = drillFiles();
  checkPlanDrills(options.planFile, plan, new Set(available.keys()), []);
  const catalog = await loadDrillCatalog(mocha, available);
  const metas = new Map(declaredDrills().map((meta) => [meta.name, meta]));
  checkPlanDrills(options.planFile, plan, new Set(available.keys()), [...metas.values()]);
  keepSelected(
    mocha,
    catalog,
    plan.drills.map((drill) => drill.name),
  );
  for (const planned of plan.drills) setDrillParams(planned.name, planned.params);

  const window = plan.window ? windowState(plan.window, now()) : undefined;
  process.env.FIREDRILL_PROFILE = plan.profile;
  process.env.FIREDRILL_REPORTS_DIR = options.reportsDir;
  if (options.allowProduction) process.env.FIREDRILL_ALLOW_PRODUCTION = '1';
  if (options.breakLock) process.env.FIREDRILL_BREAK_LOCK = '1';
  if (options.dryRun) {
    process.env.FIREDRILL_DRY_RUN = '1';
    for (const line of planSummary(plan, metas, profile, window)) options.out(line);
  } else if (window && !window.open) {
    log(`refused: the game day "${plan.name}" is outside its time window: ${window.reason}${window.opensAt ? `; it opens at ${window.opensAt.toISOString()}` : ''}. Nothing was contacted.`);
    return GAMEDAY_EXIT['outside-window'];
  }
  // Hosts listed in the profile: the blast radius is checked before anything is contacted (discovered: once the target is open).
  const early = profile.hosts.length > 0 ? blastRefusal(plan, metas, profile) : undefined;
  if (early) {
    log(early);
    return GAMEDAY_EXIT.refused;
  }

  const day = new GameDay(plan, options);
  const stopLog = startRunLog(join(day.folder, 'run.log'));
  logRunEvents(log);
  // A signal: the engine restores first, then the run report and the game-day report are written, marked partial.
  onInterrupt(async (signal) => {
    writePartialReports(`interrupted by ${signal}`);
    if (options.dryRun) return;
    day.reason ??= `interrupted by ${signal}`;
    day.finish(true);
    await day.notifier?.flush();
  });

  try {
    day.target = await sharedTarget();
  } catch (error) {
    const exitCode = (error as { exitCode?: number }).exitCode;
    if (exitCode !== GAMEDAY_EXIT.refused || options.dryRun) throw error;
    day.reason = `refused: ${(error as Error).message}`;
    day.stops.refused = true;
    log(day.reason);
    return day.finish(false);
  }
  const late = profile.hosts.length === 0 ? blastRefusal(plan, metas, day.target.profile) : undefined;
  if (late) {
    day.reason = late;
    day.stops.refused = true;
    log(late);
    await closeSharedTarget();
    return options.dryRun ? GAMEDAY_EXIT.refused : day.finish(false);
  }
  if (options.dryRun) {
    const run = await runDrills(mocha, log);
    stopLog();
    return run.failures > 0 ? GAMEDAY_EXIT.deviated : GAMEDAY_EXIT.passed;
  }
  const url = plan.notifications ? process.env[plan.notifications.webhookUrlEnv] : undefined;
  if (plan.notifications && !url) log(`notifications: $${plan.notifications.webhookUrlEnv} is not set; no notification is sent`);
  day.notifier = url ? createNotifier(url, (line) => log(`notifications: ${line}`)) : undefined;

  if (!(await openRunTarget(log))) {
    day.stops.notRestored = true;
    day.reason = 'an earlier run left the cluster broken and it could not be restored; run `npm run restore`';
    return day.finish(false);
  }
  day.notify({ event: 'started', reason: `${plan.drills.length} drill(s): ${plan.drills.map((drill) => drill.name).join(', ')}` });
  guardDrills(day, now);
  const run = await runDrills(mocha, log);
  setDrillGate(undefined);
  stopLog();
  if (run.notRestored) day.stops.notRestored = true;
  const code = day.finish(false);
  await day.notifier?.flush();
  return code;
}

/** The window's end, the gate before each drill, the stop monitor during it, and a notification at its end. */
function guardDrills(day: GameDay, now: () => Date): void {
  const { plan, options } = day;
  const { log } = options;
  const target = day.target as Target;
  let monitor: StopMonitor | undefined;
  let current = '';
  let firstDrill = true;
  const closeWindow = (reason: string) => {
    day.stops.windowClosed = true;
    stopRun(reason);
  };
  const state = plan.window ? windowState(plan.window, now()) : undefined;
  if (state?.open) {
    // The drill under way finishes and restores; the gate before the next one stops the game day.
    const timer = setTimeout(() => {
      if (current) log(`the time window closed at ${state.closesAt.toISOString()}: ${current} finishes and restores, the drills after it are not run`);
    }, state.closesAt.getTime() - now().getTime());
    timer.unref();
  }
  const stopMonitor = () => {
    if (!monitor) return;
    monitor.stop();
    day.samples.push(...monitor.samples());
    monitor = undefined;
  };
  setDrillGate(async (meta) => {
    const first = firstDrill;
    firstDrill = false;
    const window = plan.window ? windowState(plan.window, now()) : undefined;
    if (window && !window.open) {
      closeWindow(`the time window is closed (${window.reason}): the remaining drills are not run`);
      return runStopReason();
    }
    const failure = await gateFailure(target);
    if (failure) {
      const reason = `gate before ${meta.name}: ${failure}`;
      log(reason);
      day.outcomes.skip(meta.name, reason);
      if (plan.onGateFailure === 'stop') {
        stopRun(`the game day stopped: ${reason}`);
        if (first) day.stops.refused = true;
      }
      return reason;
    }
    current = meta.name;
    if (plan.stopConditions.length === 0) return undefined;
    monitor = startStopMonitor(plan.stopConditions, target.kube, {
      log,
      onBreach: (breach) => {
        if (day.breach) return;
        day.breach = breach;
        day.stops.aborted = true;
        const reason = `stop condition "${breach.condition}" breached at ${breach.at}: ${breach.value} (threshold: ${breach.threshold})`;
        day.reason = `aborted: ${reason}; the drills after ${current} are not run`;
        day.outcomes.abort(current, reason);
        log(`${reason}: aborting ${current}, restoring at once and skipping the rest`);
        day.notify({ event: 'aborted', verdict: 'aborted', drill: current, reason });
        // The same path as an interrupt: stop the run, stop the drill, restore everything owed now.
        void stopAndRestore(`the game day was aborted: ${reason}`, `aborted: ${reason}`).then((errors) => {
          for (const error of errors) log(error.message);
        });
      },
    });
    await monitor.ready();
    return undefined;
  });
  onRunEvent((event) => {
    if (event.kind !== 'drill-end' || !plan.drills.some((drill) => drill.name === event.drill)) return;
    if (event.drill === current) {
      stopMonitor();
      current = '';
    }
    const outcome = day.outcomes.get(event.drill);
    // Read on the next turn: the outcomes listener sets the result from this same event.
    queueMicrotask(() => day.notify({ event: 'drill-end', drill: event.drill, verdict: outcome?.result ?? event.result, timings: outcome?.timings ?? {}, ...(outcome?.reason ? { reason: outcome.reason } : {}) }));
  });
}
