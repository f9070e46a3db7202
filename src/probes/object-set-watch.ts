// The whole set of watched objects, judged after the first full list and again at every change: what the watch-based
// probes (waitForObjects, holdsFor) are built on.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { keepWatching, listWatch, type WatchQuery } from './list-watch.ts';

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

export interface ObjectSetWatch {
  /** Whether a full list has arrived yet. */
  readonly listed: boolean;
  /** The last observation, described; says so if nothing was listed yet. */
  readonly last: string;
  /** The last watch or list error, if any (the watch restarts by itself). */
  readonly lastError: unknown;
  stop(): void;
}

/** Calls onChange with the whole set (and its description) after each full list and at each change, until stopped. */
export function watchObjectSet<T extends KubernetesObject>(options: WatchProbeOptions<T>, onChange: (objects: T[], text: string) => void): ObjectSetWatch {
  const informer = listWatch<T>(options.kubeconfig, options);
  const state = { listed: false, last: 'nothing yet (no list has succeeded)', lastError: undefined as unknown, stopped: false };
  const evaluate = () => {
    if (state.stopped || !state.listed) return; // the initial list arrives object by object: judge it whole
    const objects = [...informer.list()];
    const text = options.describe(objects);
    if (text !== state.last) {
      state.last = text;
      options.onObservation?.({ at: new Date(), text });
    }
    onChange(objects, text);
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
    get last() {
      return state.last;
    },
    get lastError() {
      return state.lastError;
    },
    stop() {
      state.stopped = true;
      informer.stop().catch(() => {});
    },
  };
}
