// Raised when the cluster did not behave as a drill expected: the drill "deviated".
export class ExpectationError extends Error {
  readonly code = 'EXPECTATION_FAILED';
  constructor(
    readonly expectation: string,
    readonly bound: string,
    readonly measured: string,
  ) {
    super(`expected ${expectation}: ${bound}; measured: ${measured}`);
    this.name = 'ExpectationError';
  }
}
