// consistently, watch-based: a condition on a set of objects must hold at every change for a whole duration.
import { performance } from 'node:perf_hooks';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ExpectationError } from '../engine/expectation-error.ts';
import { callCondition } from './probe-callback-error.ts';
import { checkProbeOptions } from './probe-options.ts';
import { WATCH_OPTION_RULES, watchObjectSet, type WatchProbeOptions } from './object-set-watch.ts';
import { timedWait } from './wait-clock.ts';

export interface HoldsForOptions<T extends KubernetesObject> extends WatchProbeOptions<T> {
  durationMs: number;
  holds: (objects: T[]) => boolean;
}

const PROBE = 'holdsFor';

/** The condition could not be judged even once during the duration: no verdict either way. */
export class NoEvidenceError extends Error {
  readonly code = 'PROBE_NO_EVIDENCE';
  constructor(description: string, durationMs: number, last: string, options?: { cause?: unknown }) {
    super(`${PROBE} '${description}': its condition was never evaluated in ${(durationMs / 1000).toFixed(0)} s, so it cannot be said to hold; last seen: ${last}`, options);
    this.name = 'NoEvidenceError';
  }
}

/**
 * Resolves with the last observation once the duration has passed with the condition judged at least once and true
 * every time; rejects at the first change that breaks it, if it was never judged, or at once if a callback throws.
 */
export function holdsFor<T extends KubernetesObject>(options: HoldsForOptions<T>): Promise<string> {
  try {
    checkProbeOptions(PROBE, options, { ...WATCH_OPTION_RULES, functions: ['holds'], durations: ['durationMs'] });
  } catch (error) {
    return Promise.reject(error as Error);
  }
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
    // Timers may fire a little early against the monotonic clock: the whole duration is waited, then judged.
    const judgeAtEnd = () => {
      const left = options.durationMs - (performance.now() - started);
      if (left > 0) timer = setTimeout(judgeAtEnd, Math.ceil(left));
      else if (watch.evaluations === 0) finish(() => reject(new NoEvidenceError(options.description, options.durationMs, watch.last, { cause: watch.lastError })));
      else finish(() => resolve(watch.last));
    };
    let timer = setTimeout(judgeAtEnd, options.durationMs);
    const onAbort = () => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    options.signal?.addEventListener('abort', onAbort);
    const watch = watchObjectSet(options, {
      probe: PROBE,
      onChange: (objects, text) => {
        if (callCondition(PROBE, options.description, 'holds', options.holds, objects)) return;
        const after = ((performance.now() - started) / 1000).toFixed(1);
        finish(() => reject(new ExpectationError(options.description, `for ${(options.durationMs / 1000).toFixed(0)} s`, `broken after ${after} s: ${text}`)));
      },
      onCallbackError: (error) => finish(() => reject(error)),
    });
  });
}
