// Whether a target looks like production: cluster.production, or a production pattern in the profile name, the
// effective kubeconfig context or the API server URL (what the run will really talk to, not only what the profile says).
import type { ClusterProfile } from '../profile/profile-schema.ts';

export interface EffectiveCluster {
  /** The kubeconfig context in effect: the profile's, or else the kubeconfig's current one. */
  context: string;
  /** The API server URL of that context. */
  server: string;
}

/** Why the target looks like production, or undefined. Patterns are case-insensitive regular expressions. */
export function productionReason(profile: ClusterProfile, effective: EffectiveCluster): string | undefined {
  if (profile.cluster.production) return 'its cluster.production is true';
  const candidates: [string, string][] = [
    ['profile name', profile.name],
    ['kubeconfig context', effective.context],
    ['API server', effective.server],
  ];
  for (const source of profile.cluster.productionPatterns) {
    const pattern = new RegExp(source, 'i');
    const hit = candidates.find(([, value]) => pattern.test(value));
    if (hit) return `its ${hit[0]} "${hit[1]}" matches the production pattern /${source}/i (cluster.productionPatterns)`;
  }
  return undefined;
}
