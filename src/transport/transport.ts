// The seam between faults and hosts: run an argument vector on a profile host and get its exit code and output.
import type { ProfileHost } from '../profile/profile-schema.ts';

export interface CommandOptions {
  /** Per-command deadline; the command is abandoned (and its channel closed) when it passes. Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Written to the command's standard input, which is then closed (default: nothing). */
  stdin?: string;
}

export interface CommandResult {
  host: string;
  argv: string[];
  /** Whether it ran through `sudo -n` (the host's profile says sudo: true). */
  sudo: boolean;
  /** Exit code; a command killed by a signal reports 128 + signal number, as a shell does. */
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface Transport {
  /** Runs argv on the host; resolves whatever the exit code (check `code`). Rejects only if it could not run it. */
  run(host: ProfileHost, argv: string[], options?: CommandOptions): Promise<CommandResult>;
  /** Like run, but rejects with SshCommandError when the exit code is not 0. */
  check(host: ProfileHost, argv: string[], options?: CommandOptions): Promise<CommandResult>;
  /** Closes every connection. Safe to call twice. */
  close(): Promise<void>;
}
