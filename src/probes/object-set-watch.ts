// The whole set of watched objects, judged after the first full list and again at every change: what the watch-based
// probes (waitForObjects, holdsFor) are built on.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { describeObjects } from './describe-objects.ts';
import { keepWatching, listWatch, type WatchQuery } from './list-watch.ts';
import { callProbeCallback, ProbeCallbackError } from './probe-callback-error.ts';

/** What every watch-based probe is given: what to watch, what it is about, and how to describe what it sees. */
export interface WatchProbeOptions<T extends KubernetesObject> extends WatchQuery {
  kubeconfig: KubeConfig;
  /** What is awaited or must hold, in words: "3 nodes Ready". Used in progress and failure messages. */
  description: string;
  signal?: AbortSignal;
  /** Describes what is seen now, for failure messages and the report; default: the objects' names, phases and conditions. */
  describe?: (objects: T[]) => string;
  /** Called with each new observation (described), with its time. */
  onObservation?: (observation: { at: Date; text: string }) => void;
}

/** The options checked at run time by every watch probe, besides its own condition and deadline. */
export const WATCH_OPTION_RULES = { present: ['kubeconfig', 'type'], optionalFunctions: ['describe', 'onObservation'] };

export interface ObjectSetWatch {
  /** Whether a full list has arrived yet. */
  readonly listed: boolean;
  /** How many times the condition was judged, to the end, on a full list: a verdict needs at least one. */
  readonly evaluations: number;
  /** The last observation, described; says so (with the last error) if nothing was listed yet. */
  readonly last: string;
  /** The last watch or list error, if any (the watch restarts by itself). */
  readonly lastError: unknown;
  stop(): void;
}

export interface ObjectSetHandlers<T> {
  /** The probe's name, for messages: "waitForObjects". */
  probe: string;
  /** Judges the set; a drill callback it calls goes through callProbeCallback, so what it throws names the callback. */
  onChange: (objects: T[], text: string) => void;
  /** A drill callback threw: the watch has stopped, and the probe must fail with this error. */
  onCallbackError: (error: ProbeCallbackError) => void;
}

/**
 * Calls onChange with the whole set (and its description) after each full list and at each change, until stopped.
 * Given a bare onChange function, a callback that throws stops the watch and becomes its lastError.
 */
export function watchObjectSet<T extends KubernetesObject>(
  options: WatchProbeOptions<T>,
  handlersOrOnChange: ObjectSetHandlers<T> | ((objects: T[], text: string) => void),
): ObjectSetWatch {
  const handlers: ObjectSetHandlers<T> =
    typeof handlersOrOnChange === 'function'
      ? { probe: 'watchObjectSet', onChange: handlersOrOnChange, onCallbackError: (error) => (state.lastError = error) }
      : handlersOrOnChange;
  const informer = listWatch<T>(options.kubeconfig, options);
  const describe = options.describe ?? describeObjects;
  const state = { listed: false, evaluations: 0, last: undefined as string | undefined, lastError: undefined as unknown, stopped: false };
  const stop = () => {
    state.stopped = true;
    informer.stop().catch(() => {});
  };
  const call = <A extends unknown[], R>(name: string, fn: (...args: A) => R, ...args: A) => callProbeCallback(handlers.probe, options.description, name, fn, ...args);
  const evaluate = () => {
    if (state.stopped || !state.listed) return; // the initial list arrives object by object: judge it whole
    const objects = [...informer.list()];
    try {
      const text = String(call('describe', describe, objects));
      if (text !== state.last) {
        state.last = text;
        if (options.onObservation) call('onObservation', options.onObservation, { at: new Date(), text });
      }
      handlers.onChange(objects, text);
      state.evaluations += 1;
    } catch (error) {
      stop();
      handlers.onCallbackError(error instanceof ProbeCallbackError ? error : new ProbeCallbackError(handlers.probe, options.description, 'condition', error));
    }
  };
  for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, evaluate);
  keepWatching(
    informer,
    () => state.stopped,
    () => {
      state.listed = true;
      evaluate();
    },
    (error) => (state.lastError = error),
  );
  return {
    get listed() {
      return state.listed;
    },
    get evaluations() {
      return state.evaluations;
    },
    get last() {
      if (state.last !== undefined) return state.last;
      const error = state.lastError instanceof Error ? `; last error: ${state.lastError.message}` : '';
      return state.listed ? 'listed, but the condition was never judged' : `nothing yet (no list has succeeded${error})`;
    },
    get lastError() {
      return state.lastError;
    },
    stop,
  };
}
