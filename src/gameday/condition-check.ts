// What the stop monitor gives each running stop condition, and what a running condition gives back.
import type { KubeConfig } from '@kubernetes/client-node';

/** One evaluation of a condition: ok, or breached, with the value seen in words. */
export interface Evaluation {
  ok: boolean;
  value: string;
}

export interface CheckContext {
  kube: KubeConfig;
  /** Wall clock, epoch ms. */
  now: () => number;
  log: (line: string) => void;
  /** Reports an evaluation: the monitor records it and, breached, calls onBreach (the first time). */
  evaluated: (evaluation: Evaluation) => void;
  /** The condition cannot be evaluated at all (an unknown kind, a URL that is no URL): ready() rejects with it. */
  failed: (error: Error) => void;
}

export interface RunningCheck {
  /** The condition's limit in words, for the breach: "at most 1 NotReady node". */
  readonly threshold: string;
  /** Why there is no evaluation yet, for ready()'s timeout message: the last watch error, say. */
  pending(): string;
  stop(): Promise<void>;
}
