// Watches Kubernetes Events during a drill and passes on those about nodes and the app, for the report's timeline.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { EVENTS } from '../kube/resources.ts';
import { keepWatching, listWatch } from './list-watch.ts';

export interface RecordedEvent {
  at: Date;
  object: string;
  reason: string;
  message: string;
  type: string;
}

function eventTime(event: CoreV1Event): Date {
  const stamp = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp;
  return stamp ? new Date(stamp) : new Date();
}

/** Starts watching; returns a stop function. Events older than `since` (listed at start) are ignored. */
export function recordEvents(kube: KubeConfig, since: Date, appNamespace: string | undefined, onEvent: (event: RecordedEvent) => void): () => void {
  const informer = listWatch<CoreV1Event>(kube, { type: EVENTS });
  const seen = new Set<string>();
  let stopped = false;
  const consider = (event: CoreV1Event) => {
    const involved = event.involvedObject;
    const relevant = involved.kind === 'Node' || (appNamespace !== undefined && involved.namespace === appNamespace);
    const at = eventTime(event);
    const key = `${event.metadata?.uid}/${event.count ?? 1}`;
    if (!relevant || at < since || seen.has(key)) return;
    seen.add(key);
    const object = `${involved.kind?.toLowerCase()}/${involved.namespace ? `${involved.namespace}/` : ''}${involved.name}`;
    onEvent({ at, object, reason: event.reason ?? '', message: event.message ?? '', type: event.type ?? 'Normal' });
  };
  informer.on('add', consider);
  informer.on('update', consider);
  keepWatching(informer, () => stopped, () => {}, () => {});
  return () => {
    stopped = true;
    informer.stop().catch(() => {});
  };
}
