// The error the lab commands raise for problems the user can fix; the CLI prints its message and exits with its code.
export class LabError extends Error {
  constructor(
    message: string,
    /** Process exit code: 2 bad input, 3 the machine lacks something, 4 the lab failed to start. */
    readonly exitCode: 2 | 3 | 4,
  ) {
    super(message);
    this.name = 'LabError';
  }
}
