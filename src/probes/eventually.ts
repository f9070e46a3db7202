// eventually: retry a check (p-retry, growing intervals, monotonic deadline) until it passes; fail fast on errors that cannot heal.
import { performance } from 'node:perf_hooks';
import pRetry, { AbortError } from 'p-retry';
import { isProgrammingError, ProbeCallbackError } from './probe-callback-error.ts';
import { checkProbeOptions, ProbeOptionError } from './probe-options.ts';
import { ProbeTimeoutError } from './probe-timeout-error.ts';
import { timedWait } from './wait-clock.ts';

export interface EventuallyOptions {
  /** What is awaited, in words: "the API server to answer /readyz". */
  description: string;
  timeoutMs: number;
  /** First interval between attempts; it grows by half each attempt up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Longest a single attempt may take; its signal is aborted then. */
  attemptTimeoutMs?: number;
  signal?: AbortSignal;
  onAttempt?: (attempt: { at: Date; attempt: number; error: string }) => void;
}

export interface EventuallyResult<T> {
  value: T;
  elapsedMs: number;
  attempts: number;
}

/** Errors that retrying cannot fix: a programming error, or the server refusing who we are. */
export function isPermanent(error: unknown): boolean {
  if (isProgrammingError(error)) return true;
  const code = (error as { code?: unknown; statusCode?: unknown }).code ?? (error as { statusCode?: unknown }).statusCode;
  return code === 401 || code === 403 || (error as { permanent?: boolean }).permanent === true;
}

const PROBE = 'eventually';

/**
 * Resolves with the check's value once an attempt passes; rejects at the deadline with the last failure, and at once
 * if the check has a bug (TypeError, ReferenceError: it names the callback) or the error cannot heal (401/403).
 */
export function eventually<T>(check: (signal: AbortSignal) => Promise<T>, options: EventuallyOptions): Promise<EventuallyResult<T>> {
  try {
    if (typeof check !== 'function') throw new ProbeOptionError(PROBE, options?.description, `its first argument, the check, must be a function (got ${String(check)})`);
    checkProbeOptions(PROBE, options, { durations: ['timeoutMs'], optionalDurations: ['intervalMs', 'maxIntervalMs', 'attemptTimeoutMs'], optionalFunctions: ['onAttempt'] });
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return timedWait(options.description, options.timeoutMs, () => retryUntil(check, options));
}

async function retryUntil<T>(check: (signal: AbortSignal) => Promise<T>, options: EventuallyOptions): Promise<EventuallyResult<T>> {
  const started = performance.now();
  let attempts = 0;
  let lastError = 'no attempt finished';
  let lastSeen: string | undefined;
  let lastCut: string | undefined;
  const attemptTimeout = options.attemptTimeoutMs ?? Math.min(options.timeoutMs, 5_000);
  try {
    const value = await pRetry(
      async () => {
        attempts += 1;
        const remaining = options.timeoutMs - (performance.now() - started);
        if (remaining <= 0) throw new AbortError(new ProbeTimeoutError(options.description, performance.now() - started, lastError));
        const signals = [AbortSignal.timeout(Math.max(1, Math.ceil(Math.min(attemptTimeout, remaining))))];
        if (options.signal) signals.push(options.signal);
        try {
          return await check(AbortSignal.any(signals));
        } catch (error) {
          if (options.signal?.aborted) throw new AbortError(options.signal.reason as Error);
          if (isProgrammingError(error)) throw new AbortError(new ProbeCallbackError(PROBE, options.description, 'check', error));
          if (isPermanent(error)) throw new AbortError(error as Error);
          throw error;
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: options.intervalMs ?? 200,
        maxTimeout: options.maxIntervalMs ?? 2_000,
        factor: 1.5,
        maxRetryTime: options.timeoutMs,
        signal: options.signal,
        onFailedAttempt: ({ error, attemptNumber }) => {
          // An attempt cut off by its time limit saw nothing: keep what the last complete attempt saw.
          const cutOff = error.name === 'TimeoutError' || error.name === 'AbortError' || /operation was aborted/.test(error.message);
          if (cutOff) lastCut = error.message;
          else [lastSeen, lastCut] = [error.message, undefined];
          lastError = lastSeen === undefined ? error.message : lastCut ? `${lastSeen} (a later attempt was cut off: ${lastCut})` : lastSeen;
          try {
            options.onAttempt?.({ at: new Date(), attempt: attemptNumber, error: error.message });
          } catch (thrown) {
            throw new ProbeCallbackError(PROBE, options.description, 'onAttempt', thrown);
          }
        },
      },
    );
    return { value, elapsedMs: performance.now() - started, attempts };
  } catch (error) {
    if (error instanceof ProbeTimeoutError || options.signal?.aborted || isPermanent(error)) throw error;
    throw new ProbeTimeoutError(options.description, performance.now() - started, lastError, { cause: error });
  }
}
