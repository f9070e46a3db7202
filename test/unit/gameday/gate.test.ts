// The gate's reason names everything the steady-state check found, on one line.
import { expect } from 'chai';
import { LeftoversError } from '../../../src/engine/drill-leftovers.ts';
import { SteadyStateError } from '../../../src/engine/steady-state.ts';
import { steadyStateReason } from '../../../src/gameday/gate.ts';

describe('game-day gate reason', () => {
  it('keeps a leftovers error whole: heading, each leftover, what to do', () => {
    const text = steadyStateReason(new LeftoversError(['configmap default/a left by run r1 (kubectl delete configmap a)', 'node worker-1 cordoned by run r2']));
    expect(text).to.match(/^a drill left changes behind: configmap default\/a left by run r1 \(kubectl delete configmap a\); node worker-1 cordoned by run r2; Run `npm run restore`/);
  });

  it('lists each part of a steady state that does not hold once, without repeating the heading', () => {
    const text = steadyStateReason(new SteadyStateError([new Error('every node Ready: 3/4 nodes Ready'), new Error('guestbook available: 2/3 available')]));
    expect(text).to.equal('every node Ready: 3/4 nodes Ready; guestbook available: 2/3 available');
  });

  it('leaves a one-line error as it is', () => {
    expect(steadyStateReason(new Error('/readyz answered 500'))).to.equal('/readyz answered 500');
  });
});
