// The game-day plan file as a zod schema: field by field what a plan may hold, with its defaults.
import { z } from 'zod';
import { nearest } from '../engine/suggest.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const quote = (value: unknown) => JSON.stringify(value) ?? String(value);

/** True when Intl knows the zone (IANA names, case-insensitive, and their aliases like "UTC"). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().refine(isTimeZone, {
  error: (issue) => {
    const guess = nearest(String(issue.input), Intl.supportedValuesOf('timeZone'));
    return `${quote(issue.input)} is not an IANA time zone${guess ? ` — did you mean "${guess}"?` : ''} (e.g. "Europe/Berlin", "America/New_York", "UTC")`;
  },
});

const weekday = z.enum(WEEKDAYS, { error: (issue) => `${quote(issue.input)} is not a weekday; use ${WEEKDAYS.join(', ')}` });

/** "HH:MM" in 24 hours; "24:00" only as the end of a window that runs to midnight. */
const clock = (allowMidnightEnd: boolean) =>
  z.string().regex(allowMidnightEnd ? /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ : /^([01]\d|2[0-3]):[0-5]\d$/, {
    error: (issue) => `${quote(issue.input)} is not a 24-hour time "HH:MM" (e.g. "09:00"${allowMidnightEnd ? ', or "24:00" for midnight' : ''})`,
  });

