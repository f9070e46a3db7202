// How long one restore may take before it counts as failed: the fault's own figure, else a default per kind of undo.
import type { UndoRecord } from './journal.ts';

/**
 * Defaults cover what each restorer waits for itself, plus a margin: starting a service (start 60 s, active 30 s),
 * a static pod coming back after its manifest (60 s), etcd healthy before its snapshot is removed (30 s of checks of up to 20 s), an EC2 instance finishing its stop and then starting
 * (10 min each at worst). A process the kubelet restarts gets its own wait (`withinMs`) plus 30 s.
 */
const DEFAULT_MS: Record<string, number> = {
  'service-start': 120_000,
  'manifest-back': 90_000,
  'etcd-data': 60_000,
  'etcd-snapshot-remove': 90_000,
  uncordon: 60_000,
  scale: 60_000,
  'configmap-delete': 60_000,
  'ec2-start': 21 * 60_000,
};
const FALLBACK_MS = 120_000;

export function restoreTimeoutMs(undo: UndoRecord): number {
  const own = undo.restoreTimeoutMs;
  if (typeof own === 'number' && Number.isFinite(own) && own > 0) return own;
  if (undo.type === 'process-back') return (Number(undo.withinMs) || 0) + 30_000;
  // Parts restored at the same time: the longest of theirs.
  if (undo.type === 'together' && Array.isArray(undo.parts) && undo.parts.length > 0) return Math.max(...(undo.parts as UndoRecord[]).map(restoreTimeoutMs));
  return DEFAULT_MS[undo.type] ?? FALLBACK_MS;
}
