// Drill: etcd is down. The API fails, but what already runs keeps serving; when etcd starts, the API recovers.
import { consistently, drill, stopComponent, waitForApi, type Fault, type HttpSampler } from '../src/index.ts';
import { appSampler, expectAppServed } from './app-availability.ts';
import { seconds } from './app.ts';

/** How long the outage lasts before etcd is started again. */
const OUTAGE_MS = 8_000;
/** The API server notices a dead etcd through its readiness check, within seconds. */
const API_DOWN_WITHIN_S = 30;
const API_UP_WITHIN_S = 60;

drill(
  {
    name: 'etcd-down',
    title: 'etcd down: the API fails, the app keeps serving',
    teaches:
      'etcd holds all cluster state. Without it the API server cannot read or write anything, so the control plane stops; but the data plane does not depend on it: running pods keep serving through the load balancer. When etcd returns, the API recovers by itself.',
    faults: ['the etcd service stopped on the control-plane host'],
    expected: [
      `API requests fail within ${API_DOWN_WITHIN_S} s`,
      `the app keeps serving (at least 99% of requests succeed) during the outage`,
      `once etcd is started, the API answers again within ${API_UP_WITHIN_S} s`,
    ],
    duration: 'about 30 s',
  },
  (d) => {
    let fault: Fault;
    let sampler: HttpSampler | undefined;
    let injectedAt: Date;

    before(async () => {
      fault = stopComponent(d.profile, 'etcd');
      await d.preflight(fault);
      sampler = d.dryRun ? undefined : appSampler(d);
      sampler?.start();
    });

    after(async () => {
      await sampler?.stop();
    });

    it('API requests fail while etcd is down, and the app keeps serving', async () => {
      injectedAt = new Date();
      await d.inject(fault);
      if (d.skipInDryRun('the API fails')) return;
      const down = await waitForApi(d.target.kube, 'down', API_DOWN_WITHIN_S * 1000, d.signal);
      d.observe('api', `API down: ${down.value}`);
      d.expect({ name: 'API fails', bound: `within ${API_DOWN_WITHIN_S} s of etcd stopping`, measured: `failing after ${seconds(down.elapsedMs)}`, ok: down.elapsedMs <= API_DOWN_WITHIN_S * 1000, seconds: down.elapsedMs / 1000, upperSeconds: API_DOWN_WITHIN_S });
      const samples = await consistently(
        async (signal) => {
          const state = await waitForApi(d.target.kube, 'down', 1_000, signal).catch(() => undefined);
          if (!state) throw new Error('the API answered /readyz');
        },
        { description: 'the API keeps failing while etcd is down', durationMs: OUTAGE_MS, intervalMs: 500, signal: d.signal },
      );
      d.expect({ name: 'API keeps failing', bound: `for ${OUTAGE_MS / 1000} s while etcd is down`, measured: `failed at each of ${samples} checks`, ok: samples >= 1 });
      expectAppServed(d, sampler, injectedAt, new Date(), 'etcd is down');
    });

    it('after etcd starts, the API recovers', async () => {
      await d.restore(fault);
      if (d.skipInDryRun('the API recovers')) return;
      const up = await waitForApi(d.target.kube, 'up', API_UP_WITHIN_S * 1000, d.signal);
      d.expect({ name: 'API recovers', bound: `within ${API_UP_WITHIN_S} s of etcd starting`, measured: `answering after ${seconds(up.elapsedMs)}`, ok: up.elapsedMs <= API_UP_WITHIN_S * 1000, seconds: up.elapsedMs / 1000, upperSeconds: API_UP_WITHIN_S });
    });
  },
);
