// Notifications against a real local HTTP receiver: in order, retried with backoff, given up on without throwing, never logging the URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createNotifier, webhookBody, type GameDayMessage } from '../../../src/gameday/notifier.ts';

interface Received {
  at: number;
  body: { text: string; blocks?: unknown[] };
  contentType?: string;
}

/** A webhook receiver on loopback: `answer` decides each request's response, by its number (1-based). */
async function receiver(answer: (count: number, response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let data = '';
    request.on('data', (chunk: Buffer) => (data += chunk.toString()));
    request.on('end', () => {
      received.push({ at: performance.now(), body: JSON.parse(data) as Received['body'], contentType: request.headers['content-type'] });
      answer(received.length, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // The path carries a secret, as a Slack webhook's does.
    url: `http://127.0.0.1:${port}/services/T000/B000/s3cr3tT0k3n`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const ok = (_count: number, response: ServerResponse) => response.end('ok');
const status = (code: number) => (_count: number, response: ServerResponse) => response.writeHead(code).end('no');

const messages: GameDayMessage[] = [
  { event: 'started', plan: 'nightly', report: 'reports/gameday-1/gameday.html' },
  { event: 'drill-end', plan: 'nightly', drill: 'scheduler-down', verdict: 'passed', timings: { 'pending pods scheduled after restore': 4.25 }, report: 'reports/gameday-1/gameday.html' },
  { event: 'drill-end', plan: 'nightly', drill: 'kubelet-stopped', verdict: 'deviated', timings: { 'time to NotReady': 41.04, 'pods evicted': 302 } },
  { event: 'finished', plan: 'nightly', verdict: 'deviated', report: 'https://reports.example.com/gameday-1/' },
];

describe('game-day notifier', function () {
  // Real HTTP on a shared machine: the first fetch loads undici, and the default backoff alone is 3.5 s.
  this.timeout(20_000);
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  let close: (() => Promise<unknown>) | undefined;
  beforeEach(() => (lines.length = 0));
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('delivers the messages in order, as Slack-compatible JSON with the verdict, key timings and the report', async () => {
    // The first answer is slow: the others must still arrive after it.
    const hook = await receiver((count, response) => setTimeout(() => response.end('ok'), count === 1 ? 300 : 0));
    close = hook.close;
    const notifier = createNotifier(hook.url, log);
    const sent = messages.map((message) => notifier.send(message));
    await notifier.flush();
    await Promise.all(sent);
    expect(hook.received.map((request) => request.body.text)).to.deep.equal([
      'Game day "nightly": started — report: reports/gameday-1/gameday.html',
      'Game day "nightly": drill scheduler-down ended — verdict passed — timings: pending pods scheduled after restore 4.3 s — report: reports/gameday-1/gameday.html',
      'Game day "nightly": drill kubelet-stopped ended — verdict deviated — timings: time to NotReady 41 s, pods evicted 302 s',
      'Game day "nightly": finished — verdict deviated — report: https://reports.example.com/gameday-1/',
    ]);
    expect(hook.received[0]?.contentType).to.equal('application/json');
    expect(hook.received[2]?.body.blocks).to.deep.equal([
      { type: 'section', text: { type: 'mrkdwn', text: hook.received[2]?.body.text } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'time to NotReady 41 s' }, { type: 'mrkdwn', text: 'pods evicted 302 s' }] },
    ]);
    expect(lines).to.deep.equal([]);
  });

  it('retries after 5xx answers with growing waits, then delivers', async () => {
    const hook = await receiver((count, response) => (count <= 2 ? status(500)(count, response) : ok(count, response)));
    close = hook.close;
    await createNotifier(hook.url, log, { backoffMs: 100 }).send({ event: 'aborted', plan: 'nightly', reason: 'stop condition "app" breached: success 60 % over 30 s' });
    expect(hook.received).to.have.length(3);
    expect(new Set(hook.received.map((request) => request.body.text)).size).to.equal(1);
    const [first, second, third] = hook.received.map((request) => request.at) as [number, number, number];
    expect(second - first).to.be.at.least(95);
    expect(third - second).to.be.at.least(195);
    expect(lines).to.deep.equal([]);
  });

  it('waits 0.5 s, 1 s and 2 s between its 4 attempts by default, then gives up, logging without the URL and without throwing', async () => {
    const hook = await receiver(status(503));
    close = hook.close;
    await createNotifier(hook.url, log).send(messages[3] as GameDayMessage);
    const times = hook.received.map((request) => request.at);
    expect(times).to.have.length(4);
    const gaps = times.slice(1).map((time, index) => time - (times[index] as number));
    [500, 1000, 2000].forEach((wait, index) => expect(gaps[index]).to.be.within(wait - 5, wait + 1500));
    expect(lines).to.deep.equal(['notification "finished" not delivered after 4 attempts (HTTP 503 "no"); the game day goes on']);
  });

  it('goes on with the next message after giving up on one', async () => {
    const hook = await receiver((count, response) => (count <= 2 ? status(502)(count, response) : ok(count, response)));
    close = hook.close;
    const notifier = createNotifier(hook.url, log, { attempts: 2, backoffMs: 10 });
    void notifier.send(messages[0] as GameDayMessage);
    void notifier.send(messages[1] as GameDayMessage);
    await notifier.flush();
    expect(hook.received.map((request) => request.body.text.slice(0, 40))).to.deep.equal([
      'Game day "nightly": started — report: re',
      'Game day "nightly": started — report: re',
      'Game day "nightly": drill scheduler-down',
    ]);
    expect(lines).to.deep.equal(['notification "started" not delivered after 2 attempts (HTTP 502 "no"); the game day goes on']);
  });

  it('does not retry a request the receiver rejects as such (4xx)', async () => {
    const hook = await receiver((_count, response) => response.writeHead(400).end('invalid_payload'));
    close = hook.close;
    await createNotifier(hook.url, log, { backoffMs: 10 }).send(messages[1] as GameDayMessage);
    expect(hook.received).to.have.length(1);
    expect(lines).to.deep.equal(['notification "drill-end" (scheduler-down) not delivered after 1 attempt (HTTP 400 "invalid_payload"); the game day goes on']);
  });

  it('gives up on a receiver that does not answer within the timeout of each request', async () => {
    const hook = await receiver(() => {}); // never answers
    close = hook.close;
    const started = performance.now();
    await createNotifier(hook.url, log, { attempts: 2, backoffMs: 10, timeoutMs: 200 }).send(messages[0] as GameDayMessage);
    expect(performance.now() - started).to.be.within(400, 5000);
    expect(hook.received).to.have.length(2);
    expect(lines).to.deep.equal(['notification "started" not delivered after 2 attempts (no answer within 0.2 s); the game day goes on']);
  });

  it('logs a receiver that is not listening, never the URL', async () => {
    const hook = await receiver(ok);
    await hook.close();
    await createNotifier(hook.url, log, { attempts: 2, backoffMs: 10 }).send(messages[0] as GameDayMessage);
    expect(lines).to.deep.equal(['notification "started" not delivered after 2 attempts (ECONNREFUSED); the game day goes on']);
    expect(lines.join('\n')).not.to.contain('s3cr3t').and.not.to.contain('127.0.0.1');
  });

  it('sends nothing without a URL, and says once that a URL that is not http(s) cannot be used, without repeating it', async () => {
    const none = createNotifier(undefined, log);
    await none.send(messages[0] as GameDayMessage);
    await none.flush();
    expect(lines).to.deep.equal([]);
    const bad = createNotifier('hooks.slack.com/services/T000/B000/s3cr3tT0k3n', log);
    await bad.send(messages[0] as GameDayMessage);
    await bad.send(messages[3] as GameDayMessage);
    expect(lines).to.deep.equal(['notifications: the webhook URL in the environment is not an http(s) URL; no message will be sent']);
  });

  it('escapes what Slack reads as markup, and masks secrets in reasons', () => {
    const body = webhookBody({ event: 'aborted', plan: 'a<b>&c', reason: 'curl -u admin:hunter22 failed' });
    expect(body.text).to.equal('Game day "a&lt;b&gt;&amp;c": aborted — reason: curl -u admin:*** failed');
    expect(body.blocks).to.have.length(1);
  });
});
