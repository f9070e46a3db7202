// drill(): declares a fire drill as a mocha suite with one setup and one teardown that always restores.
import type { Context, Hook, Test } from 'mocha';
import { recordEvents } from '../probes/event-recorder.ts';
import { ProbeTimeoutError } from '../probes/probe-timeout-error.ts';
import { controlPlaneHosts } from '../faults/hosts.ts';
import { describeShape, readControlPlaneShape } from '../kube/control-plane-shape.ts';
import { DrillHandle } from './drill-handle.ts';
import { ExpectationError } from './expectation-error.ts';
import { trackDrill, untrackDrill } from './interrupts.ts';
import { emitRunEvent, type DrillMeta, type DrillResult } from './run-events.ts';
import { announceRun, setCurrentDrill, sharedTarget } from './shared-target.ts';
import { waitForSteadyState } from './steady-state.ts';
import type { Target } from './target.ts';
import { checkTopology } from './topology-check.ts';

/** Budgets: a step's probes carry their own deadlines; these only stop a drill that hangs. */
const STEP_TIMEOUT_MS = 5 * 60_000;
const SETUP_TIMEOUT_MS = 4 * 60_000;
const STEADY_STATE_TIMEOUT_MS = 120_000;

const registry: DrillMeta[] = [];

/** Metadata of every drill declared in this process (for --list and the report). */
export function declaredDrills(): readonly DrillMeta[] {
  return registry;
}

function isDeviation(error: unknown): boolean {
  return error instanceof ExpectationError || error instanceof ProbeTimeoutError || (error as Error | undefined)?.name === 'AssertionError';
}

/** Before anything is opened or injected: the drill must be right on the cluster's control-plane topology. */
async function refuseUnsupportedTopology(meta: DrillMeta, target: Target): Promise<void> {
  const shape = await readControlPlaneShape(target.kube, controlPlaneHosts(target.profile).length);
  const topology = checkTopology(meta.name, meta.topologies ?? ['single-control-plane'], shape);
  emitRunEvent({ kind: 'observation', drill: meta.name, probe: 'topology', text: `${topology}: ${describeShape(shape)}` });
}

export function drill(meta: DrillMeta, body: (drill: DrillHandle) => void): void {
  registry.push(meta);
  describe(meta.name, function () {
    this.timeout(STEP_TIMEOUT_MS);
    const handle = new DrillHandle(meta);
    let setupError: Error | undefined;
    let stopRecording = () => {};

    before(async function (this: Context) {
      this.timeout(SETUP_TIMEOUT_MS);
      setCurrentDrill(meta.name);
      let announced = false;
      const announce = () => {
        announceRun();
        if (!announced) emitRunEvent({ kind: 'drill-start', drill: meta.name, meta });
        announced = true;
      };
      try {
        const target = await sharedTarget();
        announce();
        await refuseUnsupportedTopology(meta, target);
        handle.open(target);
        trackDrill(handle);
        if (target.dryRun) return;
        const appNamespace = target.profile.app?.namespace;
        stopRecording = recordEvents(target.kube, new Date(), appNamespace, (event) =>
          emitRunEvent({ kind: 'kube-event', drill: meta.name, at: event.at.toISOString(), object: event.object, reason: event.reason, message: event.message, type: event.type }),
        );
        emitRunEvent({ kind: 'phase', drill: meta.name, phase: 'steady-state' });
        await waitForSteadyState(target, STEADY_STATE_TIMEOUT_MS, handle.signal);
      } catch (error) {
        announce();
        setupError = error as Error;
        throw error;
      }
    });

    body(handle);

    after(async function (this: Context) {
      this.timeout(SETUP_TIMEOUT_MS);
      handle.abort.abort(new Error(`drill ${meta.name} is tearing down`));
      let restoreError: Error | undefined;
      try {
        await handle.restore();
      } catch (error) {
        restoreError = error as Error;
      }
      let steadyError: Error | undefined;
      if (!restoreError && !setupError && !handle.dryRun) {
        emitRunEvent({ kind: 'phase', drill: meta.name, phase: 'verify' });
        try {
          await waitForSteadyState(handle.target, STEADY_STATE_TIMEOUT_MS);
        } catch (error) {
          steadyError = new Error(`the cluster did not return to its steady state after the restore: ${(error as Error).message}`, { cause: error });
        }
      }
      stopRecording();
      untrackDrill(handle);
      const suite = this.test?.parent;
      const tests = (suite?.tests ?? []) as Test[];
      const failures = tests.filter((test) => test.state === 'failed').map((test) => (test as Test & { err?: Error }).err);
      // A failed hook of the drill's own (its setup) leaves its steps unrun: the drill could not run as planned.
      const hooks = suite as unknown as { _beforeAll: Hook[]; _beforeEach: Hook[]; _afterEach: Hook[] } | undefined;
      const failedHook = hooks && [...hooks._beforeAll, ...hooks._beforeEach, ...hooks._afterEach].find((hook) => hook.state === 'failed');
      const hookError = failedHook ? new Error(`${failedHook.title} failed; the drill's steps after it did not run`) : undefined;
      let result: DrillResult = 'passed';
      if (restoreError) result = 'not-restored';
      else if (setupError || steadyError || hookError || failures.some((error) => !isDeviation(error))) result = 'failed';
      else if (failures.length > 0) result = 'deviated';
      const error = restoreError ?? setupError ?? hookError ?? steadyError ?? failures[0];
      emitRunEvent({
        kind: 'drill-end',
        drill: meta.name,
        result,
        restored: !restoreError,
        error: error?.message,
        lastObservation: error instanceof ProbeTimeoutError ? error.lastObservation : undefined,
      });
      if (restoreError) throw restoreError;
      if (steadyError) throw steadyError;
    });
  });
}
