// Whether a drill stays within a plan's blast radius (minimal stand-in; the plan engineer's full version replaces it).
import type { GameDayPlan } from './plan-types.ts';

/** Why the drill goes beyond the plan's blast radius, or undefined if it does not. */
export function checkBlastRadius(rules: GameDayPlan['blastRadius'], affected: { drill: string; nodes: number; hosts: string[] }): string | undefined {
  if (affected.nodes > rules.maxNodesAffected) return `drill ${affected.drill} affects ${affected.nodes} node(s) at once; the plan allows ${rules.maxNodesAffected} (blastRadius.maxNodesAffected)`;
  const outside = rules.hosts ? affected.hosts.filter((host) => !rules.hosts?.includes(host)) : [];
  if (outside.length > 0) return `drill ${affected.drill} would touch ${outside.join(', ')}, not in blastRadius.hosts (${rules.hosts?.join(', ')})`;
  return undefined;
}
