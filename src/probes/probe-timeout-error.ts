// The error every wait raises at its deadline: what it waited for, for how long, and what it saw last.
export class ProbeTimeoutError extends Error {
  readonly code = 'PROBE_TIMEOUT';
  constructor(
    readonly waitedFor: string,
    readonly waitedMs: number,
    readonly lastObservation: string,
    options?: { cause?: unknown },
  ) {
    super(`timed out after ${(waitedMs / 1000).toFixed(1)} s waiting for ${waitedFor}; last seen: ${lastObservation}`, options);
    this.name = 'ProbeTimeoutError';
  }
}
