// When the unreachable taint was written again: kubelet-stopped widens its eviction bound by that much.
import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { expect } from 'chai';
import { rewrittenAfterS, taintAddedAt } from '../../../drills/unreachable-taint.ts';

const node = (...taints: V1Taint[]): V1Node => ({ metadata: { name: 'worker-1' }, spec: { taints } });
const unreachable = (at: string): V1Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: new Date(at) });

describe('unreachable taint', () => {
  it('reads when the NoExecute unreachable taint was added, and nothing for another taint', () => {
    expect(taintAddedAt(node(unreachable('2026-12-03T10:00:05Z')))).to.equal(Date.parse('2026-12-03T10:00:05Z'));
    expect(taintAddedAt(node({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: new Date() }))).to.equal(undefined);
    expect(taintAddedAt(undefined)).to.equal(undefined);
  });

  it('says how long after the first the taint was written again', () => {
    const first = node(unreachable('2026-12-03T10:00:05Z'));
    expect(rewrittenAfterS(first, node(unreachable('2026-12-03T10:00:16Z')))).to.equal(11);
    expect(rewrittenAfterS(first, first)).to.equal(0);
  });

  it('takes a second apart, a taint gone, or an older time for the same write', () => {
    const first = node(unreachable('2026-12-03T10:00:05Z'));
    expect(rewrittenAfterS(first, node(unreachable('2026-12-03T10:00:06Z')))).to.equal(0);
    expect(rewrittenAfterS(first, node())).to.equal(0);
    expect(rewrittenAfterS(node(), node(unreachable('2026-12-03T10:00:16Z')))).to.equal(0);
    expect(rewrittenAfterS(first, node(unreachable('2026-12-03T10:00:01Z')))).to.equal(0);
  });
});
