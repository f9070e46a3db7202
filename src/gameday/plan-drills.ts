// Checks a plan's drills against the drills there are: known names, each once, and parameters they declare. Exit 2.
import type { DrillMeta } from '../engine/run-events.ts';
import { paramProblems } from '../engine/drill-params.ts';
import { nearest } from '../engine/suggest.ts';
import type { GameDayPlan } from './plan-types.ts';

export class PlanDrillError extends Error {
  readonly exitCode = 2;
}

/** Names first (before any drill file is loaded); with the drills' metas, their parameters too. */
export function checkPlanDrills(file: string, plan: GameDayPlan, available: ReadonlySet<string>, metas: readonly DrillMeta[]): void {
  const seen = new Set<string>();
  plan.drills.forEach((planned, index) => {
    const field = `${file}: drills[${index}]`;
    if (!available.has(planned.name)) {
      const guess = nearest(planned.name, [...available]);
      throw new PlanDrillError(`${field}.name: unknown drill "${planned.name}"${guess ? ` — did you mean "${guess}"?` : ''} (see npm run drill -- --list)`);
    }
    if (seen.has(planned.name)) throw new PlanDrillError(`${field}.name: drill "${planned.name}" is planned twice; a game day runs each drill once`);
    seen.add(planned.name);
    const meta = metas.find((candidate) => candidate.name === planned.name);
    const problem = meta ? paramProblems(meta, planned.params)[0] : undefined;
    if (problem) throw new PlanDrillError(`${field}.params.${problem.param}: ${problem.problem}. Nothing was contacted.`);
  });
}
