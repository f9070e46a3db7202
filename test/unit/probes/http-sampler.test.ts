// HttpSampler with a request of its own (the API sampler's seam): each answer is a timestamped sample, judged by it.
import { expect } from 'chai';
import { HttpSampler } from '../../../src/probes/http-sampler.ts';

describe('HttpSampler with a request function', () => {
  it('counts what the request judges served, and a request that rejects or hangs past its timeout as failed', async () => {
    const answers = [200, 403, 'reject', 200, 'hang'] as const;
    let call = 0;
    let allAsked = () => {};
    const asked = new Promise<void>((resolve) => (allAsked = resolve));
    const sampler = new HttpSampler(
      (signal) => {
        const answer = answers[call++] ?? 200;
        if (call === answers.length) allAsked();
        if (answer === 'reject') return Promise.reject(new Error('socket hang up'));
        if (answer === 'hang') return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('The operation was aborted'))));
        return Promise.resolve({ status: answer, ok: answer === 200 });
      },
      20,
      100,
    );
    const since = new Date();
    sampler.start();
    await asked;
    const summary = await sampler.stop(since);
    expect(summary.samples).to.equal(call).and.be.at.least(5);
    expect(summary.samples - summary.succeeded).to.equal(3);
    const failed = sampler.samples.filter((sample) => !sample.ok).map((sample) => sample.error ?? sample.status);
    expect(failed).to.have.members([403, 'socket hang up', 'The operation was aborted']);
  });
});
