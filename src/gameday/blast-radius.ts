// The plan's blast radius: a drill may affect at most so many nodes at once, and touch only the hosts the plan allows.
import type { GameDayPlan } from './plan-types.ts';

/** What a drill would act on, as the runner finds it before the drill runs. */
export interface DrillAffects {
  drill: string;
  /** Kubernetes nodes the drill makes NotReady, drains or stops at once. */
  nodes: string[];
  /** Profile hosts the drill runs commands on or changes. */
  hosts: string[];
}

/** Why the drill is refused, naming it, the count and the cap, or the hosts not allowed; undefined if it is within the rules. */
export function checkBlastRadius(rules: GameDayPlan['blastRadius'], affects: DrillAffects): string | undefined {
  const reasons: string[] = [];
  const nodes = [...new Set(affects.nodes)];
  if (nodes.length > rules.maxNodesAffected) {
    reasons.push(`it would affect ${nodes.length} nodes at once (${nodes.join(', ')}), more than blastRadius.maxNodesAffected: ${rules.maxNodesAffected}`);
  }
  const allowed = rules.hosts;
  const outside = allowed ? [...new Set(affects.hosts)].filter((host) => !allowed.includes(host)) : [];
  if (outside.length > 0) {
    const which = outside.length > 1 ? `hosts ${outside.map((host) => `"${host}"`).join(', ')}, which` : `host "${outside[0]}", which`;
    reasons.push(`it would touch ${which} blastRadius.hosts does not allow (allowed: ${allowed?.join(', ')})`);
  }
  return reasons.length > 0 ? `drill "${affects.drill}" refused: ${reasons.join('; and ')}` : undefined;
}
