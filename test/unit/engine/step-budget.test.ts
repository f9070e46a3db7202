// A step's budget: the longest chain of the profile's timings one step can wait through, plus a margin.
import { expect } from 'chai';
import { STEP_MARGIN_S, stepBudgetMs } from '../../../src/engine/step-budget.ts';
import { KUBERNETES_DEFAULT_TIMINGS } from '../../../src/lab/lab-timings.ts';

describe('step budget', () => {
  const timings = { ...KUBERNETES_DEFAULT_TIMINGS, podStartSeconds: 60 };

  it('covers a node losing its heartbeats until its pods are evicted, then their replacements starting', () => {
    // grace 50 + period 5 + lease 40 + toleration 300, then 60 to start the replacements
    expect(stepBudgetMs(timings)).to.equal((50 + 5 + 40 + 300 + 60 + STEP_MARGIN_S) * 1000);
  });

  it('grows with a slower pod start, and with the longer of the two tolerations', () => {
    expect(stepBudgetMs({ ...timings, podStartSeconds: 600 }) - stepBudgetMs(timings)).to.equal(540_000);
    expect(stepBudgetMs({ ...timings, notReadyTolerationSeconds: 900 }) - stepBudgetMs(timings)).to.equal(600_000);
  });

  it('covers a static pod that stops and then backs off longer than any node timing', () => {
    const staticPod = { ...timings, staticPodStopSeconds: 100, staticPodMaxBackoffSeconds: 600 };
    expect(stepBudgetMs(staticPod)).to.equal((100 + 600 + 60 + STEP_MARGIN_S) * 1000);
  });
});
