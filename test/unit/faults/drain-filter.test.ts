// Which pods a drain evicts, skips or refuses: the rules of `kubectl drain`.
import type { V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { describeRefusals, planDrain } from '../../../src/faults/drain-filter.ts';

const pod = (name: string, extra: { owner?: string; controller?: boolean; emptyDir?: string; phase?: string; mirror?: boolean; deleting?: boolean } = {}): V1Pod => ({
  metadata: {
    name,
    namespace: 'shop',
    ...(extra.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: extra.owner, name: `${name}-owner`, uid: 'u', controller: extra.controller ?? true }] } : {}),
    ...(extra.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'abc' } } : {}),
    ...(extra.deleting ? { deletionTimestamp: new Date() } : {}),
  },
  spec: { containers: [{ name: 'c' }], ...(extra.emptyDir ? { volumes: [{ name: extra.emptyDir, emptyDir: {} }] } : {}) },
  status: { phase: extra.phase ?? 'Running' },
});

describe('planDrain', () => {
  it('evicts pods a controller recreates, and skips DaemonSet, mirror and terminating pods', () => {
    const plan = planDrain(
      [pod('web', { owner: 'ReplicaSet' }), pod('agent', { owner: 'DaemonSet' }), pod('kube-proxy-node', { mirror: true }), pod('old', { owner: 'ReplicaSet', deleting: true })],
      { deleteEmptyDirData: false },
    );
    expect(plan.evict.map((p) => p.metadata?.name)).to.deep.equal(['web']);
    expect(plan.refused).to.deep.equal([]);
  });

  it('refuses a bare pod and a pod owned without controller: true, naming them', () => {
    const plan = planDrain([pod('lonely'), pod('adopted', { owner: 'ReplicaSet', controller: false })], { deleteEmptyDirData: false });
    expect(plan.evict).to.deep.equal([]);
    expect(plan.refused.map((r) => r.pod)).to.deep.equal(['shop/lonely', 'shop/adopted']);
    expect(plan.refused[0]?.reason).to.include('no controller would recreate it').and.to.include('--force');
  });

  it('refuses a pod with an emptyDir volume unless deleteEmptyDirData allows it', () => {
    const cache = pod('cache', { owner: 'ReplicaSet', emptyDir: 'scratch' });
    const refused = planDrain([cache], { deleteEmptyDirData: false });
    expect(refused.refused).to.deep.equal([{ pod: 'shop/cache', reason: 'its emptyDir volume(s) scratch would be lost (set drain.deleteEmptyDirData: true in the profile to allow it)' }]);
    expect(planDrain([cache], { deleteEmptyDirData: true }).evict).to.deep.equal([cache]);
  });

  it('evicts finished pods even if bare or with emptyDir, as kubectl does', () => {
    const plan = planDrain([pod('job-done', { phase: 'Succeeded' }), pod('crashed', { phase: 'Failed', emptyDir: 'tmp' })], { deleteEmptyDirData: false });
    expect(plan.evict.map((p) => p.metadata?.name)).to.deep.equal(['job-done', 'crashed']);
  });

  it('describes the refusals with the node and every pod', () => {
    const text = describeRefusals('worker-2', [{ pod: 'shop/a', reason: 'r1' }, { pod: 'shop/b', reason: 'r2' }]);
    expect(text).to.equal('worker-2 runs 2 pod(s) a drain must not evict: shop/a: r1; shop/b: r2. Move or delete them first, or pick another node');
  });
});
