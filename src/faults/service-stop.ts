// Fault: stop a systemd service on a host (etcd, or a node's kubelet); restore starts it and waits until it is active
// and a new main process answers its health endpoint.
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import { eventually } from '../probes/eventually.ts';
import type { ComponentHealth, ProfileHost } from '../profile/profile-schema.ts';
import { oldStillRunning, snapshotFrom, snapshotProcesses, waitUntilBackHealthy, type ProcessSnapshot } from './component-health.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { requireOnHost, sshCommand } from './remote.ts';
import { armCommand, armSelfHeal, disarmSelfHeal, newSelfHealUnit, SYSTEMD_RUN_CHECK } from './self-heal.ts';

export class ServiceStopFault implements Fault {
  readonly name: string;
  readonly description: string;
  /** The unit's main process at preflight, so the restore can tell a new one from it. */
  before: ProcessSnapshot | undefined;
  /** The host's self-heal timer for the current injection (named once, so an undo record taken before or after inject names the armed one). */
  private readonly heal = newSelfHealUnit();

  constructor(
    readonly host: ProfileHost,
    readonly unit: string,
    /** Its health endpoint: restored means a new main process answers it. */
    readonly health?: ComponentHealth,
  ) {
    this.name = `stop ${unit} on ${host.name}`;
    this.description = `systemctl stop ${unit} on ${host.name}; restore: systemctl start ${unit}`;
  }

  async preflight(context: FaultContext): Promise<void> {
    await requireOnHost(
      context,
      this.name,
      this.host,
      {
        argv: ['sh', '-c', 'state=$(systemctl show -p LoadState --value -- "$1"); test "$state" = loaded || { echo "LoadState=$state"; exit 1; }', 'sh', this.unit],
        what: `unit ${this.unit}.service must exist (check the profile's components)`,
      },
      { argv: ['systemctl', 'is-active', '--quiet', '--', this.unit], what: `${this.unit} must be active before the drill stops it` },
      SYSTEMD_RUN_CHECK,
    );
    this.before = await snapshotProcesses(context, this.host, { unit: this.unit });
  }

  undo(): UndoRecord {
    return { type: 'service-start', host: this.host.name, unit: this.unit, before: this.before, health: this.health, heal: this.heal };
  }

  manualFix(): string {
    return sshCommand(this.host, ['systemctl', 'start', '--', this.unit]);
  }

  /** Arms the host's self-heal timer (it starts the unit again if the runner vanishes), then stops the unit. */
  async inject(context: FaultContext): Promise<void> {
    await armSelfHeal(context, this.host, armCommand(context, this.heal, `start ${this.unit}`, 'systemctl start -- "$1"', [this.unit]));
    await context.transport.check(this.host, ['systemctl', 'stop', '--', this.unit], { signal: context.signal });
  }
}

export const restoreService: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const unit = String(undo.unit);
  const before = snapshotFrom(undo.before);
  // `systemctl stop` returns once the process is gone: if it still runs, the stop never happened.
  const neverStopped = await oldStillRunning(context, host, { unit }, before);
  await context.transport.check(host, ['systemctl', 'start', '--', unit], { timeoutMs: 60_000 });
  if (context.dryRun) return disarmSelfHeal(context, host, undo);
  try {
    await eventually(
      async () => {
        const result = await context.transport.run(host, ['systemctl', 'is-active', '--', unit]);
        if (result.code !== 0) throw new Error(`${unit} is ${result.stdout.trim() || 'not active'}`);
      },
      { description: `${unit} on ${host.name} to be active`, timeoutMs: 30_000 },
    );
    // A record journaled before snapshots existed has neither: `is-active` is all it can check.
    const health = undo.health as ComponentHealth | undefined;
    if (before || health) await waitUntilBackHealthy(context, host, { selector: { unit }, before, health, timeoutMs: 30_000, acceptOld: neverStopped });
  } catch (error) {
    throw new RestoreError(`${unit} on ${host.name}`, sshCommand(host, ['systemctl', 'start', '--', unit]), (error as Error).message, { cause: error });
  }
  await disarmSelfHeal(context, host, undo);
};
