// Remote checks shared by faults: run a command for a preflight and turn any failure into a PreflightError.
import { PreflightError } from '../engine/errors.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { CommandResult } from '../transport/transport.ts';
import type { FaultContext } from './fault.ts';

/** Runs argv for a check; a transport failure (unreachable, host key, auth) becomes a PreflightError. */
export async function probeHost(context: FaultContext, fault: string, host: ProfileHost, argv: string[]): Promise<CommandResult> {
  try {
    return await context.transport.run(host, argv, { signal: context.signal, timeoutMs: 15_000 });
  } catch (error) {
    throw new PreflightError(fault, host.name, (error as Error).message, { cause: error });
  }
}

/** Requires exit code 0 (skipped in a dry run, where nothing really runs). */
export async function requireOnHost(context: FaultContext, fault: string, host: ProfileHost, argv: string[], what: string): Promise<CommandResult> {
  const result = await probeHost(context, fault, host, argv);
  if (!context.dryRun && result.code !== 0) {
    const stderr = result.stderr.trim().slice(0, 300);
    throw new PreflightError(fault, host.name, `${what} (\`${argv.join(' ')}\` exited ${result.code}${stderr ? `: ${stderr}` : ''})`);
  }
  return result;
}

/** Hosts already checked through a transport (its connection stays open, so the check holds for the run). */
const reachable = new WeakMap<FaultContext['transport'], Set<string>>();

/** The host is reachable over SSH with a verified host key, and sudo works without a password if the profile uses it. */
export async function requireReachable(context: FaultContext, fault: string, host: ProfileHost): Promise<void> {
  const checked = reachable.get(context.transport) ?? new Set<string>();
  reachable.set(context.transport, checked);
  if (checked.has(host.name)) return;
  await requireOnHost(context, fault, host, ['true'], host.sudo ? 'sudo -n must work for this user (passwordless sudo)' : 'the host must run commands');
  checked.add(host.name);
}

export function sshCommand(host: ProfileHost, command: string): string {
  const sudo = host.sudo ? 'sudo ' : '';
  return `ssh -p ${host.port} ${host.user}@${host.address} '${sudo}${command}'`;
}