/** Minutes since midnight of an "HH:MM" the schema accepted. */
export function clockMinutes(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** True for "YYYY-MM-DD" naming a day the calendar has (no 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const calendarDate = z.string().refine(isCalendarDate, { error: (issue) => `${quote(issue.input)} is not a date "YYYY-MM-DD" the calendar has (e.g. "2026-12-24")` });

const windowSchema = z.strictObject({
  timeZone,
  weekdays: z.array(weekday).min(1, 'list at least one weekday, e.g. [mon, tue, wed, thu, fri]'),
  hours: z
    .strictObject({ from: clock(false), to: clock(true) })
    .refine((hours) => clockMinutes(hours.from) < clockMinutes(hours.to), {
      path: ['to'],
      error: (issue) => {
        const hours = issue.input as { from: string; to: string };
        return `"${hours.to}" is not after from "${hours.from}": a window runs from < to within one day (use "24:00" to run until midnight)`;
      },
    }),
  blackoutDates: z.array(calendarDate).default([]),
});

const name = z.string().regex(/^[A-Za-z0-9][\w .-]{0,99}$/, 'a name of letters, digits, " ", ".", "_" and "-" (at most 100 characters)');
const httpUrl = z.url({
  protocol: /^https?$/,
  error: (issue) =>
    issue.input === undefined
      ? 'missing, and the profile has no app.endpoint to watch instead: set the URL to watch'
      : `${quote(issue.input)} is not an http(s) URL (e.g. "https://guestbook.staging.example.com/")`,
});

const appEndpoint = z
  .strictObject({
    kind: z.literal('app-endpoint'),
    name,
    /** Left out in the file: the profile's app.endpoint (load-plan.ts fills it in before validating). */
    url: httpUrl,
    windowSeconds: z.number().int().min(1, 'at least 1 (seconds)'),
    intervalMs: z.number().int().min(100, 'at least 100 (milliseconds between two requests)'),
    minSuccessRatio: z.number().min(0, 'a ratio from 0 to 1 (e.g. 0.95)').max(1, 'a ratio from 0 to 1 (e.g. 0.95)').optional(),
    maxP95Ms: z.number().positive('a latency in milliseconds, above 0').optional(),
  })
  .refine((condition) => condition.minSuccessRatio !== undefined || condition.maxP95Ms !== undefined, {
    error: 'an app-endpoint condition needs a threshold: set minSuccessRatio (0..1), maxP95Ms, or both',
  })
  .refine((condition) => condition.intervalMs <= condition.windowSeconds * 1000, {
    path: ['intervalMs'],
    error: (issue) => {
      const condition = issue.input as { intervalMs: number; windowSeconds: number };
      return `${condition.intervalMs} ms between requests is longer than the window of ${condition.windowSeconds} s: the window would hold no sample`;
    },
  });

const notReadyNodes = z.strictObject({
  kind: z.literal('not-ready-nodes'),
  name,
  max: z.number().int().min(0, 'a number of nodes, 0 or more'),
});

const kubernetesCondition = z.strictObject({
  kind: z.literal('kubernetes-condition'),
  name,
  object: z.strictObject({
    apiVersion: z.string().regex(/^([a-z0-9.-]+\/)?v\d+\w*$/, 'an apiVersion like "apps/v1" or "v1"'),
    kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a kind like "Deployment"'),
    namespace: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a namespace name').optional(),
    name: z.string().min(1),
  }),
  conditionType: z.string().regex(/^[A-Za-z][\w.-]*$/, 'a condition type like "Available"'),
  status: z.enum(['True', 'False', 'Unknown'], { error: (issue) => `${quote(issue.input)} is not a condition status; use "True", "False" or "Unknown" (quoted in YAML)` }),
  graceSeconds: z.number().int().min(0, 'seconds, 0 or more').default(0),
});

const STOP_KINDS = ['app-endpoint', 'not-ready-nodes', 'kubernetes-condition'];

const stopCondition = z.discriminatedUnion('kind', [appEndpoint, notReadyNodes, kubernetesCondition], {
  error: (issue) => {
    const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
    const guess = typeof kind === 'string' ? nearest(kind, STOP_KINDS) : undefined;
    const what = kind === undefined ? 'missing' : `${quote(kind)} is not a stop-condition kind`;
    return `${what} (use one of ${STOP_KINDS.join(', ')})${guess ? ` — did you mean "${guess}"?` : ''}`;
  },
});

const paramValue = z.union([z.string(), z.number(), z.boolean()], { error: (issue) => `${quote(issue.input)} is not a scalar; a parameter is a string, number or boolean` });

/** A drill, written as its name alone or as { name, params }. */
const plannedDrill = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  z.strictObject({
    name: z.string().min(1, 'a drill name, as npm run drill -- --list shows'),
    params: z.record(z.string(), paramValue).default({}),
  }),
);

const envVarName = z.string().refine((value) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(value), {
  error: (issue) =>
    /^[a-z][a-z0-9+.-]*:/i.test(String(issue.input))
      ? 'this is a URL, not the name of an environment variable: the webhook URL is a secret, so it goes into the environment (e.g. GAMEDAY_WEBHOOK_URL=https://… set by the scheduler) and the plan names the variable (webhookUrlEnv: GAMEDAY_WEBHOOK_URL)'
      : `${quote(issue.input)} is not an environment variable name (letters, digits and "_", not starting with a digit, e.g. GAMEDAY_WEBHOOK_URL)`,
});

export const planSchema = z.strictObject({
  name,
  profile: z.string().min(1, 'the cluster profile file, relative to the plan file (or "lab" for the built-in lab)'),
  drills: z.array(plannedDrill).min(1, 'list at least one drill'),
  stopConditions: z.array(stopCondition).default([]).superRefine((conditions, context) => {
    const seen = new Set<string>();
    conditions.forEach((condition, index) => {
      if (seen.has(condition.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `"${condition.name}" names another stop condition too; names must be unique` });
      seen.add(condition.name);
    });
  }),
  window: windowSchema.optional(),
  blastRadius: z.strictObject({
    maxNodesAffected: z.number().int().min(1, 'at least 1 (nodes a drill may affect at once)'),
    hosts: z.array(z.string().min(1)).min(1, 'list at least one host, or leave hosts out to allow every host').optional(),
  }),
  onGateFailure: z.enum(['skip-drill', 'stop'], { error: (issue) => `${quote(issue.input)} is not one of "skip-drill", "stop"` }).default('stop'),
  notifications: z.strictObject({ webhookUrlEnv: envVarName }).optional(),
});

/** The schema's output: a GameDayPlan (load-plan.ts assigns one to the other, so the compiler keeps them in step). */
export type ParsedPlan = z.infer<typeof planSchema>;
