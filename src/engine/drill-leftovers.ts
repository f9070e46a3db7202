// What drills left behind, for the steady-state check: journal entries of this cluster not restored, and the objects a
// drill marked when it changed them (a node it cordoned, a deployment it scaled, a ConfigMap it created).
import type { V1ConfigMap, V1Deployment, V1Node } from '@kubernetes/client-node';
import { CORDONED_BY, CREATED_BY, REPLICAS_BEFORE, SCALED_BY } from '../kube/drill-marks.ts';
import { apiGet } from '../kube/kube-config.ts';
import { shellQuote } from '../transport/shell-quote.ts';
import type { Journal, JournalEntry } from './journal.ts';

export interface Leftovers {
  /** This cluster's journal entries not restored (the local journal and the target's copy). */
  pending: JournalEntry[];
  /** Nodes carrying the drill's cordon mark. */
  nodes: V1Node[];
  /** Deployments carrying the drill's scale mark. */
  deployments: V1Deployment[];
  /** ConfigMaps a drill created. */
  configMaps: V1ConfigMap[];
}

const name = (object: { metadata?: { namespace?: string; name?: string } }) => [object.metadata?.namespace, object.metadata?.name].filter(Boolean).join('/');

/** One line per thing left behind, naming it, the run that left it and, for a marked object, the fix by hand. */
export function describeLeftovers(found: Leftovers): string[] {
  const lines = found.pending.map((entry) => `journal entry "${entry.fault}" (drill ${entry.drill}${entry.runner ? `, run ${entry.runner.runId}` : ''}, recorded ${entry.recordedAt}) not restored`);
  for (const node of found.nodes) {
    // A node the drill's mark names but that is schedulable again was uncordoned: nothing is left.
    if (!node.spec?.unschedulable) continue;
    const nodeName = node.metadata?.name ?? '';
    lines.push(`node ${nodeName} left cordoned by run ${node.metadata?.labels?.[CORDONED_BY]} (${shellQuote(['kubectl', 'uncordon', '--', nodeName])})`);
  }
  for (const deployment of found.deployments) {
    const before = deployment.metadata?.annotations?.[REPLICAS_BEFORE];
    const fix = before ? ` (${shellQuote(['kubectl', '-n', deployment.metadata?.namespace ?? 'default', 'scale', `deployment/${deployment.metadata?.name}`, `--replicas=${before}`])})` : '';
    lines.push(
      `deployment ${name(deployment)} left scaled by run ${deployment.metadata?.labels?.[SCALED_BY]}: ${deployment.spec?.replicas ?? 1} replicas${before ? `, ${before} before the drill` : ''}${fix}`,
    );
  }
  for (const configMap of found.configMaps) {
    const fix = shellQuote(['kubectl', '-n', configMap.metadata?.namespace ?? 'default', 'delete', 'configmap', '--', configMap.metadata?.name ?? '']);
    lines.push(`configmap ${name(configMap)} left by run ${configMap.metadata?.labels?.[CREATED_BY]} (${fix})`);
  }
  return lines;
}

export const LEFTOVERS_HEADING = 'a drill left changes behind:';
export const LEFTOVERS_FIX = 'Run `npm run restore`: it undoes everything the journal lists; undo anything else by hand with the command shown.';

/** The steady-state check found something a drill left behind: it does not heal by waiting. */
export class LeftoversError extends Error {
  readonly code = 'DRILL_LEFTOVERS';
  constructor(readonly leftovers: string[]) {
    super(`${LEFTOVERS_HEADING}\n  ${leftovers.join('\n  ')}\n${LEFTOVERS_FIX}`);
    this.name = 'LeftoversError';
  }
}

async function listMarked<T>(target: { kube: Parameters<typeof apiGet>[0] }, path: string, label: string, signal?: AbortSignal): Promise<T[]> {
  const response = await apiGet(target.kube, `${path}?labelSelector=${encodeURIComponent(label)}`, signal);
  if (response.status !== 200) throw new Error(`listing ${path} with label ${label} answered ${response.status}: ${response.body.slice(0, 200)}`);
  return (JSON.parse(response.body) as { items?: T[] }).items ?? [];
}

/** Reads what drills left behind on the cluster (through the API) and in the journal, if one is given. */
export async function findLeftovers(target: { kube: Parameters<typeof apiGet>[0]; journal?: Journal }, signal?: AbortSignal): Promise<Leftovers> {
  const [pending, nodes, deployments, configMaps] = await Promise.all([
    target.journal ? target.journal.pendingEverywhere().then((view) => view.entries) : Promise.resolve([]),
    listMarked<V1Node>(target, '/api/v1/nodes', CORDONED_BY, signal),
    listMarked<V1Deployment>(target, '/apis/apps/v1/deployments', SCALED_BY, signal),
    listMarked<V1ConfigMap>(target, '/api/v1/configmaps', CREATED_BY, signal),
  ]);
  return { pending, nodes, deployments, configMaps };
}
