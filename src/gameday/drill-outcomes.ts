// Collects each planned drill's outcome from the run's events: result, why it was skipped or aborted, start, end, timings.
import { onRunEvent } from '../engine/run-events.ts';
import type { GameDayDrillOutcome } from './plan-types.ts';

const NOT_RUN = 'not run: ';
/** How the engine ends a drill a signal stopped. */
const INTERRUPTED = 'interrupted by ';

export class DrillOutcomes {
  private readonly outcomes = new Map<string, GameDayDrillOutcome>();
  /** Drills the gate skipped, with why. */
  private readonly skipped = new Map<string, string>();
  private aborted: { drill: string; reason: string } | undefined;
  readonly stop: () => void;

  constructor(
    private readonly planned: readonly string[],
    private readonly reportPath: (drill: string) => string,
  ) {
    for (const name of planned) this.outcomes.set(name, { name, result: 'not-run', timings: {} });
    this.stop = onRunEvent((event) => {
      const outcome = this.outcomes.get(event.drill);
      if (!outcome) return;
      if (event.kind === 'drill-start') outcome.startedAt = event.at;
      if (event.kind === 'expectation' && event.seconds !== undefined) outcome.timings[event.name] = event.seconds;
      if (event.kind !== 'drill-end') return;
      outcome.endedAt = event.at;
      const skip = this.skipped.get(event.drill);
      if (skip) Object.assign(outcome, { result: 'skipped', reason: skip });
      else if (event.error?.startsWith(NOT_RUN)) Object.assign(outcome, { result: 'not-run', reason: event.error.slice(NOT_RUN.length) });
      else if (event.result !== 'not-restored' && (this.aborted?.drill === event.drill || event.error?.startsWith(INTERRUPTED))) {
        Object.assign(outcome, { result: 'aborted', reason: this.aborted?.drill === event.drill ? this.aborted.reason : event.error });
      }
      else Object.assign(outcome, { result: event.result, ...(event.error ? { reason: event.error } : {}), reportPath: this.reportPath(event.drill) });
      if (outcome.result === 'aborted') outcome.reportPath = this.reportPath(event.drill);
    });
  }

  /** The gate skipped this drill (its drill-end follows). */
  skip(drill: string, reason: string): void {
    this.skipped.set(drill, reason);
  }

  /** A stop condition or a signal stopped this drill. */
  abort(drill: string, reason: string): void {
    this.aborted ??= { drill, reason };
  }

  get(drill: string): GameDayDrillOutcome | undefined {
    return this.outcomes.get(drill);
  }

  /** In plan order; drills that never ended are not run, with the reason given. */
  list(notRunReason?: string): GameDayDrillOutcome[] {
    return this.planned.map((name) => {
      const outcome = this.outcomes.get(name) as GameDayDrillOutcome;
      if (outcome.result === 'not-run' && !outcome.reason && notRunReason) return { ...outcome, reason: notRunReason };
      return { ...outcome, timings: { ...outcome.timings } };
    });
  }
}
