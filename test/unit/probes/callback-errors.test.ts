// A drill's own callback that throws fails the probe at once and names the callback; network failures still retry.
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { consistently } from '../../../src/probes/consistently.ts';
import { eventually } from '../../../src/probes/eventually.ts';
import { callCondition, isProgrammingError, ProbeCallbackError } from '../../../src/probes/probe-callback-error.ts';
import { ProbeTimeoutError } from '../../../src/probes/probe-timeout-error.ts';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('probe callbacks that throw', () => {
  it('eventually stops at the first TypeError in its check and names it', async () => {
    let attempts = 0;
    const started = performance.now();
    const error = await rejection(
      eventually(
        async () => {
          attempts += 1;
          const pod = undefined as unknown as { status: { phase: string } };
          return pod.status.phase;
        },
        { description: 'the pod Running', timeoutMs: 10_000 },
      ),
    );
    expect(error).to.be.instanceOf(ProbeCallbackError);
    expect(error.message).to.match(/^eventually 'the pod Running': its `check` callback threw TypeError: Cannot read properties of undefined/);
    expect(attempts).to.equal(1);
    expect(performance.now() - started).to.be.below(1_000);
  });

  it('eventually keeps retrying a check whose fetch fails on the network (TypeError: fetch failed)', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    let attempts = 0;
    const error = await rejection(
      eventually(
        async (signal) => {
          attempts += 1;
          await fetch(`http://127.0.0.1:${port}/`, { signal });
        },
        { description: 'a closed port to answer', timeoutMs: 1_000, intervalMs: 50, maxIntervalMs: 100 },
      ),
    );
    expect(error).to.be.instanceOf(ProbeTimeoutError);
    expect(error.message).to.include('fetch failed');
    expect(attempts).to.be.greaterThan(2);
  });

  it('eventually reports what the last complete attempt saw, not an attempt its time limit cut off', async () => {
    let attempts = 0;
    const error = await rejection(
      eventually(
        (signal) => {
          attempts += 1;
          if (attempts === 1) return Promise.reject(new Error('pid 42 runs but /healthz gives no answer'));
          return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
        },
        { description: 'x back', timeoutMs: 1_000, attemptTimeoutMs: 300, intervalMs: 10 },
      ),
    );
    expect(error.message).to.match(/last seen: pid 42 runs but \/healthz gives no answer \(a later attempt was cut off: .*aborted/);
  });

  it('eventually fails at once when its onAttempt callback throws', async () => {
    const error = await rejection(
      eventually(
        async () => {
          throw new Error('not yet');
        },
        {
          description: 'x',
          timeoutMs: 5_000,
          intervalMs: 10,
          onAttempt: () => {
            throw new RangeError('bad log');
          },
        },
      ),
    );
    expect(error.message).to.equal("eventually 'x': its `onAttempt` callback threw RangeError: bad log");
  });

  it('consistently reports a ReferenceError in its check as a broken callback, not a broken condition', async () => {
    const error = await rejection(
      consistently(
        async () => {
          throw new ReferenceError('podz is not defined');
        },
        { description: 'the API keeps failing', durationMs: 5_000 },
      ),
    );
    expect(error).to.be.instanceOf(ProbeCallbackError);
    expect(error.message).to.equal("consistently 'the API keeps failing': its `check` callback threw ReferenceError: podz is not defined");
  });

  it('consistently samples at least once before it passes', async () => {
    let samples = 0;
    const counted = await consistently(
      async () => {
        samples += 1;
      },
      { description: 'x', durationMs: 1, intervalMs: 100 },
    );
    expect(counted).to.equal(1);
    expect(samples).to.equal(1);
  });

  it('a condition must return a boolean: a missing return is named', () => {
    const missingReturn = ((pods: unknown[]) => {
      void pods.length;
    }) as unknown as (pods: unknown[]) => boolean;
    expect(() => callCondition('holdsFor', '2 pods stay Pending', 'holds', missingReturn, [])).to.throw(
      ProbeCallbackError,
      "holdsFor '2 pods stay Pending': its `holds` callback returned undefined instead of true or false (a missing `return`?)",
    );
    expect(callCondition('holdsFor', 'x', 'holds', () => false, [])).to.equal(false);
  });

  it('tells programming errors from network errors', () => {
    expect(isProgrammingError(new TypeError('x is not a function'))).to.equal(true);
    expect(isProgrammingError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }))).to.equal(false);
    expect(isProgrammingError(new Error('ECONNREFUSED'))).to.equal(false);
  });
});
