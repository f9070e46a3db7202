// A Kubernetes list-watch (an informer's cache) that keeps going through API outages.
import { KubernetesObjectApi, ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { collectionPath, type ResourceType } from '../kube/resources.ts';

export interface WatchQuery {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** After a watch error (API unreachable), the watch is restarted after this delay. */
const RESTART_MS = 250;

export function listWatch<T extends KubernetesObject>(kubeconfig: KubeConfig, query: WatchQuery): ListWatch<T> {
  const api = KubernetesObjectApi.makeApiClient(kubeconfig);
  const list = () =>
    api.list<T>(query.type.apiVersion, query.type.kind, query.namespace, undefined, undefined, undefined, query.fieldSelector, query.labelSelector);
  return new ListWatch<T>(
    collectionPath(query.type, query.namespace),
    new Watch(kubeconfig),
    list,
    false,
    query.labelSelector,
    query.fieldSelector,
  );
}

/**
 * Starts a list-watch and keeps it going: after an error (API unreachable) it starts again after a short delay.
 * onListed runs after each successful (re)list, once the whole list is in the cache.
 */
export function keepWatching<T extends KubernetesObject>(informer: ListWatch<T>, isDone: () => boolean, onListed: () => void, onError: (error: unknown) => void): void {
  let errored = false;
  const begin = () => {
    errored = false;
    informer.start().then(
      () => {
        // Stopped while the list was in flight: the informer started its watch anyway (it checks only before listing).
        if (isDone()) informer.stop().catch(() => {});
        else if (!errored) onListed();
      },
      (error: unknown) => onError(error),
    );
  };
  informer.on('error', (error: unknown) => {
    errored = true;
    onError(error);
    if (!isDone()) setTimeout(() => !isDone() && begin(), RESTART_MS);
  });
  begin();
}
