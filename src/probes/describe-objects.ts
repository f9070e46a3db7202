// The default description of a watched set of objects: "2 objects: default/web-1 (Running), default/web-2 (Pending)".
import type { KubernetesObject } from '@kubernetes/client-node';

const SHOWN = 5;

interface WithStatus {
  status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
  metadata?: { deletionTimestamp?: unknown };
}

function state(object: KubernetesObject): string {
  const { status, metadata } = object as WithStatus;
  const parts: string[] = [];
  if (status?.phase) parts.push(status.phase);
  const conditions = (status?.conditions ?? []).filter((condition) => condition.type).map((condition) => `${condition.type}=${condition.status ?? '?'}`);
  if (conditions.length) parts.push(conditions.join(','));
  if (metadata?.deletionTimestamp) parts.push('terminating');
  return parts.length ? ` (${parts.join('/')})` : '';
}

/** Names up to five objects with their phase and conditions; says how many more there are. */
export function describeObjects(objects: readonly KubernetesObject[]): string {
  if (objects.length === 0) return '0 objects';
  const names = objects.slice(0, SHOWN).map((object) => {
    const { namespace, name } = object.metadata ?? {};
    return `${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}${state(object)}`;
  });
  const more = objects.length > SHOWN ? `, … and ${objects.length - SHOWN} more` : '';
  return `${objects.length} object${objects.length === 1 ? '' : 's'}: ${names.join(', ')}${more}`;
}
