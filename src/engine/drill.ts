// drill(): declares a fire drill as a mocha suite with one setup and one teardown that always restores.
import type { Context, Hook, Suite, Test } from 'mocha';
import { recordEvents } from '../probes/event-recorder.ts';
import { ProbeTimeoutError } from '../probes/probe-timeout-error.ts';
import { controlPlaneHosts } from '../faults/hosts.ts';
import { describeShape, readControlPlaneShape } from '../kube/control-plane-shape.ts';
import { passDrillGate } from './drill-gate.ts';
import { DrillHandle } from './drill-handle.ts';
import { ExpectationError } from './expectation-error.ts';
import { interruptedBy, interruption, trackDrill, untrackDrill } from './interrupts.ts';
import { drainOpenDrills, owedRestores, runStopReason, stopRun } from './open-drills.ts';
import { emitRunEvent, type DrillMeta, type DrillResult } from './run-events.ts';
import { announceRun, setCurrentDrill, sharedTarget } from './shared-target.ts';
import { waitForSteadyState } from './steady-state.ts';
import { stepBudgetMs } from './step-budget.ts';
import type { Target } from './target.ts';
import { checkTopology } from './topology-check.ts';

/** Budgets: a step's budget comes from the profile's timings (step-budget.ts); these bound setup and the checks. */
const SETUP_TIMEOUT_MS = 4 * 60_000;
export const STEADY_STATE_TIMEOUT_MS = 120_000;
/** A step's budget until the profile is known (a drill whose setup fails runs no step). */
const DEFAULT_STEP_TIMEOUT_MS = 10 * 60_000;

/** What the engine reaches outside itself; tests of the engine pass their own (setDrillRuntime). */
export interface DrillRuntime {
  target: () => Promise<Target>;
  steadyState: (target: Target, timeoutMs: number, signal?: AbortSignal) => Promise<void>;
  recordEvents: typeof recordEvents;
  /** Refuses a drill that is not right on the cluster's control-plane topology. */
  topology: (meta: DrillMeta, target: Target) => Promise<void>;
}

const defaultRuntime: DrillRuntime = { target: sharedTarget, steadyState: waitForSteadyState, recordEvents, topology: refuseUnsupportedTopology };
let runtime = defaultRuntime;

/** For tests of the engine: where drills get their target and how they check the steady state. Returns the undo. */
export function setDrillRuntime(next: Partial<DrillRuntime>): () => void {
  runtime = { ...defaultRuntime, ...next };
  return () => (runtime = defaultRuntime);
}

const registry: DrillMeta[] = [];

/** Metadata of every drill declared in this process (for --list and the report). */
export function declaredDrills(): readonly DrillMeta[] {
  return registry;
}

function isDeviation(error: unknown): boolean {
  return error instanceof ExpectationError || error instanceof ProbeTimeoutError || (error as Error | undefined)?.name === 'AssertionError';
}

/**
 * Waits for everything earlier drills still owe (their teardown failed or never ran) and, if any of it cannot be
 * restored, stops the run. Returns why this drill must not run, if it must not.
 */
async function mayStart(): Promise<string | undefined> {
  if (owedRestores().length > 0) {
    const errors = await drainOpenDrills();
    const owed = owedRestores();
    if (owed.length > 0) {
      const why = errors.map((error) => error.message.split('\n')[0]).join('; ');
      stopRun(`an earlier drill left ${owed.map((entry) => entry.fault).join('; ')} not restored${why ? ` (${why})` : ''}; run \`npm run restore\``);
    }
  }
  return runStopReason();
}

/** Before anything is opened or injected: the drill must be right on the cluster's control-plane topology. */
async function refuseUnsupportedTopology(meta: DrillMeta, target: Target): Promise<void> {
  const shape = await readControlPlaneShape(target.kube, controlPlaneHosts(target.profile).length);
  const topology = checkTopology(meta.name, meta.topologies ?? ['single-control-plane'], shape);
  emitRunEvent({ kind: 'observation', drill: meta.name, probe: 'topology', text: `${topology}: ${describeShape(shape)}` });
}

