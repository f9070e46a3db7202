// A profile's hosts must be nodes of the cluster the kubeconfig reaches: by address, or by an explicit node name.
import { expect } from 'chai';
import { hostNodeProblems, resolveHostAddresses } from '../../../src/engine/host-nodes.ts';
import type { ProfileHost } from '../../../src/profile/profile-schema.ts';

const host = (name: string, address: string, node?: string): ProfileHost => ({
  name,
  role: 'worker',
  address,
  port: 22,
  user: 'ubuntu',
  knownHosts: '/k',
  sudo: false,
  ...(node ? { node } : {}),
});

const nodes = [
  { name: 'ip-10-0-0-10', addresses: ['10.0.0.10', 'ip-10-0-0-10.ec2.internal', '54.1.2.3'] },
  { name: 'ip-10-0-1-11', addresses: ['10.0.1.11'] },
];

describe('hosts are nodes of the cluster', () => {
  it('accepts hosts whose address is any of a node\'s addresses', () => {
    expect(hostNodeProblems([host('cp-1', '10.0.0.10'), host('w-1', '10.0.1.11'), host('cp-pub', '54.1.2.3'), host('cp-dns', 'ip-10-0-0-10.ec2.internal')], nodes)).to.deep.equal([]);
  });

  it('accepts a host whose node: names a node, whatever address it is reached by', () => {
    expect(hostNodeProblems([host('cp-1', 'bastion-tunnel.example.com', 'ip-10-0-0-10')], nodes)).to.deep.equal([]);
  });

  it('refuses a host of another cluster, naming it and how to fix it', () => {
    expect(hostNodeProblems([host('cp-1', '10.0.0.10'), host('staging-w', '10.9.9.9')], nodes)).to.deep.equal([
      'hosts[1] "staging-w" (10.9.9.9): no node of this cluster has the address 10.9.9.9; if the host is reached by another address, set hosts[1].node to its node\'s name',
    ]);
  });

  it('does not take the host name for a node name (a same-named node of another cluster proves nothing)', () => {
    expect(hostNodeProblems([host('ip-10-0-1-11', '10.9.9.9')], nodes)).to.have.length(1);
  });

  it('refuses a node: that is not a node of the cluster, and one that contradicts the address', () => {
    expect(hostNodeProblems([host('cp-1', '10.0.0.10', 'cp-1')], nodes)).to.deep.equal(['hosts[0] "cp-1" (10.0.0.10): its node "cp-1" is not a node of this cluster']);
    expect(hostNodeProblems([host('w-1', '10.0.1.11', 'ip-10-0-0-10')], nodes)).to.deep.equal([
      'hosts[0] "w-1" (10.0.1.11): its node is "ip-10-0-0-10", but its address belongs to node "ip-10-0-1-11"',
    ]);
  });

  it('matches a host name that resolves to a node address', async () => {
    const resolved = await resolveHostAddresses([host('local', 'localhost'), host('ip', '10.0.0.10')]);
    expect([...resolved.keys()]).to.deep.equal(['localhost']);
    expect(resolved.get('localhost')).to.include('127.0.0.1');
    expect(hostNodeProblems([host('local', 'localhost')], [{ name: 'n', addresses: ['127.0.0.1'] }], resolved)).to.deep.equal([]);
  });
});
