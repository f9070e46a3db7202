// A watch probe gives no verdict without evidence: with an API that never answers, holdsFor fails saying so.
import { expect } from 'chai';
import { NODES } from '../../../src/kube/resources.ts';
import { holdsFor, NoEvidenceError } from '../../../src/probes/holds-for.ts';
import { ProbeTimeoutError } from '../../../src/probes/probe-timeout-error.ts';
import { waitForObjects } from '../../../src/probes/watch-objects.ts';
import { unreachableApi } from './unreachable-api.ts';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('watch probes need evidence', () => {
  it('holdsFor over a duration in which no list succeeded fails, naming the last error', async () => {
    let judged = 0;
    const error = await rejection(
      holdsFor({
        kubeconfig: unreachableApi(),
        type: NODES,
        description: '3 nodes stay Ready',
        durationMs: 1_500,
        holds: () => {
          judged += 1;
          return true;
        },
      }),
    );
    expect(judged).to.equal(0);
    expect(error).to.be.instanceOf(NoEvidenceError);
    expect(error.message).to.match(/^holdsFor '3 nodes stay Ready': its condition was never evaluated in 2 s, so it cannot be said to hold; last seen: nothing yet \(no list has succeeded; last error: .*ECONNREFUSED/);
  });

  it('waitForObjects times out with what it saw last, including the list error', async () => {
    const error = await rejection(
      waitForObjects({ kubeconfig: unreachableApi(), type: NODES, description: '3 nodes Ready', timeoutMs: 1_000, until: () => true }),
    );
    expect(error).to.be.instanceOf(ProbeTimeoutError);
    expect(error.message).to.match(/waiting for 3 nodes Ready; last seen: nothing yet \(no list has succeeded; last error: .*ECONNREFUSED/);
  });
});
