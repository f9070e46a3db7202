// Builds game-day records for the tests from the shared types: drills, stop-condition samples, a breach, as a runner would record them.
import type { GameDayDrillOutcome, GameDayRecord, StopConditionSample } from '../../../src/gameday/plan-types.ts';

export const HOSTILE = '<script>alert(1)</script>';

const iso = (start: number, seconds: number) => new Date(start + seconds * 1000).toISOString();

export interface SampleDrill {
  name: string;
  result: GameDayDrillOutcome['result'];
  /** Seconds after the game day started; left out for a drill that did not start. */
  from?: number;
  to?: number;
  timings?: Record<string, number>;
  reason?: string;
  reportPath?: string;
}

export interface SampleGameDay {
  plan?: string;
  startedAt?: string;
  runId?: string;
  verdict?: GameDayRecord['verdict'];
  reason?: string;
  drills: SampleDrill[];
  /** Conditions sampled every `every` seconds over the game day; a condition breaches from `breachAt` seconds on. */
  conditions?: { name: string; every: number; value: (ok: boolean, t: number) => string; breachAt?: number; threshold?: string }[];
  partial?: boolean;
}

export function sampleGameDay(options: SampleGameDay): GameDayRecord {
  const startedAt = options.startedAt ?? '2026-11-20T09:00:00.000Z';
  const start = Date.parse(startedAt);
  const end = Math.max(60, ...options.drills.map((drill) => drill.to ?? 0)) + 5;
  const drills: GameDayDrillOutcome[] = options.drills.map((drill) => ({
    name: drill.name,
    result: drill.result,
    ...(drill.reason !== undefined ? { reason: drill.reason } : {}),
    ...(drill.from !== undefined ? { startedAt: iso(start, drill.from) } : {}),
    ...(drill.to !== undefined ? { endedAt: iso(start, drill.to) } : {}),
    ...(drill.reportPath !== undefined ? { reportPath: drill.reportPath } : {}),
    timings: drill.timings ?? {},
  }));
  const samples: StopConditionSample[] = [];
  let breach: GameDayRecord['breach'];
  for (const condition of options.conditions ?? []) {
    // A breach stops the game day: sampling ends a few samples after it.
    const last = condition.breachAt !== undefined ? Math.min(end, condition.breachAt + 3 * condition.every) : end;
    for (let t = 0; t <= last; t += condition.every) {
      const ok = condition.breachAt === undefined || t < condition.breachAt;
      const sample = { condition: condition.name, at: iso(start, t), value: condition.value(ok, t), ok };
      samples.push(sample);
      if (!ok && !breach) breach = { condition: condition.name, at: sample.at, value: sample.value, threshold: condition.threshold ?? 'a threshold' };
    }
  }
  return {
    schemaVersion: 1,
    kind: 'gameday',
    plan: options.plan ?? 'nightly-staging',
    runId: options.runId ?? `gameday-${startedAt.replace(/[:.]/g, '-')}`,
    startedAt,
    endedAt: iso(start, end),
    verdict: options.verdict ?? 'passed',
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
    cluster: { name: 'staging', server: 'https://staging.example:6443' },
    drills,
    samples,
    ...(breach ? { breach } : {}),
    partial: options.partial ?? false,
  };
}

/** An app endpoint and a NotReady-nodes condition, both ok throughout. */
export const HEALTHY_CONDITIONS: NonNullable<SampleGameDay['conditions']> = [
  { name: 'checkout-endpoint', every: 5, value: () => 'success 100.0 % over 30 s, p95 42 ms' },
  { name: 'not-ready-nodes', every: 10, value: () => '0 NotReady' },
];
