// The host heals itself if the runner vanishes: a transient systemd timer, armed before a fault acts, runs the
// fault's idempotent undo on the host after the profile's safety.selfHealAfterSeconds; the restore disarms it.
import { randomUUID } from 'node:crypto';
import { RestoreError } from '../engine/errors.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { HostCheck } from './check-script.ts';
import type { FaultContext } from './fault.ts';
import { sshCommand } from './remote.ts';

export const SELF_HEAL_PREFIX = 'firedrill-heal-';

/** A new, unique timer unit name for one injection; kept in the undo record as `heal` so the restore can disarm it. */
export function newSelfHealUnit(): string {
  return `${SELF_HEAL_PREFIX}${randomUUID().slice(0, 13)}`;
}

/** Preflight: the host must have systemd-run to arm the timer. */
export const SYSTEMD_RUN_CHECK: HostCheck = {
  argv: ['sh', '-c', 'command -v systemd-run'],
  what: 'systemd-run must be installed: the host undoes the fault by itself after safety.selfHealAfterSeconds if the runner vanishes',
};

/** `systemd-run` arming the undo: `sh -c SCRIPT sh ARGS...` runs as root on the host after the profile's deadline. */
export function armCommand(context: Pick<FaultContext, 'profile'>, unit: string, what: string, script: string, args: string[]): string[] {
  return [
    'systemd-run',
    `--unit=${unit}`,
    `--on-active=${context.profile.safety.selfHealAfterSeconds}s`,
    '--timer-property=AccuracySec=1s',
    `--description=kube-firedrill self-heal: ${what}`,
    '--',
    'sh',
    '-c',
    script,
    'sh',
    ...args,
  ];
}

/** Arms the timer (before the fault acts); a failure stops the injection with nothing changed. */
export async function armSelfHeal(context: FaultContext, host: ProfileHost, command: string[]): Promise<void> {
  await context.transport.check(host, command, { signal: context.signal, timeoutMs: 30_000 });
}

/** The timer unit of an undo record (absent in records written before self-heal existed). */
export function selfHealUnit(undo: Record<string, unknown>): string | undefined {
  return typeof undo.heal === 'string' && undo.heal.startsWith(SELF_HEAL_PREFIX) && /^[\w-]+$/.test(undo.heal) ? undo.heal : undefined;
}

/**
 * Disarms the timer after a successful restore; idempotent: a timer that already fired or was never armed is fine
 * (systemctl exit 5: not loaded). Left armed, it would undo a later drill's fault on that host: a failure throws.
 */
export async function disarmSelfHeal(context: FaultContext, host: ProfileHost, undo: Record<string, unknown>): Promise<void> {
  const unit = selfHealUnit(undo);
  if (!unit) return;
  const result = await context.transport.run(host, ['systemctl', 'stop', `${unit}.timer`], { timeoutMs: 30_000 });
  if (context.dryRun || result.code === 0 || result.code === 5) return;
  throw new RestoreError(
    `self-heal timer ${unit}.timer on ${host.name}`,
    sshCommand(host, ['systemctl', 'stop', '--', `${unit}.timer`]),
    `the fault is restored, but its timer could not be disarmed (exit ${result.code}: ${result.stderr.trim().slice(0, 200)}); left armed it would undo a later drill's fault`,
  );
}
