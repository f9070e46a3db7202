// Maps each kind of undo record to the code that restores it (used by drills and by the crash restore).
import type { UndoRecord } from '../engine/journal.ts';
import type { FaultContext, Restorer } from './fault.ts';
import { restoreConfigMap } from './configmap-change.ts';
import { restoreEc2Start } from './ec2-instance-stop.ts';
import { restoreEtcdData, restoreEtcdSnapshotRemove } from './etcd-snapshot.ts';
import { restoreManifest } from './manifest-move.ts';
import { restoreUncordon } from './node-drain.ts';
import { restoreProcess } from './process-kill.ts';
import { restoreScale } from './scale-deployment.ts';
import { restoreService } from './service-stop.ts';
import { restoreTogether } from './together.ts';

const RESTORERS: Record<string, Restorer> = {
  'service-start': restoreService,
  'process-back': restoreProcess,
  'manifest-back': restoreManifest,
  uncordon: restoreUncordon,
  scale: restoreScale,
  'etcd-data': restoreEtcdData,
  'etcd-snapshot-remove': restoreEtcdSnapshotRemove,
  'configmap-delete': restoreConfigMap,
  'ec2-start': restoreEc2Start,
};

export async function restoreUndo(undo: UndoRecord, context: FaultContext): Promise<void> {
  if (undo.type === 'together') return restoreTogether(undo, context, restoreUndo);
  const restorer = RESTORERS[undo.type];
  if (!restorer) throw new Error(`no restorer for undo type "${undo.type}" (journal written by a newer kube-firedrill?)`);
  await restorer(undo, context);
}
