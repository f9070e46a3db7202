// The etcd member drills' bounds follow the profile's timings: etcd's election timeout, the static-pod stop time and
// the API load balancer's checks.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { etcdElectionBoundSeconds, memberDownBounds, quorumLostBounds } from '../../../src/kube/etcd-bounds.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { validProfile } from '../profile/profile-fixture.ts';

const timings = (more: Record<string, number> = {}) => parseProfile(stringify({ ...validProfile(), timings: more }), 'p.yaml').timings;

describe('etcd drill bounds', () => {
  it('defaults to etcd’s and kubeadm’s own timings: election timeout 1000 ms, heartbeat 100 ms, HAProxy inter 2 s × fall 3 / rise 2', () => {
    expect(timings()).to.include({ etcdElectionTimeoutMs: 1000, etcdHeartbeatIntervalMs: 100, apiLoadBalancerOutSeconds: 6, apiLoadBalancerInSeconds: 4 });
    // 4 election timeouts (two randomized rounds of up to 2× each) + 1 s.
    expect(etcdElectionBoundSeconds(timings())).to.equal(5);
    expect(etcdElectionBoundSeconds(timings({ etcdElectionTimeoutMs: 2500 }))).to.equal(11);
  });

  it('etcd-member-down: the stop time, then an election; writes back once the balancer took the API server out', () => {
    // The HA lab: static pods stop within 2 s, HAProxy takes a server out after 2 s.
    const lab = timings({ staticPodStopSeconds: 2, apiLoadBalancerOutSeconds: 2 });
    expect(memberDownBounds(lab, 2)).to.deep.equal({ electionWithin: 7, writesBackWithin: 12, writeWindow: 17, rejoinWithin: 10 });
    // etcd as a service: stopped once systemctl returns; kubeadm's balancer defaults.
    expect(memberDownBounds(timings(), 0)).to.deep.equal({ electionWithin: 5, writesBackWithin: 14, writeWindow: 19, rejoinWithin: 10 });
  });

  it('etcd-quorum-lost: writes fail within the stop time and an election timeout, and come back after each member’s restore', () => {
    const lab = timings({ apiLoadBalancerInSeconds: 2 });
    expect(quorumLostBounds(lab, 2, 2)).to.deep.equal({ writesFailWithin: 5, writeWindow: 12, apiBackWithin: 23 });
    expect(quorumLostBounds(timings({ etcdElectionTimeoutMs: 5000 }), 0, 2).apiBackWithin).to.equal(10 + 21 + 2 + 4);
  });
});
