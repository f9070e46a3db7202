// A profile that lists no hosts finds them from the lab's nodes, and they are reachable over SSH.
import { expect } from 'chai';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { withDiscoveredHosts } from '../../src/profile/discover-hosts.ts';
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
