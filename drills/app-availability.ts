// Shared by drills: sample the app's endpoint around a fault and assert it kept serving.
import type { DrillHandle } from '../src/index.ts';
import { HttpSampler } from '../src/index.ts';

/** The share of requests that must succeed while the control plane is down. */
export const MIN_AVAILABILITY = 0.99;

export function appSampler(d: DrillHandle): HttpSampler | undefined {
  const endpoint = d.profile.app?.endpoint;
  return endpoint ? new HttpSampler(endpoint) : undefined;
}

/** Records the app's availability between from and to as an expectation (skipped if the profile has no endpoint). */
export function expectAppServed(d: DrillHandle, sampler: HttpSampler | undefined, from: Date, to: Date, during: string): void {
  if (!sampler) {
    d.observe('app', 'the profile has no app.endpoint: availability not measured');
    return;
  }
  const window = sampler.summary(from, to);
  const percent = (window.ratio * 100).toFixed(1);
  d.expect({
    name: `app serves while ${during}`,
    bound: `at least ${MIN_AVAILABILITY * 100}% of requests succeed`,
    measured: `${percent}% of ${window.samples} requests succeeded (p50 ${window.p50Ms.toFixed(0)} ms, p95 ${window.p95Ms.toFixed(0)} ms)${window.firstFailure ? `; first failure: ${window.firstFailure.error ?? window.firstFailure.status}` : ''}`,
    ok: window.samples > 0 && window.ratio >= MIN_AVAILABILITY,
  });
}
