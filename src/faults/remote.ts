// Remote checks shared by faults: a fault's preflight checks on one host run as one command, and any failure
// becomes a PreflightError that says what was needed.
import { PreflightError } from '../engine/errors.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { CommandResult } from '../transport/transport.ts';
import type { FaultContext } from './fault.ts';
import { shellQuote } from '../transport/shell-quote.ts';
import { checkScript, failedCheck, type HostCheck } from './check-script.ts';

const CHECK_TIMEOUT_MS = 15_000;

/** Runs argv for a check; a transport failure (unreachable, host key, auth) becomes a PreflightError. */
async function probeHost(context: FaultContext, fault: string, host: ProfileHost, argv: string[]): Promise<CommandResult> {
  try {
    return await context.transport.run(host, argv, { signal: context.signal, timeoutMs: CHECK_TIMEOUT_MS });
  } catch (error) {
    throw new PreflightError(fault, host.name, (error as Error).message, { cause: error });
  }
}

/**
 * Requires every check to pass, in order. On a real host they run as one shell script (one round trip, whatever the
 * number of checks); the first that fails is named with its exit code and output. The same command proves the host
 * reachable with a verified key and, for a sudo host, that `sudo -n` works. A dry run lists each check on its own.
 */
export async function requireOnHost(context: FaultContext, fault: string, host: ProfileHost, ...checks: HostCheck[]): Promise<void> {
  if (context.dryRun) {
    for (const check of checks) await probeHost(context, fault, host, check.argv);
    return;
  }
  const result = await probeHost(context, fault, host, ['sh', '-c', checkScript(checks)]);
  if (result.code === 0) return;
  const failed = failedCheck(result.stdout);
  if (!failed) {
    const stderr = result.stderr.trim().slice(0, 300);
    const what = host.sudo ? 'sudo -n must work for this user (passwordless sudo)' : 'the host must run commands';
    throw new PreflightError(fault, host.name, `${what} (exit ${result.code}${stderr ? `: ${stderr}` : ''})`);
  }
  const check = checks[failed.index]!;
  const output = failed.output.trim().slice(0, 300);
  throw new PreflightError(fault, host.name, `${check.what} (\`${shellQuote(check.argv)}\` exited ${failed.code}${output ? `: ${output}` : ''})`);
}

/**
 * The ssh command line a person runs to do it by hand, shell-quoted twice (for the local shell, then the remote one),
 * so a path with spaces or quotes stays one word. Several commands are alternatives: `a || b`.
 */
export function sshCommand(host: ProfileHost, ...commands: string[][]): string {
  const remote = commands.map((argv) => shellQuote(host.sudo ? ['sudo', ...argv] : argv)).join(' || ');
  return shellQuote(['ssh', '-p', String(host.port), `${host.user}@${host.address}`, remote]);
}
