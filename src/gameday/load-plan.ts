// Loads and validates a game-day plan file (minimal stand-in; the plan engineer's full version replaces it).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { GameDayPlan } from './plan-types.ts';

const name = z.string().min(1);
const stopCondition = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('app-endpoint'), name, url: z.url(), windowSeconds: z.number().positive(), intervalMs: z.number().int().positive(), minSuccessRatio: z.number().min(0).max(1).optional(), maxP95Ms: z.number().positive().optional() }),
  z.strictObject({ kind: z.literal('not-ready-nodes'), name, max: z.number().int().min(0) }),
  z.strictObject({
    kind: z.literal('kubernetes-condition'),
    name,
    object: z.strictObject({ apiVersion: name, kind: name, namespace: name.optional(), name }),
    conditionType: name,
    status: z.enum(['True', 'False', 'Unknown']),
    graceSeconds: z.number().min(0),
  }),
]);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const planSchema = z.strictObject({
  name,
  profile: name,
  drills: z.array(z.strictObject({ name, params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}) })).min(1),
  stopConditions: z.array(stopCondition).default([]),
  window: z
    .strictObject({
      timeZone: name,
      weekdays: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
      hours: z.strictObject({ from: hhmm, to: hhmm }),
      blackoutDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
    })
    .optional(),
  blastRadius: z.strictObject({ maxNodesAffected: z.number().int().min(0), hosts: z.array(name).optional() }),
  onGateFailure: z.enum(['skip-drill', 'stop']).default('stop'),
  notifications: z.strictObject({ webhookUrlEnv: name }).optional(),
});

export class PlanError extends Error {
  readonly exitCode = 2;
}

export function loadPlan(file: string): GameDayPlan {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PlanError(`${file}: ${(error as Error).message}`);
  }
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlanError(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return { ...parsed.data, profile: resolve(dirname(file), parsed.data.profile) };
}
