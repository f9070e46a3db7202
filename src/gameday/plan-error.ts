// A game-day plan that cannot be used: each problem names its field path, the value and what to do. Exit code 2.
import { InvalidFileError } from '../profile/profile-error.ts';

export class PlanError extends InvalidFileError {
  readonly code = 'PLAN_INVALID';
  constructor(file: string, problems: string[]) {
    super(file, 'game-day plan', problems);
    this.name = 'PlanError';
  }
}
