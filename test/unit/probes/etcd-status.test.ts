// etcdctl endpoint status output: 64-bit member IDs kept exact, the leader found among the profile's members.
import { expect } from 'chai';
import { leaderOf, parseEndpointStatus, type EtcdMember } from '../../../src/probes/etcd-status.ts';

// As etcdctl 3.6 prints it (one line, trimmed); IDs above 2^53 differ only in their last digits.
const STATUS =
  '[{"Endpoint":"https://10.0.0.10:2379","Status":{"header":{"cluster_id":17237436991929493444,"member_id":9372538179322589801,"revision":42,"raft_term":3},"version":"3.6.16","dbSize":1,"leader":9372538179322589802,"raftIndex":10,"raftTerm":3}},' +
  '{"Endpoint":"https://10.0.0.11:2379","Status":{"header":{"cluster_id":17237436991929493444,"member_id":9372538179322589802,"revision":42,"raft_term":3},"version":"3.6.16","dbSize":1,"leader":9372538179322589802,"raftIndex":10,"raftTerm":3}}]';

const members: EtcdMember[] = [
  { name: 'cp-1', host: 'cp-1', peerUrl: 'https://10.0.0.10:2380', clientUrl: 'https://10.0.0.10:2379' },
  { name: 'cp-2', host: 'cp-2', peerUrl: 'https://10.0.0.11:2380', clientUrl: 'https://10.0.0.11:2379' },
  { name: 'cp-3', host: 'cp-3', peerUrl: 'https://10.0.0.12:2380', clientUrl: 'https://10.0.0.12:2379' },
];

describe('etcd endpoint status', () => {
  it('keeps member IDs exact (JSON numbers would round them together)', () => {
    const statuses = parseEndpointStatus(STATUS);
    expect(statuses.map((status) => status.memberId)).to.deep.equal(['9372538179322589801', '9372538179322589802']);
    expect(statuses[0]?.leaderId).to.equal('9372538179322589802');
  });

  it('finds the leading member by its client URL, and none when nobody leads', () => {
    expect(leaderOf(parseEndpointStatus(STATUS), members)?.name).to.equal('cp-2');
    const noLeader = STATUS.replace(/"leader":\d+/g, '"leader":0');
    expect(leaderOf(parseEndpointStatus(noLeader), members)).to.equal(undefined);
  });
});
