// Fault: stop a systemd service on a host (etcd, or a node's kubelet); restore starts it and waits until it is active.
import { RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import { eventually } from '../probes/eventually.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { hostByName } from './hosts.ts';
import { requireOnHost, sshCommand } from './remote.ts';

export class ServiceStopFault implements Fault {
  readonly name: string;
  readonly description: string;

  constructor(
    readonly host: ProfileHost,
    readonly unit: string,
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
    );
  }

  undo(): UndoRecord {
    return { type: 'service-start', host: this.host.name, unit: this.unit };
  }

  manualFix(): string {
    return sshCommand(this.host, ['systemctl', 'start', '--', this.unit]);
  }

  async inject(context: FaultContext): Promise<void> {
    await context.transport.check(this.host, ['systemctl', 'stop', '--', this.unit], { signal: context.signal });
  }
}

export const restoreService: Restorer = async (undo, context) => {
  const host = hostByName(context.profile, String(undo.host));
  const unit = String(undo.unit);
  await context.transport.check(host, ['systemctl', 'start', '--', unit], { timeoutMs: 60_000 });
  if (context.dryRun) return;
  try {
    await eventually(
      async () => {
        const result = await context.transport.run(host, ['systemctl', 'is-active', '--', unit]);
        if (result.code !== 0) throw new Error(`${unit} is ${result.stdout.trim() || 'not active'}`);
      },
      { description: `${unit} on ${host.name} to be active`, timeoutMs: 30_000 },
    );
  } catch (error) {
    throw new RestoreError(`${unit} on ${host.name}`, sshCommand(host, ['systemctl', 'start', '--', unit]), (error as Error).message, { cause: error });
  }
};
