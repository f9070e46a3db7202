// etcdctl endpoint health --cluster output: each member that is not healthy, or missing from the member list, is named.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { etcdHealthProblems, parseEndpointHealth } from '../../../src/probes/etcd-health.ts';
import { validProfile } from '../profile/profile-fixture.ts';

// As etcdctl 3.6 prints it (-w json), one member down.
const HEALTH =
  '[{"endpoint":"https://10.0.0.11:2379","health":true,"took":"18.7ms"},' +
  '{"endpoint":"https://10.0.0.10:2379","health":false,"took":"2.0s","error":"failed to commit proposal: context deadline exceeded"}]';

const members = [
  { name: 'cp-1', host: 'cp-1', peerUrl: 'https://10.0.0.10:2380', clientUrl: 'https://10.0.0.10:2379' },
  { name: 'cp-2', host: 'cp-2', peerUrl: 'https://10.0.0.11:2380', clientUrl: 'https://10.0.0.11:2379' },
  { name: 'cp-3', host: 'cp-3', peerUrl: 'https://10.0.0.12:2380', clientUrl: 'https://10.0.0.12:2379' },
];

function profileWith(listed: typeof members | undefined) {
  const etcdSnapshot = { endpoint: 'https://10.0.0.10:2379', caFile: '/etc/kubernetes/pki/etcd/ca.crt', certFile: '/etc/kubernetes/pki/etcd/peer.crt', keyFile: '/etc/kubernetes/pki/etcd/peer.key', dataDir: '/var/lib/etcd', memberName: 'cp-1', peerUrl: 'https://10.0.0.10:2380', ...(listed ? { members: listed } : {}) };
  return parseProfile(stringify({ ...validProfile(), etcdSnapshot }), 'p.yaml');
}

describe('etcd cluster health', () => {
  it('reads each endpoint’s health and error', () => {
    expect(parseEndpointHealth(HEALTH)).to.deep.equal([
      { endpoint: 'https://10.0.0.11:2379', healthy: true },
      { endpoint: 'https://10.0.0.10:2379', healthy: false, error: 'failed to commit proposal: context deadline exceeded' },
    ]);
  });

  it('names the unhealthy member by its profile name, and a listed member the cluster does not have', () => {
    expect(etcdHealthProblems(parseEndpointHealth(HEALTH), profileWith(members))).to.deep.equal([
      'etcd member cp-1 (https://10.0.0.10:2379) is not healthy: failed to commit proposal: context deadline exceeded',
      "etcd member cp-3 (https://10.0.0.12:2379) is not in the cluster's member list",
    ]);
  });

  it('names a member by its client URL when the profile lists none, and finds nothing wrong when all are healthy', () => {
    expect(etcdHealthProblems(parseEndpointHealth(HEALTH), profileWith(undefined))).to.deep.equal([
      'etcd member https://10.0.0.10:2379 is not healthy: failed to commit proposal: context deadline exceeded',
    ]);
    expect(etcdHealthProblems(parseEndpointHealth(HEALTH.replace('"health":false', '"health":true')), profileWith(members.slice(0, 2)))).to.deep.equal([]);
  });
});
