import { expect } from 'chai';
import { checkTopology, TopologyError } from '../../../src/engine/topology-check.ts';
import type { ControlPlaneShape } from '../../../src/kube/control-plane-shape.ts';

const single: ControlPlaneShape = { apiServers: ['10.0.0.10'], profileControlPlanes: 1, leaderLeases: [] };
const haByEndpoints: ControlPlaneShape = {
  apiServers: ['10.0.0.10', '10.0.0.11', '10.0.0.12'],
  profileControlPlanes: 1,
  leaderLeases: [{ name: 'kube-scheduler', holder: 'cp-2_abc' }],
};

describe('checkTopology', () => {
  it('lets a drill run on a topology it supports', () => {
    expect(checkTopology('etcd-down', ['single-control-plane'], single)).to.equal('single-control-plane');
    expect(checkTopology('kubelet-stopped', ['single-control-plane', 'ha-control-plane'], haByEndpoints)).to.equal('ha-control-plane');
  });

  it('refuses a single-control-plane drill on HA seen through the API servers, even when the profile lists one host', () => {
    expect(() => checkTopology('scheduler-down', ['single-control-plane'], haByEndpoints))
      .to.throw(TopologyError)
      .with.property('message')
      .that.includes('drill scheduler-down supports single-control-plane only, and this cluster is ha-control-plane')
      .and.includes('3 API server(s) behind default/kubernetes (10.0.0.10, 10.0.0.11, 10.0.0.12)')
      .and.includes('Lease kube-system/kube-scheduler held by cp-2_abc')
      .and.includes('nothing was changed');
  });

  it('counts the profile control-plane hosts too (an API server list hidden behind one address)', () => {
    const shape = { apiServers: ['10.0.0.100'], profileControlPlanes: 3, leaderLeases: [] };
    expect(() => checkTopology('etcd-restore', ['single-control-plane'], shape)).to.throw(/3 control-plane host\(s\) in the profile/);
  });
});

describe('failover drills', () => {
  it('refuse a single control plane (with one instance there is no failover) and run on HA', async function () {
    this.timeout(60_000); // loading the drills module loads the whole public API
    const { failoverMeta } = await import('../../../drills/leader-failover.ts');
    for (const component of ['kube-scheduler', 'kube-controller-manager'] as const) {
      const meta = failoverMeta(component, 'works', 'work goes on');
      expect(meta.topologies).to.deep.equal(['ha-control-plane']);
      expect(() => checkTopology(meta.name, meta.topologies ?? [], single))
        .to.throw(TopologyError)
        .with.property('message')
        .that.includes(`drill ${meta.name} supports ha-control-plane only, and this cluster is single-control-plane`)
        .and.includes('nothing was changed');
      expect(checkTopology(meta.name, meta.topologies ?? [], haByEndpoints)).to.equal('ha-control-plane');
    }
  });
});
