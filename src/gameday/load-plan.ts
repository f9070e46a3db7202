// Reads a game-day plan file and validates it, and the cluster profile it names, before anything is contacted.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { nearest } from '../engine/suggest.ts';
import { defaultLabDir } from '../lab/dirs.ts';
import { labPaths } from '../lab/lab-paths.ts';
import { loadProfile } from '../profile/load-profile.ts';
import { ProfileError } from '../profile/profile-error.ts';
import type { ClusterProfile } from '../profile/profile-schema.ts';
import { drillNames } from './drill-names.ts';
import { knownFields } from './known-fields.ts';
import { PlanError } from './plan-error.ts';
import { planSchema } from './plan-schema.ts';
import type { GameDayPlan } from './plan-types.ts';

/** Written as the plan's profile, the built-in lab's own profile (in FIREDRILL_LAB_DIR or the default lab folder). */
export const LAB_PROFILE = 'lab';

/** Fields whose value is never repeated in a message (a webhook URL written where its variable's name belongs is a secret). */
const SECRET_FIELDS = new Set(['webhookUrlEnv']);

function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${String(key)}`;
  return text || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownFields(planSchema, issue.path);
    const hints = issue.keys.map((key) => {
      const guess = nearest(key, known);
      return `"${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
    });
    return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${hints.join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'} or fix the spelling`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined && issue.message.startsWith('Invalid input')) return `${field}: missing (${issue.expected} expected)`;
  const input = issue.input;
  // Only a scalar is repeated (never a mapping that may hold more), and never a secret field's value.
  const shown = input === null || ['string', 'number', 'boolean'].includes(typeof input) ? JSON.stringify(input) : undefined;
  const secret = SECRET_FIELDS.has(String(issue.path.at(-1)));
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return `${field}: ${issue.expected} expected, got ${secret || !shown ? (Array.isArray(input) ? 'a list' : `a ${typeof input === 'object' ? 'mapping' : typeof input}`) : shown}`;
  }
  return shown && !secret && !issue.message.includes(shown) ? `${field}: ${issue.message} (got ${shown})` : `${field}: ${issue.message}`;
}

/** The profile's file: "lab" for the built-in lab, else the path resolved against the plan file's folder. */
function profileFile(written: string, planFile: string): { file: string; problem?: string } {
  if (written === LAB_PROFILE) {
    const file = labPaths(defaultLabDir()).profile;
    if (!existsSync(file)) return { file, problem: `profile: "lab": the built-in lab is not running (no ${file}); start it with npm run lab -- up, or name a profile file` };
    return { file };
  }
  const file = resolve(dirname(resolve(planFile)), written);
  if (!existsSync(file)) return { file, problem: `profile: file ${file} does not exist (${JSON.stringify(written)}, relative to the plan's folder); name a cluster profile file, or "lab"` };
  return { file };
}

/** Checks across the plan and its profile: drill names that exist, blast-radius hosts the profile has. */
function checkReferences(plan: GameDayPlan, profile: ClusterProfile): string[] {
  const problems: string[] = [];
  const drills = drillNames();
  plan.drills.forEach((drill, index) => {
    if (drills.includes(drill.name)) return;
    const guess = nearest(drill.name, drills);
    problems.push(`drills[${index}].name: unknown drill "${drill.name}"${guess ? ` — did you mean "${guess}"?` : `; the drills (npm run drill -- --list): ${drills.join(', ')}`}`);
  });
  // Hosts found from the nodes (discoverHosts) are known only once the cluster is reached: the runner checks those.
  const hosts = profile.hosts.map((host) => host.name);
  if (hosts.length === 0) return problems;
  plan.blastRadius.hosts?.forEach((host, index) => {
    if (hosts.includes(host)) return;
    const guess = nearest(host, hosts);
    problems.push(`blastRadius.hosts[${index}]: no host "${host}" in the profile${guess ? ` — did you mean "${guess}"?` : ''} (its hosts: ${hosts.join(', ')})`);
  });
  return problems;
}

/** The profile the plan names, loaded (so a bad profile fails at plan load); undefined with problems if it cannot be. */
function planProfile(written: unknown, planFile: string): { file: string; profile?: ClusterProfile; problems: string[] } {
  if (typeof written !== 'string' || written === '') return { file: '', problems: [] }; // the schema names the field
  const { file, problem } = profileFile(written, planFile);
  if (problem) return { file, problems: [problem] };
  try {
    return { file, profile: loadProfile(file), problems: [] };
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    return { file, problems: error.problems.map((detail) => `profile: ${file}: ${detail}`) };
  }
}

/** An app-endpoint condition written without a url watches the profile's app endpoint. */
function withAppEndpoint(raw: Record<string, unknown>, profile: ClusterProfile | undefined): Record<string, unknown> {
  const endpoint = profile?.app?.endpoint;
  if (!endpoint || !Array.isArray(raw.stopConditions)) return raw;
  const stopConditions = raw.stopConditions.map((condition: unknown) => {
    const fields = condition as Record<string, unknown> | null;
    return fields && typeof fields === 'object' && fields.kind === 'app-endpoint' && !('url' in fields) ? { ...fields, url: endpoint } : condition;
  });
  return { ...raw, stopConditions };
}

/** Validates a plan's text; `file` names it in messages and anchors a relative profile path. Loads the profile too. */
export function parsePlan(text: string, file: string): { plan: GameDayPlan; profile: ClusterProfile } {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new PlanError(file, [`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PlanError(file, ['(top level): a plan is a YAML mapping with name, profile, drills, blastRadius and optionally stopConditions, window, onGateFailure, notifications']);
  }
  const fields = raw as Record<string, unknown>;
  const loaded = planProfile(fields.profile, file);
  if (loaded.problems.length > 0) throw new PlanError(file, loaded.problems);
  const result = planSchema.safeParse(withAppEndpoint(fields, loaded.profile), { reportInput: true });
  if (!result.success || !loaded.profile) throw new PlanError(file, result.error?.issues.map(describeIssue) ?? []);
  const plan: GameDayPlan = { ...result.data, profile: loaded.file };
  const problems = checkReferences(plan, loaded.profile);
  if (problems.length > 0) throw new PlanError(file, problems);
  return { plan, profile: loaded.profile };
}

/** Reads and validates a plan file and the profile it names, returning both; throws PlanError (exit code 2) naming every bad field. */
export function readPlan(file: string): { plan: GameDayPlan; profile: ClusterProfile } {
  if (!existsSync(file)) throw new PlanError(file, ['file not found: pass the path of a game-day plan (YAML), e.g. gamedays/example.yaml']);
  return parsePlan(readFileSync(file, 'utf8'), file);
}

/** Reads and validates a plan file and its profile; throws PlanError (exit code 2) naming every bad field. */
export function loadPlan(file: string): GameDayPlan {
  return readPlan(file).plan;
}
