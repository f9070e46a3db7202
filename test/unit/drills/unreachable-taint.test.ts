// When the unreachable taint was written again: kubelet-stopped widens its eviction bound by that much.
import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { expect } from 'chai';
import { evictionBound, evictionWaitSeconds, rewrittenAfterS, taintAddedAt } from '../../../drills/unreachable-taint.ts';
import { KUBERNETES_DEFAULT_TIMINGS } from '../../../src/lab/lab-timings.ts';
import { LAB_TIMINGS } from '../../../src/lab/components.ts';

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

  it('bounds the eviction from the first taint, up to the toleration after the one written again', () => {
    expect(evictionBound(10, 0, 3)).to.include({ lowerSeconds: 9, upperSeconds: 13 });
    expect(evictionBound(10, 0, 3).text).to.equal('between 9 s and 13 s after the unreachable taint (tolerationSeconds 10 from the taint; taints have 1 s resolution)');
    const again = evictionBound(10, 11, 3);
    expect(again).to.include({ lowerSeconds: 9, upperSeconds: 24 });
    expect(again.text).to.contain('or from the taint written again 11 s later');
    expect(evictionBound(300, 60, 3)).to.include({ lowerSeconds: 299, upperSeconds: 363 });
  });

  it('waits for the eviction longer than any bound a taint written again by a starting controller-manager gives', () => {
    for (const timings of [{ ...LAB_TIMINGS }, { ...KUBERNETES_DEFAULT_TIMINGS }]) {
      const latestRewrite = timings.leaderElectionLeaseDurationSeconds + timings.nodeMonitorGracePeriodSeconds + timings.nodeMonitorPeriodSeconds;
      expect(evictionWaitSeconds(timings, 3)).to.be.greaterThan(evictionBound(timings.unreachableTolerationSeconds, latestRewrite, 3).upperSeconds);
    }
  });
});
