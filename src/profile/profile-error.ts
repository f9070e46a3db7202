// A cluster profile that cannot be used: each problem names its field path and what is expected. Exit code 2.

/** A YAML file the user wrote (a profile, a game-day plan) that cannot be used, with one line per problem. */
export class InvalidFileError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    what: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid ${what}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export class ProfileError extends InvalidFileError {
  readonly code = 'PROFILE_INVALID';
  constructor(file: string, problems: string[]) {
    super(file, 'cluster profile', problems);
    this.name = 'ProfileError';
  }
}
