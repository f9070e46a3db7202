// The plan in plain lines, for a dry run: window, lock, gate, blast radius, stop conditions, notifications, drills.
import type { DrillMeta } from '../engine/run-events.ts';
import type { ClusterProfile } from '../profile/profile-schema.ts';
import { drillFootprint } from './drill-footprint.ts';
import type { GameDayPlan, StopCondition } from './plan-types.ts';
import type { WindowState } from './time-window.ts';

function describeCondition(condition: StopCondition): string {
  if (condition.kind === 'not-ready-nodes') return `more than ${condition.max} NotReady node(s)`;
  if (condition.kind === 'kubernetes-condition') {
    const { object } = condition;
    return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}: ${condition.conditionType} not ${condition.status} for more than ${condition.graceSeconds} s`;
  }
  const bounds = [condition.minSuccessRatio !== undefined ? `success below ${condition.minSuccessRatio * 100} %` : '', condition.maxP95Ms !== undefined ? `p95 above ${condition.maxP95Ms} ms` : ''].filter(Boolean);
  return `${condition.url}: ${bounds.join(' or ')} over ${condition.windowSeconds} s (a request every ${condition.intervalMs} ms)`;
}

export function planSummary(plan: GameDayPlan, metas: ReadonlyMap<string, DrillMeta>, profile: ClusterProfile, window: WindowState | undefined): string[] {
  const lines = [`game day "${plan.name}" on profile ${profile.name} (${plan.profile})`];
  if (!plan.window) lines.push('window: none (may run at any time)');
  else {
    const { timeZone, weekdays, hours, blackoutDates } = plan.window;
    const now = window?.open ? `open now, closes at ${window.closesAt.toISOString()}` : `closed now: ${window?.reason ?? ''}`;
    lines.push(`window: ${weekdays.join(',')} ${hours.from}-${hours.to} ${timeZone}${blackoutDates.length > 0 ? `, except ${blackoutDates.join(', ')}` : ''} (${now})`);
  }
  lines.push('lock: the cluster lock is taken before the first drill and checked before each one (its state is printed below)');
  lines.push(`gate before each drill: steady state, no restore pending in the journal, the lock still held; if it fails: ${plan.onGateFailure === 'stop' ? 'the game day stops' : 'the drill is skipped'}`);
  lines.push(`blast radius: at most ${plan.blastRadius.maxNodesAffected} node(s) affected at once; hosts: ${plan.blastRadius.hosts?.join(', ') ?? 'any'}`);
  if (plan.stopConditions.length === 0) lines.push('stop conditions: none');
  else lines.push('stop conditions (checked during every drill; a breach aborts the game day):', ...plan.stopConditions.map((condition) => `  - ${condition.name}: ${describeCondition(condition)}`));
  const webhook = plan.notifications?.webhookUrlEnv;
  lines.push(`notifications: ${webhook ? `webhook from $${webhook} (${process.env[webhook] ? 'set' : 'NOT set: none would be sent'})` : 'none'}`);
  lines.push('drills:');
  plan.drills.forEach((planned, index) => {
    const meta = metas.get(planned.name);
    const params = Object.entries(planned.params).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
    const footprint = meta ? drillFootprint(meta, profile, planned.params) : undefined;
    lines.push(`  ${index + 1}. ${planned.name}${params.length > 0 ? ` (${params.join(', ')})` : ''}${meta ? `: ${meta.title}` : ''}`);
    if (footprint) lines.push(`     makes unavailable: ${footprint.nodes.join(', ') || 'no node'}; touches ${footprint.hosts.join(', ') || 'no host'}`);
  });
  lines.push('each drill’s commands per host and API changes follow, as the drill runner’s dry run prints them:');
  return lines;
}
