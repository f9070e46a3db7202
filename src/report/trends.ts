// Each measured timing (drill + expectation name) across runs, oldest first: what the history's trend charts plot.
import type { RunSummary } from './read-reports.ts';

export interface TrendPoint {
  runId: string;
  folder: string;
  startedAt: string;
  seconds: number;
  ok: boolean;
}

export interface Trend {
  drill: string;
  name: string;
  points: TrendPoint[];
  /** The bound of the newest run that measured it. */
  lowerSeconds?: number;
  upperSeconds?: number;
}

/** Trends in the order drills and expectations appear, newest runs first deciding the order. */
export function trends(runsNewestFirst: readonly RunSummary[]): Trend[] {
  const byKey = new Map<string, Trend>();
  for (const run of runsNewestFirst) {
    for (const timing of run.timings) {
      const key = `${timing.drill}\u0000${timing.name}`;
      let trend = byKey.get(key);
      if (!trend) {
        trend = { drill: timing.drill, name: timing.name, points: [], lowerSeconds: timing.lowerSeconds, upperSeconds: timing.upperSeconds };
        byKey.set(key, trend);
      }
      trend.points.push({ runId: run.runId, folder: run.folder, startedAt: run.startedAt, seconds: timing.seconds, ok: timing.ok });
    }
  }
  const all = [...byKey.values()];
  for (const trend of all) trend.points.reverse();
  return all.sort((a, b) => a.drill.localeCompare(b.drill));
}
