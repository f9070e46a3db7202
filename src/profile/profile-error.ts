// A cluster profile that cannot be used: each problem names its field path and what is expected. Exit code 2.
export class ProfileError extends Error {
  readonly code = 'PROFILE_INVALID';
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid cluster profile:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}
