// Compares a game day with the previous one of its plan: per drill, the timings that changed and by how much, and
// the results and verdict that changed.
import type { GameDayDrillOutcome, GameDayRecord, GameDayVerdict } from '../gameday/plan-types.ts';

export interface TimingChange {
  name: string;
  previous: number;
  current: number;
  /** current − previous, rounded to 0.1 s (what the page shows). */
  deltaSeconds: number;
  /** Relative to the previous timing; undefined when that was 0. */
  deltaPercent: number | undefined;
  /** Took longer than last time (by at least 0.1 s). */
  worse: boolean;
  better: boolean;
}

export interface DrillComparison {
  name: string;
  current: GameDayDrillOutcome['result'];
  /** undefined: the previous game day did not have this drill. */
  previous: GameDayDrillOutcome['result'] | undefined;
  resultChanged: boolean;
  /** Timings measured in both game days, in the current drill's order. */
  timings: TimingChange[];
  /** Timings measured now but not last time, and the other way round. */
  newTimings: string[];
  missingTimings: string[];
}

export interface GameDayComparison {
  previousRunId: string;
  previousStartedAt: string;
  previousVerdict: GameDayVerdict;
  verdictChanged: boolean;
  drills: DrillComparison[];
  /** Drills of the previous game day that this one did not have. */
  droppedDrills: string[];
}

/** Drills match by name; a drill that appears twice in a plan matches its n-th occurrence. */
export function compareGameDays(current: GameDayRecord, previous: GameDayRecord): GameDayComparison {
  const earlier = occurrences(previous.drills);
  const matched = new Set<string>();
  const drills = occurrences(current.drills).map(([key, drill]) => {
    matched.add(key);
    const before = earlier.find(([other]) => other === key)?.[1];
    return compareDrill(drill, before);
  });
  return {
    previousRunId: previous.runId,
    previousStartedAt: previous.startedAt,
    previousVerdict: previous.verdict,
    verdictChanged: previous.verdict !== current.verdict,
    drills,
    droppedDrills: earlier.filter(([key]) => !matched.has(key)).map(([, drill]) => drill.name),
  };
}

function compareDrill(drill: GameDayDrillOutcome, before: GameDayDrillOutcome | undefined): DrillComparison {
  const timings: TimingChange[] = [];
  const newTimings: string[] = [];
  for (const [name, current] of Object.entries(drill.timings)) {
    const previous = before?.timings[name];
    if (previous === undefined) {
      if (before) newTimings.push(name);
      continue;
    }
    const deltaSeconds = Math.round((current - previous) * 10) / 10;
    const deltaPercent = previous === 0 ? undefined : ((current - previous) / previous) * 100;
    timings.push({ name, previous, current, deltaSeconds, deltaPercent, worse: deltaSeconds > 0, better: deltaSeconds < 0 });
  }
  return {
    name: drill.name,
    current: drill.result,
    previous: before?.result,
    resultChanged: before !== undefined && before.result !== drill.result,
    timings,
    newTimings,
    missingTimings: before ? Object.keys(before.timings).filter((name) => !(name in drill.timings)) : [],
  };
}

function occurrences(drills: readonly GameDayDrillOutcome[]): [string, GameDayDrillOutcome][] {
  const seen = new Map<string, number>();
  return drills.map((drill) => {
    const count = (seen.get(drill.name) ?? 0) + 1;
    seen.set(drill.name, count);
    return [`${drill.name}#${count}`, drill];
  });
}
