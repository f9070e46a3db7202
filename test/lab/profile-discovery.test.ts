// A profile that lists no hosts finds them from the lab's nodes, and they are reachable over SSH; hostile node addresses are refused.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1NodeAddress } from '@kubernetes/client-node';
import { expect } from 'chai';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { withDiscoveredHosts } from '../../src/profile/discover-hosts.ts';
import { ProfileError } from '../../src/profile/profile-error.ts';
import { SshTransport } from '../../src/transport/ssh-transport.ts';
import { useLab } from './lab-fixture.ts';

describe('host discovery from nodes', function () {
  this.timeout(120_000);

  it('finds every lab host with its address and role, and reaches the control plane', async () => {
    const lab = await useLab();
    const first = lab.profile.hosts[0];
    if (!first) throw new Error('lab profile has no hosts');
    const template = { addressType: 'InternalIP' as const, port: first.port, user: first.user, identityFile: first.identityFile, knownHosts: first.knownHosts, sudo: false };
    const profile = await withDiscoveredHosts({ ...lab.profile, hosts: [], discoverHosts: template }, loadKubeConfig(lab.kubeconfig), 'test');
    const summary = (hosts: typeof profile.hosts) => hosts.map((host) => `${host.name} ${host.address} ${host.role}`).sort();
    expect(summary(profile.hosts)).to.deep.equal(summary(lab.profile.hosts));
    const transport = new SshTransport(profile.hosts);
    try {
      const cp = profile.hosts.find((host) => host.role === 'control-plane');
      if (!cp) throw new Error('no control plane discovered');
      expect((await transport.check(cp, ['printenv', 'LAB_HOST'])).stdout.trim()).to.equal(cp.name);
    } finally {
      await transport.close();
    }
  });
});

describe('host discovery from nodes with hostile addresses', function () {
  this.timeout(120_000);

  it('refuses a node address that is not an IP or DNS name, and two nodes at one address, naming the nodes', async () => {
    const lab = await useLab();
    const kube = loadKubeConfig(lab.kubeconfig);
    const core = kube.makeApiClient(CoreV1Api);
    const first = lab.profile.hosts[0];
    if (!first) throw new Error('lab profile has no hosts');
    const addressesOf = async (name: string) => (await core.readNodeStatus({ name })).status?.addresses ?? [];
    const setAddresses = (name: string, addresses: V1NodeAddress[]) =>
      core.patchNodeStatus({ name, body: [{ op: 'replace', path: '/status/addresses', value: addresses }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    // Whoever can write a node's status chooses its addresses: discovery must not hand them to ssh unchecked.
    const originals = new Map<string, V1NodeAddress[]>();
    for (const name of ['control-plane', 'worker-1', 'worker-2']) originals.set(name, await addressesOf(name));
    const external = { 'control-plane': '10.9.9.1', 'worker-1': '10.9.9.2 -oProxyCommand=touch /tmp/pwned', 'worker-2': '10.9.9.1' };
    try {
      for (const [name, address] of Object.entries(external)) await setAddresses(name, [...(originals.get(name) ?? []), { type: 'ExternalIP', address }]);
      const template = { addressType: 'ExternalIP' as const, port: first.port, user: first.user, identityFile: first.identityFile, knownHosts: first.knownHosts, sudo: false };
      const error = await withDiscoveredHosts({ ...lab.profile, hosts: [], discoverHosts: template }, kube, 'discovery.yaml').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(ProfileError);
      expect((error as ProfileError).exitCode).to.equal(2);
      expect((error as ProfileError).problems).to.deep.equal(['discoverHosts (node "worker-1").address: an IP address or DNS name (e.g. 10.0.0.10 or cp-1.example.com)']);
      await setAddresses('worker-1', [...(originals.get('worker-1') ?? []), { type: 'ExternalIP', address: '10.9.9.2' }]);
      const duplicate = await withDiscoveredHosts({ ...lab.profile, hosts: [], discoverHosts: template }, kube, 'discovery.yaml').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((duplicate as ProfileError).problems).to.deep.equal([`discoverHosts (node "worker-2").address: 10.9.9.1 port ${first.port} is already host "control-plane"; each host must be listed once`]);
    } finally {
      for (const [name, addresses] of originals) await setAddresses(name, addresses);
    }
  });
});
