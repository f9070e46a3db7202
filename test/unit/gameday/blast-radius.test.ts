// The blast radius: a drill beyond the node cap, or touching a host the plan does not allow, is refused with the reason.
import { expect } from 'chai';
import { checkBlastRadius } from '../../../src/gameday/blast-radius.ts';

describe('blast radius', () => {
  it('lets a drill within the cap and the allowed hosts through', () => {
    expect(checkBlastRadius({ maxNodesAffected: 1, hosts: ['control-plane', 'worker-1'] }, { drill: 'kubelet-stopped', nodes: ['worker-1'], hosts: ['worker-1'] })).to.equal(undefined);
    // A node counted twice (two faults on one node) is one node; no hosts list allows every host.
    expect(checkBlastRadius({ maxNodesAffected: 1 }, { drill: 'node-drain', nodes: ['worker-2', 'worker-2'], hosts: ['control-plane', 'worker-2'] })).to.equal(undefined);
    // A control-plane drill that makes no node NotReady affects 0 nodes.
    expect(checkBlastRadius({ maxNodesAffected: 1, hosts: ['control-plane'] }, { drill: 'scheduler-down', nodes: [], hosts: ['control-plane'] })).to.equal(undefined);
  });

  it('refuses a drill that would affect more nodes at once than the cap, naming the drill, the count and the cap', () => {
    expect(checkBlastRadius({ maxNodesAffected: 2 }, { drill: 'etcd-quorum-lost', nodes: ['cp-1', 'cp-2', 'cp-3'], hosts: ['cp-1', 'cp-2', 'cp-3'] })).to.equal(
      'drill "etcd-quorum-lost" refused: it would affect 3 nodes at once (cp-1, cp-2, cp-3), more than blastRadius.maxNodesAffected: 2',
    );
  });

  it('refuses a drill that would touch a host the plan does not allow, naming it and the allowed ones', () => {
    expect(checkBlastRadius({ maxNodesAffected: 1, hosts: ['worker-1', 'worker-2'] }, { drill: 'etcd-down', nodes: [], hosts: ['control-plane'] })).to.equal(
      'drill "etcd-down" refused: it would touch host "control-plane", which blastRadius.hosts does not allow (allowed: worker-1, worker-2)',
    );
  });

  it('names both reasons and every host outside the list', () => {
    const reason = checkBlastRadius({ maxNodesAffected: 1, hosts: ['worker-1'] }, { drill: 'scheduler-failover', nodes: ['cp-1', 'cp-2'], hosts: ['cp-1', 'cp-2', 'worker-1'] });
    expect(reason).to.equal(
      'drill "scheduler-failover" refused: it would affect 2 nodes at once (cp-1, cp-2), more than blastRadius.maxNodesAffected: 1; and it would touch hosts "cp-1", "cp-2", which blastRadius.hosts does not allow (allowed: worker-1)',
    );
  });
});
