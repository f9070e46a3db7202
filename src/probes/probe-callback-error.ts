// A drill's own probe callback (until, holds, describe, check…) threw: a bug in the drill, reported at once, never retried.

/** A condition callback returned something other than true or false (a missing `return` gives undefined). */
class NotBooleanError extends Error {
  constructor(value: unknown) {
    super(`returned ${value === undefined ? 'undefined' : typeof value} instead of true or false (a missing \`return\`?)`);
    this.name = 'NotBooleanError';
  }
}

export class ProbeCallbackError extends Error {
  readonly code = 'PROBE_CALLBACK_THREW';
  /** Retrying cannot fix a bug in the drill: eventually stops at once. */
  readonly permanent = true;
  constructor(
    readonly probe: string,
    readonly description: string,
    readonly callback: string,
    cause: unknown,
  ) {
    const thrown = cause instanceof Error ? `threw ${cause.name}: ${cause.message}` : `threw the value ${String(cause)}`;
    super(`${probe} '${description}': its \`${callback}\` callback ${cause instanceof NotBooleanError ? cause.message : thrown}`, { cause });
    this.name = 'ProbeCallbackError';
  }
}

/**
 * Errors that mean the code is wrong rather than the cluster slow: a check that throws one is a bug in the drill.
 * fetch's "TypeError: fetch failed" is not one: it carries the network error (ECONNREFUSED…) as its cause.
 */
export function isProgrammingError(error: unknown): boolean {
  if (error instanceof TypeError && (error as { cause?: { code?: unknown } }).cause?.code !== undefined) return false;
  return error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError;
}

/** Runs a drill's callback; whatever it throws becomes a ProbeCallbackError naming the probe and the callback. */
export function callProbeCallback<A extends unknown[], R>(probe: string, description: string, callback: string, fn: (...args: A) => R, ...args: A): R {
  try {
    return fn(...args);
  } catch (error) {
    throw new ProbeCallbackError(probe, description, callback, error);
  }
}

/** Runs a drill's condition (until, holds): it must return a boolean; anything else, or a throw, is a ProbeCallbackError. */
export function callCondition<T>(probe: string, description: string, callback: string, fn: (objects: T) => boolean, objects: T): boolean {
  const result: unknown = callProbeCallback(probe, description, callback, fn, objects);
  if (typeof result !== 'boolean') throw new ProbeCallbackError(probe, description, callback, new NotBooleanError(result));
  return result;
}
