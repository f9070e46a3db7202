// Typed errors of the drill engine, with stable codes; each says what is wrong and what to do about it.

/** Something a fault needs before it may act is missing; nothing was changed. */
export class PreflightError extends Error {
  readonly code = 'PREFLIGHT_FAILED';
  constructor(
    readonly fault: string,
    readonly host: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    const where = host && !fault.includes(host) ? ` on ${host}` : '';
    super(`preflight of ${fault}${where} failed: ${message}\n  Nothing was changed.`, options);
    this.name = 'PreflightError';
  }
}

/** A restore did not succeed: something is still broken, and the message says how to fix it by hand. */
export class RestoreError extends Error {
  readonly code = 'RESTORE_FAILED';
  constructor(
    readonly fault: string,
    readonly manualFix: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`RESTORE FAILED for ${fault}: ${message}\n  still broken: ${fault}\n  fix it by hand: ${manualFix}`, options);
    this.name = 'RestoreError';
  }
}

/** The target looks like production and the run was not allowed to touch production. */
export class SafetyError extends Error {
  readonly code = 'UNSAFE_TARGET';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'SafetyError';
  }
}

/** The drill was stopped (teardown, a signal, a failed step): it injects nothing more. */
export class DrillStoppedError extends Error {
  readonly code = 'DRILL_STOPPED';
  constructor(
    readonly drill: string,
    readonly fault: string,
    reason: string,
  ) {
    super(`drill ${drill} is stopped (${reason}): not injecting ${fault}`);
    this.name = 'DrillStoppedError';
  }
}
