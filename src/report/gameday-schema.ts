// Checks a parsed gameday.json against the game-day record type, naming the first field that does not fit.
import { z } from 'zod';
import type { GameDayRecord } from '../gameday/plan-types.ts';

export const GAMEDAY_SCHEMA_VERSION = 1;

const iso = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO timestamp');

const outcomeSchema = z.object({
  name: z.string(),
  result: z.enum(['passed', 'failed', 'deviated', 'not-restored', 'skipped', 'not-run', 'aborted']),
  reason: z.string().optional(),
  startedAt: iso.optional(),
  endedAt: iso.optional(),
  reportPath: z.string().optional(),
  timings: z.record(z.string(), z.number()),
});

/** Typed as the record, so the schema and plan-types.ts cannot drift apart unnoticed. */
const recordSchema: z.ZodType<GameDayRecord> = z.object({
  schemaVersion: z.literal(GAMEDAY_SCHEMA_VERSION),
  kind: z.literal('gameday'),
  plan: z.string(),
  runId: z.string(),
  startedAt: iso,
  endedAt: iso,
  verdict: z.enum(['passed', 'deviated', 'aborted', 'refused', 'not-restored', 'interrupted']),
  reason: z.string().optional(),
  cluster: z.object({ name: z.string(), uid: z.string().optional(), server: z.string().optional() }),
  drills: z.array(outcomeSchema),
  samples: z.array(z.object({ condition: z.string(), at: iso, value: z.string(), ok: z.boolean() })),
  breach: z.object({ condition: z.string(), at: iso, value: z.string(), threshold: z.string() }).optional(),
  partial: z.boolean(),
});

/** The record, or why the text is not one (not JSON, not a game day, a newer schema, a field that does not fit). */
export function parseGameDay(text: string): { record: GameDayRecord } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { reason: `not valid JSON (${(error as Error).message})` };
  }
  const head = (typeof value === 'object' && value !== null ? value : {}) as { kind?: unknown; schemaVersion?: unknown };
  if (head.kind !== 'gameday') return { reason: 'not a kube-firedrill game-day record (its kind is not "gameday")' };
  if (typeof head.schemaVersion === 'number' && head.schemaVersion > GAMEDAY_SCHEMA_VERSION) {
    return { reason: `written with game-day schema v${head.schemaVersion}, newer than this kube-firedrill reads (v${GAMEDAY_SCHEMA_VERSION}); update it` };
  }
  const parsed = recordSchema.safeParse(value);
  if (parsed.success) return { record: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.length ? `/${issue.path.join('/')}` : '/';
  return { reason: `does not match the game-day record v${GAMEDAY_SCHEMA_VERSION}: ${path} ${issue?.message ?? 'is invalid'}` };
}
