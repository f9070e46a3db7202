// Waits, through a Kubernetes watch rather than polling, until a set of objects satisfies a condition.
import { performance } from 'node:perf_hooks';
import type { KubernetesObject } from '@kubernetes/client-node';
import { callCondition } from './probe-callback-error.ts';
import { checkProbeOptions } from './probe-options.ts';
import { WATCH_OPTION_RULES, watchObjectSet, type WatchProbeOptions } from './object-set-watch.ts';
import { ProbeTimeoutError } from './probe-timeout-error.ts';
import { timedWait } from './wait-clock.ts';

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

const PROBE = 'waitForObjects';

/**
 * Resolves once `until` returned true on a full list or a change (never without that evidence); rejects at the
 * deadline with the last observation, and at once, naming the callback, if a callback throws.
 */
export function waitForObjects<T extends KubernetesObject>(options: WaitForObjectsOptions<T>): Promise<WaitResult<T>> {
  try {
    checkProbeOptions(PROBE, options, { ...WATCH_OPTION_RULES, functions: ['until'], durations: ['timeoutMs'] });
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return timedWait(options.description, options.timeoutMs, () => watchUntil(options));
}

function watchUntil<T extends KubernetesObject>(options: WaitForObjectsOptions<T>): Promise<WaitResult<T>> {
  const started = performance.now();
  return new Promise<WaitResult<T>>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      watch.stop();
      outcome();
    };
    const deadline = setTimeout(
      () => finish(() => reject(new ProbeTimeoutError(options.description, performance.now() - started, watch.last, { cause: watch.lastError }))),
      options.timeoutMs,
    );
    const onAbort = () => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    options.signal?.addEventListener('abort', onAbort);
    const watch = watchObjectSet(options, {
      probe: PROBE,
      onChange: (objects) => {
        if (callCondition(PROBE, options.description, 'until', options.until, objects)) {
          finish(() => resolve({ objects, elapsedMs: performance.now() - started, at: new Date() }));
        }
      },
      onCallbackError: (error) => finish(() => reject(error)),
    });
  });
}
