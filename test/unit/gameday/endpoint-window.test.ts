// The app-endpoint window math on an injected clock: ratio, p95, how many requests it takes to judge, what slides out.
import { expect } from 'chai';
import type { HttpSample } from '../../../src/probes/http-sampler.ts';
import { describeLimits, EndpointWindow, requestsToJudge } from '../../../src/gameday/endpoint-window.ts';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const ok = (atS: number, latencyMs = 10): HttpSample => ({ at: new Date(T0 + atS * 1000), ok: true, status: 200, latencyMs });
const failed = (atS: number, error = 'fetch failed'): HttpSample => ({ at: new Date(T0 + atS * 1000), ok: false, status: null, latencyMs: 1000, error });

describe('endpoint window (stop condition app-endpoint)', () => {
  const limits = { windowSeconds: 10, intervalMs: 1000, minSuccessRatio: 0.9, maxP95Ms: 200 };

  it('needs min(5, window / interval) requests, at least one, before it judges', () => {
    expect(requestsToJudge({ windowSeconds: 30, intervalMs: 1000 })).to.equal(5);
    expect(requestsToJudge({ windowSeconds: 3, intervalMs: 1000 })).to.equal(3);
    expect(requestsToJudge({ windowSeconds: 1, intervalMs: 5000 })).to.equal(1);
  });

  it('one failed first request is not a breach: the window is not judged yet', () => {
    const window = new EndpointWindow(limits);
    window.add(failed(0));
    const judgement = window.judge(T0 + 1000);
    expect(judgement).to.include({ judged: false, ok: false, requests: 1, succeeded: 0 });
    for (let s = 1; s < 4; s++) window.add(ok(s));
    expect(window.judge(T0 + 4000).judged).to.equal(false);
    window.add(ok(4));
    const fifth = window.judge(T0 + 5000);
    expect(fifth).to.include({ judged: true, ok: false, requests: 5, succeeded: 4, ratio: 0.8 });
    expect(fifth.value).to.equal('success 80.0 % (4/5) over 10 s, p95 10 ms; last failure: fetch failed');
  });

  it('computes the ratio over the requests sent in the last windowSeconds only', () => {
    const window = new EndpointWindow(limits);
    for (let s = 0; s < 5; s++) window.add(failed(s));
    for (let s = 5; s < 20; s++) window.add(ok(s));
    // At 20 s the window is [10 s, 20 s]: the failures of 0-4 s have slid out.
    const judgement = window.judge(T0 + 20_000);
    expect(judgement).to.include({ judged: true, ok: true, requests: 10, succeeded: 10, ratio: 1 });
    expect(judgement.value).to.equal('success 100.0 % (10/10) over 10 s, p95 10 ms');
  });

  it('is breached below minSuccessRatio and ok at it', () => {
    const window = new EndpointWindow(limits);
    for (let s = 0; s < 9; s++) window.add(ok(s));
    window.add(failed(9, 'The operation was aborted due to timeout'));
    expect(window.judge(T0 + 9500)).to.include({ ok: true, ratio: 0.9 });
    window.add(failed(9.5));
    const judgement = window.judge(T0 + 9900);
    expect(judgement.ok).to.equal(false);
    expect(judgement.value).to.match(/^success 81\.8 % \(9\/11\) over 10 s, p95 10 ms; last failure: fetch failed$/);
  });

  it('p95 is over the successful requests, and breaches above maxP95Ms', () => {
    const window = new EndpointWindow(limits);
    // 20 requests: 18 at 50 ms, then 150 ms and 900 ms. Index floor(0.95 * 20) = 19 of the sorted latencies: 900 ms.
    for (let i = 0; i < 18; i++) window.add(ok(i * 0.4, 50));
    window.add(ok(7.2, 150));
    window.add(ok(7.6, 900));
    const judgement = window.judge(T0 + 8000);
    expect(judgement.p95Ms).to.equal(900);
    expect(judgement).to.include({ ok: false, ratio: 1 });
    expect(judgement.value).to.equal('success 100.0 % (20/20) over 10 s, p95 900 ms');
  });

  it('p95 of 100 requests is the 96th latency, and within the limit it is ok', () => {
    const window = new EndpointWindow({ ...limits, windowSeconds: 100 });
    for (let i = 0; i < 100; i++) window.add(ok(i * 0.5, i + 1));
    const judgement = window.judge(T0 + 50_000);
    expect(judgement.p95Ms).to.equal(96);
    expect(judgement.ok).to.equal(true);
  });

  it('with no success, p95 is n/a and the answer of the last failure is named', () => {
    const window = new EndpointWindow({ windowSeconds: 10, intervalMs: 1000, maxP95Ms: 100 });
    for (let s = 0; s < 5; s++) window.add({ at: new Date(T0 + s * 1000), ok: false, status: 503, latencyMs: 3 });
    const judgement = window.judge(T0 + 5000);
    expect(judgement.value).to.equal('success 0.0 % (0/5) over 10 s, p95 n/a (no request succeeded); last failure: HTTP 503');
    // Only maxP95Ms is set, and no latency is known: nothing served is a breach all the same.
    expect(judgement.ok).to.equal(false);
  });

  it('describes its limits', () => {
    expect(describeLimits(limits)).to.equal('success at least 90.0 %, p95 at most 200 ms over 10 s (judged from 5 requests on)');
  });
});
