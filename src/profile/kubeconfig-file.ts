// The profile's kubeconfig must be a kubeconfig, with the context the profile names (or a current one) and its cluster.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ClusterProfile } from './profile-schema.ts';

interface Named {
  name?: unknown;
  context?: { cluster?: unknown };
}

const names = (list: unknown): Named[] => (Array.isArray(list) ? (list.filter((item) => item && typeof item === 'object') as Named[]) : []);

/** Problems with the kubeconfig's content, by field; call only once the file is known to be readable. */
export function kubeconfigProblems(profile: ClusterProfile): string[] {
  const file = profile.cluster.kubeconfig;
  let config: Record<string, unknown>;
  try {
    const parsed: unknown = parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [`cluster.kubeconfig: ${file} is not a kubeconfig (no clusters, users or contexts)`];
    config = parsed as Record<string, unknown>;
  } catch (error) {
    return [`cluster.kubeconfig: ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`];
  }
  const contexts = names(config.contexts);
  const wanted = profile.cluster.context ?? (typeof config['current-context'] === 'string' ? config['current-context'] : undefined);
  const field = profile.cluster.context ? 'cluster.context' : 'cluster.kubeconfig';
  if (!wanted) return [`cluster.kubeconfig: ${file} has no current-context; set cluster.context to one of: ${contexts.map((c) => String(c.name)).join(', ') || '(none)'}`];
  const context = contexts.find((candidate) => candidate.name === wanted);
  if (!context) return [`${field}: no context "${wanted}" in ${file} (it has: ${contexts.map((c) => String(c.name)).join(', ') || 'none'})`];
  const cluster = context.context?.cluster;
  if (!names(config.clusters).some((candidate) => candidate.name === cluster)) return [`${field}: context "${wanted}" names cluster "${String(cluster)}", which ${file} does not define`];
  return [];
}
