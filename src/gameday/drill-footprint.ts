// What a planned drill affects, for the plan's blast radius: how many nodes at once, and which profile hosts.
import type { DrillMeta, DrillParamValue } from '../engine/run-events.ts';
import type { ClusterProfile } from '../profile/profile-schema.ts';

export interface Footprint {
  /** The nodes made unavailable at once (a worker not yet chosen is named as such: it still counts as one). */
  nodes: string[];
  hosts: string[];
}

/**
 * A one-worker drill affects one node: the worker its `node` param names, else any worker (so every worker must be
 * allowed). Any other drill touches the control-plane hosts and makes no node unavailable.
 */
export function drillFootprint(meta: DrillMeta, profile: ClusterProfile, params: Record<string, DrillParamValue>): Footprint {
  if (meta.affects === 'one-worker') {
    const workers = profile.hosts.filter((host) => host.role === 'worker');
    const node = typeof params.node === 'string' && params.node ? params.node : undefined;
    const chosen = node ? workers.filter((host) => (host.node ?? host.name) === node) : workers;
    return { nodes: [node ?? 'one worker, chosen at run time'], hosts: chosen.length > 0 ? chosen.map((host) => host.name) : [node ?? 'a worker'] };
  }
  return { nodes: [], hosts: profile.hosts.filter((host) => host.role === 'control-plane').map((host) => host.name) };
}