export function drill(meta: DrillMeta, body: (drill: DrillHandle) => void): void {
  registry.push(meta);
  // Assigned when describe returns, before any hook runs.
  let suite = undefined as unknown as Suite;
  suite = describe(meta.name, function () {
    this.timeout(DEFAULT_STEP_TIMEOUT_MS);
    const handle = new DrillHandle(meta);
    let setupError: Error | undefined;
    let notRun = false;
    let stopRecording = () => {};
    let currentStep: Test | undefined;
    // A restore a step awaits gets its own time: the step's clock is extended by the restore's deadline.
    // (Only while the step runs: a finished runnable given a timeout would start a timer that calls it again.)
    handle.onRestoreStart = (budgetMs) => {
      if (currentStep && !currentStep.state && !currentStep.timedOut && currentStep.timeout() > 0) currentStep.timeout(currentStep.timeout() + budgetMs);
    };

    before(async function (this: Context) {
      // The wait for earlier drills' restores has their own deadlines; the setup budget starts after it.
      this.timeout(0);
      let announced = false;
      const announce = () => {
        announceRun();
        if (!announced) emitRunEvent({ kind: 'drill-start', drill: meta.name, meta });
        announced = true;
      };
      const notAllowed = (await mayStart()) ?? (await passDrillGate(meta));
      const held = interruption();
      if (held) await held;
      if (notAllowed) {
        notRun = true;
        announce();
        handle.end({ result: 'failed', restored: true, error: `not run: ${notAllowed}` });
        this.skip();
      }
      this.timeout(SETUP_TIMEOUT_MS);
      setCurrentDrill(meta.name);
      try {
        const target = await runtime.target();
        announce();
        await runtime.topology(meta, target);
        handle.open(target);
        trackDrill(handle);
        const budget = stepBudgetMs(target.profile.timings);
        for (const test of suite.tests) test.timeout(budget);
        if (target.dryRun) return;
        const appNamespace = target.profile.app?.namespace;
        stopRecording = runtime.recordEvents(target.kube, new Date(), appNamespace, (event) =>
          emitRunEvent({ kind: 'kube-event', drill: meta.name, at: event.at.toISOString(), object: event.object, reason: event.reason, message: event.message, type: event.type }),
        );
        emitRunEvent({ kind: 'phase', drill: meta.name, phase: 'steady-state' });
        await runtime.steadyState(target, STEADY_STATE_TIMEOUT_MS, handle.signal);
      } catch (error) {
        announce();
        setupError = error as Error;
        throw error;
      }
    });

    // Registered before the drill's own hooks, so it runs first among them: mocha skips the rest of a hook list
    // after a failure, and a drill's own failing `after` must not skip the restores.
    after(async function (this: Context) {
      // Never cut by mocha's timeout: every wait inside is bounded (each restore by its deadline, the check by its own).
      this.timeout(0);
      if (notRun) return;
      handle.abort.abort(new Error(`drill ${meta.name} is tearing down`));
      let restoreError: Error | undefined;
      try {
        await handle.restore();
      } catch (error) {
        restoreError = error as Error;
      }
      const signal = interruptedBy();
      let steadyError: Error | undefined;
      if (!restoreError && !setupError && !signal && !handle.dryRun) {
        emitRunEvent({ kind: 'phase', drill: meta.name, phase: 'verify' });
        try {
          await runtime.steadyState(handle.target, STEADY_STATE_TIMEOUT_MS);
        } catch (error) {
          steadyError = new Error(`the cluster did not return to its steady state after the restore: ${(error as Error).message}`, { cause: error });
        }
      }
      stopRecording();
      const tests = suite.tests;
      const failures = tests.filter((test) => test.state === 'failed').map((test) => (test as Test & { err?: Error }).err);
      // A failed hook of the drill's own (its setup) leaves its steps unrun: the drill could not run as planned.
      const hooks = suite as unknown as { _beforeAll: Hook[]; _beforeEach: Hook[]; _afterEach: Hook[] };
      const failedHook = [...hooks._beforeAll, ...hooks._beforeEach, ...hooks._afterEach].find((hook) => hook.state === 'failed');
      const hookError = failedHook ? new Error(`${failedHook.title} failed; the drill's steps after it did not run`) : undefined;
      let result: DrillResult = 'passed';
      if (restoreError) result = 'not-restored';
      else if (signal || setupError || steadyError || hookError || failures.some((error) => !isDeviation(error))) result = 'failed';
      else if (failures.length > 0) result = 'deviated';
      const error = restoreError ?? (signal ? new Error(`interrupted by ${signal}`) : undefined) ?? setupError ?? hookError ?? steadyError ?? failures[0];
      handle.end({
        result,
        restored: !restoreError,
        error: error?.message,
        lastObservation: error instanceof ProbeTimeoutError ? error.lastObservation : undefined,
      });
      if (restoreError) stopRun(`drill ${meta.name} left the cluster not restored (${restoreError.message.split('\n')[0]}); run \`npm run restore\``);
      untrackDrill(handle);
      // A signal is being handled: the handler writes the report and exits; nothing else may run meanwhile.
      const held = interruption();
      if (held) await held;
      if (restoreError) throw restoreError;
      if (steadyError) throw steadyError;
    });

    // After a failed step the drill's later steps are skipped (a bail of its own: mocha's bail counts failures of
    // the whole run), and so are they once the drill is stopped (teardown, a signal).
    beforeEach(function (this: Context) {
      const step = this.currentTest;
      const failed = suite.tests.find((test) => test.state === 'failed');
      const why = handle.signal.aborted ? String((handle.signal.reason as Error | undefined)?.message ?? 'the drill was stopped') : failed ? `step "${failed.title}" failed` : runStopReason();
      if (why) {
        if (!handle.signal.aborted) handle.abort.abort(new Error(why));
        handle.observe('engine', `skipped "${step?.title ?? ''}": ${why}`);
        currentStep = undefined;
        this.skip();
      }
      currentStep = step;
    });

    body(handle);
  });
}
