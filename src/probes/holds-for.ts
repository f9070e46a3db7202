// consistently, watch-based: a condition on a set of objects must hold at every change for a whole duration.
import { performance } from 'node:perf_hooks';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ExpectationError } from '../engine/expectation-error.ts';
import { watchObjectSet, type WatchProbeOptions } from './object-set-watch.ts';
import { timedWait } from './wait-clock.ts';

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
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      watch.stop();
      outcome();
    };
    const timer = setTimeout(() => {
      if (!watch.listed) finish(() => reject(new Error(`could not watch to check that ${options.description}: no list succeeded (${watch.last})`, { cause: watch.lastError })));
      else finish(() => resolve(watch.last));
    }, options.durationMs);
    const onAbort = () => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    options.signal?.addEventListener('abort', onAbort);
    const watch = watchObjectSet(options, (objects, text) => {
      if (options.holds(objects)) return;
      const after = ((performance.now() - started) / 1000).toFixed(1);
      finish(() => reject(new ExpectationError(options.description, `for ${(options.durationMs / 1000).toFixed(0)} s`, `broken after ${after} s: ${text}`)));
    });
  });
}
