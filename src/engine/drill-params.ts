// The values a game-day plan sets for drills' parameters; a drill reads them, or their defaults, with d.param(name).
import type { DrillMeta, DrillParamValue } from './run-events.ts';

const planned = new Map<string, Record<string, DrillParamValue>>();

/** Sets a drill's parameter values for this process (the game-day runner does, after checking them with paramProblems). */
export function setDrillParams(drill: string, values: Record<string, DrillParamValue>): void {
  planned.set(drill, { ...values });
}

export function drillParam(meta: DrillMeta, name: string): DrillParamValue {
  const declared = meta.params?.[name];
  if (!declared) throw new Error(`drill ${meta.name} has no parameter "${name}" (it declares: ${Object.keys(meta.params ?? {}).join(', ') || 'none'})`);
  return planned.get(meta.name)?.[name] ?? declared.default;
}

/** What is wrong with parameter values for a drill: unknown names, or a value of another type than the default's. */
export function paramProblems(meta: DrillMeta, values: Record<string, DrillParamValue>): { param: string; problem: string }[] {
  const declared = meta.params ?? {};
  const known = Object.keys(declared);
  return Object.entries(values).flatMap(([param, value]) => {
    const spec = declared[param];
    if (!spec) return [{ param, problem: `unknown parameter of drill ${meta.name} (it has ${known.length > 0 ? known.join(', ') : 'no parameters'})` }];
    if (typeof value !== typeof spec.default) return [{ param, problem: `must be a ${typeof spec.default} (got ${JSON.stringify(value)})` }];
    return [];
  });
}

/** For tests: forgets every value set. */
export function resetDrillParams(): void {
  planned.clear();
}
