// consistently, watch-based: a condition on a set of objects must hold at every change for a whole duration.
import { performance } from 'node:perf_hooks';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ExpectationError } from '../engine/expectation-error.ts';
import { timedWait } from './wait-clock.ts';
import { keepWatching, listWatch, type WatchProbeOptions } from './watch-objects.ts';

export interface HoldsForOptions<T extends KubernetesObject> extends WatchProbeOptions<T> {
  durationMs: number;
  holds: (objects: T[]) => boolean;
}

/** Resolves with the last observation once the duration has passed; rejects at the first change that breaks it. */
export function holdsFor<T extends KubernetesObject>(options: HoldsForOptions<T>): Promise<string> {
  return timedWait(options.description, options.durationMs, () => watchThroughout(options));
}

function watchThroughout<T extends KubernetesObject>(options: HoldsForOptions<T>): Promise<string> {
  const started = performance.now();
  const informer = listWatch<T>(options.kubeconfig, options);
  let last = 'no list yet';
  let listed = false;
  let settled = false;
  return new Promise<string>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      informer.stop().catch(() => {});
      outcome();
    };
    const evaluate = () => {
      if (settled || !listed) return; // the initial list arrives object by object: judge it whole
      const objects = [...informer.list()];
      const text = options.describe(objects);
      if (text !== last) {
        last = text;
        options.onObservation?.({ at: new Date(), text });
      }
      if (!options.holds(objects)) {
        const after = ((performance.now() - started) / 1000).toFixed(1);
        finish(() => reject(new ExpectationError(options.description, `for ${(options.durationMs / 1000).toFixed(0)} s`, `broken after ${after} s: ${text}`)));
      }
    };
    const timer = setTimeout(() => {
      if (!listed) finish(() => reject(new Error(`could not watch to check that ${options.description}: no list succeeded (${last})`)));
      else finish(() => resolve(last));
    }, options.durationMs);
    options.signal?.addEventListener('abort', () => finish(() => reject(options.signal?.reason)));
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, evaluate);
    keepWatching(
      informer,
      () => settled,
      () => {
        listed = true;
        evaluate();
      },
      () => {},
    );
  });
}
