// The stop monitor on an app endpoint served by a real local HTTP server: ready, the first breach once, samples, stop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { KubeConfig } from '@kubernetes/client-node';
import { startStopMonitor, type StopMonitor } from '../../../src/gameday/stop-monitor.ts';
import type { StopConditionBreach } from '../../../src/gameday/plan-types.ts';

describe('stop monitor (app endpoint, local HTTP server)', function () {
  this.timeout(20_000);
  let server: Server;
  let url: string;
  let status = 200;
  let monitor: StopMonitor | undefined;

  before(async () => {
    server = createServer((_request, response) => response.writeHead(status).end('guestbook'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(async () => {
    await monitor?.stop();
    status = 200;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const endpoint = () => ({ kind: 'app-endpoint' as const, name: 'guestbook', url, windowSeconds: 2, intervalMs: 100, minSuccessRatio: 0.9 });

  it('is ready after its first judged window, breaches once when the endpoint fails, and keeps sampling', async () => {
    const breaches: StopConditionBreach[] = [];
    const lines: string[] = [];
    let breached: () => void = () => {};
    const firstBreach = new Promise<void>((resolve) => (breached = resolve));
    const onBreach = (breach: StopConditionBreach) => {
      breaches.push(breach);
      breached();
    };
    monitor = startStopMonitor([endpoint()], new KubeConfig(), { onBreach, log: (line) => lines.push(line) });
    await monitor.ready();
    expect(monitor.samples()[0]).to.include({ condition: 'guestbook', ok: true });
    expect(monitor.breach()).to.equal(undefined);
    status = 503;
    const failedAt = Date.now();
    await firstBreach;
    // 10 % of the 20 requests a 2 s window holds: the third failure breaches.
    expect(Date.now() - failedAt).to.be.below(2_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await monitor.stop();
    await monitor.stop();
    await monitor.ready(); // every condition was evaluated: still ready after stop()
    expect(breaches).to.have.length(1);
    expect(breaches[0]).to.deep.equal(monitor.breach());
    expect(breaches[0]!.condition).to.equal('guestbook');
    expect(breaches[0]!.value).to.match(/^success \d+\.\d % \(\d+\/\d+\) over 2 s, p95 \d+ ms; last failure: HTTP 503$/);
    expect(breaches[0]!.threshold).to.equal('success at least 90.0 % over 2 s (judged from 5 requests on)');
    const samples = monitor.samples();
    expect(samples.find((sample) => !sample.ok)).to.include({ at: breaches[0]!.at, value: breaches[0]!.value });
    expect(samples.at(-1)!.ok, 'the last sample, recorded at stop').to.equal(false);
    expect(lines.some((line) => line.startsWith("stop condition 'guestbook' BREACHED: success"))).to.equal(true);
  });

  it('ready() rejects, naming the condition, when one cannot be evaluated', async () => {
    monitor = startStopMonitor([{ ...endpoint(), url: 'guestbook:80' }], new KubeConfig(), { onBreach: () => {} });
    const error = await monitor.ready().then(
      () => undefined,
      (rejection: Error) => rejection,
    );
    expect(error?.message).to.equal('stop condition \'guestbook\' (app-endpoint) cannot be evaluated: url "guestbook:80" is not an http(s) URL');
  });

  it('ready() rejects at its timeout, naming what each condition still waits for; stop() rejects a pending ready()', async () => {
    monitor = startStopMonitor([{ ...endpoint(), intervalMs: 5_000, windowSeconds: 60 }], new KubeConfig(), { onBreach: () => {} });
    const error = await monitor.ready(300).then(
      () => undefined,
      (rejection: Error) => rejection,
    );
    expect(error?.message).to.match(/^stop condition not evaluated within 0\.3 s: 'guestbook' \([01] of the 5 requests needed to judge have been answered\)$/);
    const pending = monitor.ready();
    await monitor.stop();
    await pending.then(
      () => expect.fail('ready() resolved after stop()'),
      (rejection: Error) => expect(rejection.message).to.equal('the stop monitor was stopped before every stop condition was evaluated'),
    );
  });
});
