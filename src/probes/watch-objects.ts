// Waits, through a Kubernetes watch rather than polling, until a set of objects satisfies a condition.
import { performance } from 'node:perf_hooks';
import { KubernetesObjectApi, ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { collectionPath, type ResourceType } from '../kube/resources.ts';
import { ProbeTimeoutError } from './probe-timeout-error.ts';
import { timedWait } from './wait-clock.ts';

export interface WatchQuery {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** What every watch-based probe is given: what to watch, what it is about, and how to describe what it sees. */
export interface WatchProbeOptions<T extends KubernetesObject> extends WatchQuery {
  kubeconfig: KubeConfig;
  /** What is awaited or must hold, in words: "3 nodes Ready". Used in progress and failure messages. */
  description: string;
  signal?: AbortSignal;
  /** Describes what is seen now, for failure messages and the report. */
  describe: (objects: T[]) => string;
  /** Called with each new observation (described), with its time. */
  onObservation?: (observation: { at: Date; text: string }) => void;
}

export interface WaitForObjectsOptions<T extends KubernetesObject> extends WatchProbeOptions<T> {
  timeoutMs: number;
  until: (objects: T[]) => boolean;
}

export interface WaitResult<T> {
  objects: T[];
  elapsedMs: number;
  /** Wall-clock time when the condition was first seen to hold. */
  at: Date;
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
      () => !errored && !isDone() && onListed(),
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

export function waitForObjects<T extends KubernetesObject>(options: WaitForObjectsOptions<T>): Promise<WaitResult<T>> {
  return timedWait(options.description, options.timeoutMs, () => watchUntil(options));
}

function watchUntil<T extends KubernetesObject>(options: WaitForObjectsOptions<T>): Promise<WaitResult<T>> {
  const started = performance.now();
  const informer = listWatch<T>(options.kubeconfig, options);
  let last = 'nothing yet (no list has succeeded)';
  let lastError: unknown;
  let settled = false;
  let listed = false;
  return new Promise<WaitResult<T>>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      informer.stop().catch(() => {});
      outcome();
    };
    const evaluate = () => {
      if (!listed) return; // the initial list arrives object by object: judge it whole
      const objects = [...informer.list()];
      const text = options.describe(objects);
      if (text !== last) {
        last = text;
        options.onObservation?.({ at: new Date(), text });
      }
      if (options.until(objects)) finish(() => resolve({ objects, elapsedMs: performance.now() - started, at: new Date() }));
    };
    const deadline = setTimeout(
      () => finish(() => reject(new ProbeTimeoutError(options.description, performance.now() - started, last, { cause: lastError }))),
      options.timeoutMs,
    );
    const onAbort = () => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    options.signal?.addEventListener('abort', onAbort);
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, evaluate);
    keepWatching(
      informer,
      () => settled,
      () => {
        listed = true;
        evaluate();
      },
      (error) => (lastError = error),
    );
  });
}
