// Leader election: the Lease holder's host in the profile, and the failover bound from the profile's lease timings.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { failoverBoundSeconds, holderHostname, hostOfHolder, leaseOf } from '../../../src/kube/leader-election.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { validProfile } from '../profile/profile-fixture.ts';

function profile() {
  const raw = validProfile();
  const hosts = raw.hosts as Record<string, unknown>[];
  const more = { role: 'control-plane', user: 'ubuntu', knownHosts: '/home/sre/.ssh/known_hosts' };
  hosts.push({ ...more, name: 'cp-2', address: '10.0.0.11', node: 'ip-10-0-0-11.eu-west-1.compute.internal' }, { ...more, name: 'cp-3', address: '10.0.0.12' });
  const components = raw.components as Record<string, Record<string, unknown>>;
  components['kube-scheduler'] = { ...components['kube-scheduler'], lease: 'kube-system/kube-scheduler' };
  return parseProfile(stringify(raw), 'ha.yaml');
}

describe('leader election', () => {
  it('takes the host part of a holderIdentity (<hostname>_<uuid>)', () => {
    expect(holderHostname('cp-1_2f7c1a4e-9b1d-4a3e-8c5f-0d6e7f8a9b0c')).to.equal('cp-1');
    expect(holderHostname('cp_a_b')).to.equal('cp');
    expect(holderHostname('cp-3')).to.equal('cp-3');
  });

  it('maps a holder to its control-plane host by name, node name or the node name’s first label', () => {
    const p = profile();
    expect(hostOfHolder(p, 'cp-3_0d6e7f8a').name).to.equal('cp-3');
    expect(hostOfHolder(p, 'ip-10-0-0-11.eu-west-1.compute.internal_0d6e7f8a').name).to.equal('cp-2');
    expect(hostOfHolder(p, 'ip-10-0-0-11_0d6e7f8a').name).to.equal('cp-2');
  });

  it('refuses a holder it cannot map, naming the holder and the candidates, and an empty Lease', () => {
    const p = profile();
    expect(() => hostOfHolder(p, 'worker-1_0d6e7f8a')).to.throw(/"worker-1_0d6e7f8a" runs on "worker-1", which is no control-plane host of profile staging .*cp-1\/cp-1, cp-2\/ip-10-0-0-11/);
    expect(() => hostOfHolder(p, 'other_1')).to.throw(/name the host or its node after the machine's hostname/);
    expect(() => hostOfHolder(p, '')).to.throw(/no instance leads right now/);
    expect(() => hostOfHolder(p, undefined)).to.throw(/no instance leads right now/);
  });

  it('reads the Lease from the profile, and says which field is missing', () => {
    const p = profile();
    expect(leaseOf(p, 'kube-scheduler')).to.deep.equal({ namespace: 'kube-system', name: 'kube-scheduler' });
    expect(() => leaseOf(p, 'kube-controller-manager')).to.throw(/components\.kube-controller-manager\.lease is not set/);
  });

  it('bounds the failover by leaseDuration + retryPeriod + 3 retry periods of margin', () => {
    // Kubernetes' defaults (15 s, 2 s) and the lab's (6 s, 1 s).
    expect(failoverBoundSeconds({ leaderElectionLeaseDurationSeconds: 15, leaderElectionRetryPeriodSeconds: 2 })).to.equal(23);
    expect(failoverBoundSeconds({ leaderElectionLeaseDurationSeconds: 6, leaderElectionRetryPeriodSeconds: 1 })).to.equal(10);
    expect(failoverBoundSeconds(profile().timings)).to.equal(23);
  });
});
