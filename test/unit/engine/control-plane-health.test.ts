// The HA part of the steady state: nothing is asked on one control plane; on several, each host is asked over SSH.
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { apiServersOf, waitForControlPlaneHealth } from '../../../src/engine/control-plane-health.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import type { ProfileHost } from '../../../src/profile/profile-schema.ts';
import type { CommandOptions, CommandResult, Transport } from '../../../src/transport/transport.ts';
import { validProfile } from '../profile/profile-fixture.ts';

/** Records what would be run; no host is reachable here. */
class RecordingTransport implements Transport {
  readonly ran: string[] = [];
  async run(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    this.ran.push(`${host.name}: ${argv[0]}`);
    throw new Error(`${host.name} is not reachable from a unit test`);
  }
  async check(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    return this.run(host, argv);
  }
  async close(): Promise<void> {}
}

const cp = (name: string, address: string) => ({ name, role: 'control-plane', address, user: 'ubuntu', knownHosts: '/home/sre/.ssh/known_hosts' });

/** The error the check rejects with (it must reject). */
const failure = (promise: Promise<void>) =>
  promise.then(
    () => expect.fail('expected the check to reject'),
    (error: Error) => error,
  );

describe('control-plane health in the steady state', () => {
  const single = parseProfile(stringify(validProfile()), 'p.yaml');
  // The kubeadm preset's components (the fixture's own have no health endpoints).
  const base = validProfile();
  delete base.components;
  const ha = parseProfile(stringify({ ...base, hosts: [...(base.hosts as object[]), cp('cp-2', '10.0.0.11'), cp('cp-3', '10.0.0.12')] }), 'p.yaml');

  it('asks nothing on one control plane', async () => {
    const transport = new RecordingTransport();
    await waitForControlPlaneHealth({ kube: new KubeConfig(), profile: single, transport }, 1_000);
    expect(transport.ran).to.deep.equal([]);
  });

  it('finds each control-plane host’s API server and its own /readyz (the kubeadm preset’s, asked on the host)', () => {
    expect(apiServersOf(ha).map((server) => [server.host.name, server.health?.url])).to.deep.equal([
      ['cp-1', 'https://127.0.0.1:6443/readyz'],
      ['cp-2', 'https://127.0.0.1:6443/readyz'],
      ['cp-3', 'https://127.0.0.1:6443/readyz'],
    ]);
  });

  it('on HA, asks every control-plane host and, past the deadline, names each one it could not check', async () => {
    const transport = new RecordingTransport();
    const error = await failure(waitForControlPlaneHealth({ kube: new KubeConfig(), profile: ha, transport }, 600));
    expect(error.message).to.include('every API server ready on its own host (cp-1, cp-2, cp-3)');
    for (const host of ['cp-1', 'cp-2', 'cp-3']) expect(error.message).to.include(`kube-apiserver on ${host}: not checked (${host} is not reachable from a unit test)`);
    expect(transport.ran.slice(0, 3).sort()).to.deep.equal(['cp-1: sh', 'cp-2: sh', 'cp-3: sh']);
  });

  it('on HA, an attempt cut off at the deadline names no host: the message keeps what the last complete attempt found', async () => {
    // First attempt: cp-3 fails, the others answer nothing useful either; every later one hangs until it is cut off.
    let round = 0;
    const transport = new RecordingTransport();
    transport.run = async (host: ProfileHost, argv: string[], options?: CommandOptions): Promise<CommandResult> => {
      transport.ran.push(`${host.name}: ${argv[0]}`);
      if (transport.ran.length <= 3) throw new Error(`${host.name} is not reachable from a unit test`);
      round += 1;
      return new Promise((_, reject) => options?.signal?.addEventListener('abort', () => reject(new Error('This operation was aborted')), { once: true }));
    };
    const error = await failure(waitForControlPlaneHealth({ kube: new KubeConfig(), profile: ha, transport }, 600));
    expect(round, 'a later attempt was under way at the deadline').to.be.greaterThan(0);
    for (const host of ['cp-1', 'cp-2', 'cp-3']) expect(error.message).to.include(`kube-apiserver on ${host}: not checked (${host} is not reachable from a unit test)`);
    expect(error.message).to.include('a later attempt was cut off');
    expect(error.message).to.not.match(/not checked \(This operation was aborted/);
  });

  it('on HA without a transport, says the check needs SSH', async () => {
    const error = await failure(waitForControlPlaneHealth({ kube: new KubeConfig(), profile: ha }, 1_000));
    expect(error).to.be.instanceOf(TypeError);
    expect(error.message).to.include('asks each control-plane host over SSH');
  });
});
