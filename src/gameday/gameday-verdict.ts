// A game day's verdict and exit code, from its drills' outcomes and what stopped it.
import { SIGNAL_EXIT, type InterruptSignal } from '../engine/interrupts.ts';
import { GAMEDAY_EXIT, type GameDayDrillOutcome, type GameDayVerdict } from './plan-types.ts';

export interface Stops {
  notRestored: boolean;
  signal?: InterruptSignal;
  aborted: boolean;
  /** Refused before any drill ran (lock, blast radius, a gate with onGateFailure stop before the first drill). */
  refused: boolean;
  /** The time window closed (or was closed) and drills were left out. */
  windowClosed: boolean;
}

/** The worst first: not restored, interrupted, aborted, refused up front, a drill deviated or failed, drills left out, passed. */
export function gameDayVerdict(drills: readonly GameDayDrillOutcome[], stops: Stops): GameDayVerdict {
  if (stops.notRestored || drills.some((drill) => drill.result === 'not-restored')) return 'not-restored';
  if (stops.signal) return 'interrupted';
  if (stops.aborted) return 'aborted';
  if (stops.refused) return 'refused';
  if (drills.some((drill) => drill.result === 'failed' || drill.result === 'deviated')) return 'deviated';
  if (drills.some((drill) => drill.result === 'skipped' || drill.result === 'not-run')) return 'refused';
  return 'passed';
}

export function gameDayExitCode(verdict: GameDayVerdict, stops: Pick<Stops, 'signal' | 'windowClosed'>): number {
  if (verdict === 'interrupted') return stops.signal ? SIGNAL_EXIT[stops.signal] : GAMEDAY_EXIT.interrupted;
  if (verdict === 'refused') return stops.windowClosed ? GAMEDAY_EXIT['outside-window'] : GAMEDAY_EXIT.refused;
  return GAMEDAY_EXIT[verdict];
}
