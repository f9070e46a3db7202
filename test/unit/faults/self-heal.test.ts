// Self-heal timers: the arming command carries the profile's deadline and the undo; disarming is idempotent.
import { expect } from 'chai';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { RestoreError } from '../../../src/engine/errors.ts';
import type { FaultContext } from '../../../src/faults/fault.ts';
import { armCommand, disarmSelfHeal, newSelfHealUnit, selfHealUnit } from '../../../src/faults/self-heal.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import type { ProfileHost } from '../../../src/profile/profile-schema.ts';
import type { CommandResult, Transport } from '../../../src/transport/transport.ts';
import { validProfile } from '../profile/profile-fixture.ts';

/** Records commands and answers each with the given exit code. */
class RecordingTransport implements Transport {
  readonly commands: string[][] = [];
  constructor(private readonly code: number) {}
  async run(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    this.commands.push(argv);
    return { host: host.name, argv, sudo: host.sudo, code: this.code, stdout: '', stderr: this.code ? 'Failed\n' : '', durationMs: 1 };
  }
  async check(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    return this.run(host, argv);
  }
  async close(): Promise<void> {}
}

describe('self-heal timers', () => {
  const profile = parseProfile(stringify({ ...validProfile(), safety: { selfHealAfterSeconds: 600 } }), 'staging.yaml');
  const host = profile.hosts[0] as ProfileHost;
  const context = (transport: Transport): FaultContext => ({
    profile,
    transport,
    kube: new KubeConfig(),
    dryRun: false,
    signal: new AbortController().signal,
    announceApiChange: () => {},
  });

  it('arms a named transient timer after the profile deadline, running the undo as sh -c with its arguments', () => {
    const unit = newSelfHealUnit();
    expect(unit).to.match(/^firedrill-heal-[0-9a-f-]{13}$/);
    expect(armCommand({ profile }, unit, 'start etcd', 'systemctl start "$1"', ['etcd'])).to.deep.equal([
      'systemd-run',
      `--unit=${unit}`,
      '--on-active=600s',
      '--timer-property=AccuracySec=1s',
      '--description=kube-firedrill self-heal: start etcd',
      '--',
      'sh',
      '-c',
      'systemctl start "$1"',
      'sh',
      'etcd',
    ]);
  });

  it('reads the timer from an undo record, and only a well-formed firedrill one', () => {
    expect(selfHealUnit({ heal: 'firedrill-heal-0123abcd-4567' })).to.equal('firedrill-heal-0123abcd-4567');
    expect(selfHealUnit({})).to.equal(undefined);
    expect(selfHealUnit({ heal: 'sshd' })).to.equal(undefined);
    expect(selfHealUnit({ heal: 'firedrill-heal-x; reboot' })).to.equal(undefined);
  });

  it('disarms with systemctl stop, and a timer already gone (exit 5) is fine', async () => {
    const transport = new RecordingTransport(5);
    await disarmSelfHeal(context(transport), host, { type: 'service-start', heal: 'firedrill-heal-0123abcd-4567' });
    expect(transport.commands).to.deep.equal([['systemctl', 'stop', 'firedrill-heal-0123abcd-4567.timer']]);
    const none = new RecordingTransport(0);
    await disarmSelfHeal(context(none), host, { type: 'service-start' });
    expect(none.commands).to.deep.equal([]);
  });

  it('fails the restore with the manual fix when the timer cannot be disarmed', async () => {
    let error: unknown;
    await disarmSelfHeal(context(new RecordingTransport(1)), host, { type: 'service-start', heal: 'firedrill-heal-0123abcd-4567' }).catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(RestoreError);
    expect((error as RestoreError).manualFix).to.include('systemctl stop -- firedrill-heal-0123abcd-4567.timer');
  });
});
