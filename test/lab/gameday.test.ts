// Game days end to end on the lab: a plan that passes, a stop condition that aborts, the lock against a second game
// day, the time window (refused, and ending mid-run), SIGTERM mid-plan, and notifications to a local receiver.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { Journal } from '../../src/engine/journal.ts';
import type { GameDayRecord } from '../../src/gameday/plan-types.ts';
import { CREATED_BY } from '../../src/kube/drill-marks.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { labPaths } from '../../src/lab/lab-paths.ts';
import { eventually } from '../../src/probes/eventually.ts';
import { reportsDir, startCli } from './drill-cli.ts';
import { runCli } from './lab-cli.ts';
import { useLab, type Lab } from './lab-fixture.ts';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const gameday = (args: string[], env: Record<string, string> = {}) => runCli('src/cli/gameday.ts', args, { FIREDRILL_REPORTS_DIR: reportsDir, ...env }, 900_000);
const record = (runId: string) => JSON.parse(readFileSync(join(reportsDir, runId, 'gameday.json'), 'utf8')) as GameDayRecord;
const results = (day: GameDayRecord) => day.drills.map((drill) => `${drill.name}:${drill.result}`);

interface Received {
  event: string;
  verdict?: string;
  drill?: string;
  report?: string;
}

/** What a reader of the Slack-compatible text line gets: `Game day "p": drill d ended — verdict v — … — report: r`. */
function fromSlackText(text: string): Received {
  const what = /^Game day "[^"]*": (started|aborted|finished|drill (\S+) ended)/.exec(text);
  const verdict = / — verdict (\S+)/.exec(text)?.[1];
  const report = / — report: (.*)$/.exec(text)?.[1];
  return {
    event: what?.[2] ? 'drill-end' : (what?.[1] ?? `unreadable: ${text}`),
    ...(what?.[2] ? { drill: what[2] } : {}),
    ...(verdict ? { verdict } : {}),
    ...(report ? { report } : {}),
  };
}

/** A local webhook receiver answering every POST with `status`. */
async function receiver(status: number): Promise<{ url: string; messages: Received[]; server: Server }> {
  const messages: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      messages.push(fromSlackText((JSON.parse(body) as { text: string }).text));
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/hook`, messages, server };
}

describe('game days on the lab', function () {
  this.timeout(900_000);
  let lab: Lab;
  let profile: string;

  before(async () => {
    lab = await useLab();
    profile = labPaths(lab.labDir).profile;
  });

  const writePlan = (plan: Record<string, unknown>) => {
    const file = join(tmp('kfd-plan-'), 'plan.yaml');
    writeFileSync(file, stringify({ name: 'lab-gameday', profile, blastRadius: { maxNodesAffected: 1 }, onGateFailure: 'stop', ...plan }));
    return file;
  };
  const pending = () => Journal.forProfile(lab.profile.name).pending();
  const lockFile = () => lab.profile.cluster.lockFile;

  it('runs a plan of four drills end to end (exit 0), notifying started, each drill end and finished, in order', async () => {
    const hook = await receiver(200);
    try {
      const runId = `gameday-pass-${Date.now()}`;
      const plan = writePlan({
        // Neither etcd-down nor apiserver-killed here: with the lab's short timings their API outage outlasts the
        // node-monitor grace, and nodes read Unknown for a moment after (seen: 2 of 4), which a not-ready-nodes condition
        // rightly calls a breach.
        drills: [{ name: 'scheduler-down' }, { name: 'controller-manager-down' }, { name: 'node-drain', params: { node: 'worker-2' } }, { name: 'kubelet-stopped' }],
        // kubelet-stopped makes one node NotReady on purpose.
        stopConditions: [{ kind: 'not-ready-nodes', name: 'nodes', max: 1 }],
        notifications: { webhookUrlEnv: 'KFD_TEST_WEBHOOK' },
      });
      const result = await gameday([plan], { FIREDRILL_RUN_ID: runId, KFD_TEST_WEBHOOK: hook.url });
      expect(result.code, result.stderr).to.equal(0);
      const day = record(runId);
      expect(day.verdict).to.equal('passed');
      expect(results(day)).to.deep.equal(['scheduler-down:passed', 'controller-manager-down:passed', 'node-drain:passed', 'kubelet-stopped:passed']);
      for (const drill of day.drills) expect(existsSync(join(reportsDir, runId, drill.reportPath ?? 'none')), drill.name).to.equal(true);
      expect(day.samples.filter((sample) => sample.condition === 'nodes').length).to.be.greaterThan(3);
      expect(hook.messages.map((message) => `${message.event}:${message.drill ?? ''}:${message.verdict ?? ''}`)).to.deep.equal([
        'started::',
        'drill-end:scheduler-down:passed',
        'drill-end:controller-manager-down:passed',
        'drill-end:node-drain:passed',
        'drill-end:kubelet-stopped:passed',
        'finished::passed',
      ]);
      expect(hook.messages.at(-1)?.report).to.equal(join(reportsDir, runId, 'gameday.html'));
      expect(pending()).to.deep.equal([]);
    } finally {
      hook.server.close();
    }
  });

  it('a stop condition breached mid-drill aborts it, restores at once, skips the rest (exit 6); a failing receiver does not fail it', async () => {
    const hook = await receiver(500);
    try {
      const runId = `gameday-abort-${Date.now()}`;
      // A condition that cannot hold (guestbook's Available is True or False, never Unknown): breached once its grace runs out, during the drill.
      const plan = writePlan({
        drills: [{ name: 'scheduler-down' }, { name: 'node-drain' }],
        blastRadius: { maxNodesAffected: 1 },
        stopConditions: [{ kind: 'kubernetes-condition', name: 'guestbook-unavailable', object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'guestbook' }, conditionType: 'Available', status: 'Unknown', graceSeconds: 6 }],
        notifications: { webhookUrlEnv: 'KFD_TEST_WEBHOOK' },
      });
      const result = await gameday([plan], { FIREDRILL_RUN_ID: runId, KFD_TEST_WEBHOOK: hook.url });
      expect(result.code, result.stderr).to.equal(6);
      expect(result.stderr).to.match(/stop condition "guestbook-unavailable" breached at \S+: Available=(True|False) .*\(threshold: Available=Unknown, or off for less than 6 s\)/);
      expect(result.stderr).to.match(/notification "\w+" not delivered after 4 attempts \(HTTP 500\S*\); the game day goes on/);
      const day = record(runId);
      expect(day.verdict).to.equal('aborted');
      expect(day.breach?.condition).to.equal('guestbook-unavailable');
      expect(results(day)).to.deep.equal(['scheduler-down:aborted', 'node-drain:not-run']);
      expect(day.drills[1]?.reason).to.include('stop condition "guestbook-unavailable" breached');
      expect(day.samples.some((sample) => !sample.ok)).to.equal(true);
      const drillReport = JSON.parse(readFileSync(join(reportsDir, runId, 'drills', 'scheduler-down', 'report.json'), 'utf8')) as { drills: { restored: boolean }[] };
      expect(drillReport.drills[0]?.restored).to.equal(true);
      expect(pending()).to.deep.equal([]);
      expect(hook.messages.map((message) => message.event)).to.include.members(['started', 'aborted', 'finished']);
    } finally {
      hook.server.close();
    }
  });

  it('refuses a second game day from another HOME (exit 5, naming the holder); SIGTERM mid-plan restores and writes a partial report (exit 143)', async () => {
    const runId = `gameday-term-${Date.now()}`;
    const plan = writePlan({ drills: [{ name: 'scheduler-down' }, { name: 'node-drain' }] });
    const first = startCli('src/cli/gameday.ts', [plan], { FIREDRILL_RUN_ID: runId });
    try {
      await eventually(async () => expect(existsSync(lockFile()), first.output()).to.equal(true), { description: 'the first game day holds the lock', timeoutMs: 180_000 });
      const second = await gameday([plan], { HOME: tmp('kfd-home-'), FIREDRILL_JOURNAL_DIR: tmp('kfd-journal-'), FIREDRILL_RUN_ID: `${runId}-second` });
      expect(second.code, second.stderr).to.equal(5);
      expect(second.stderr).to.match(new RegExp(`another runner is drilling cluster .*\\(pid ${first.child.pid}\\), run ${runId}`));
      expect(record(`${runId}-second`).verdict).to.equal('refused');
      await eventually(async () => expect(first.output()).to.match(/scheduler stops|fault-injected|manifest/), { description: 'the first drill under way', timeoutMs: 120_000 });
    } finally {
      first.child.kill('SIGTERM');
    }
    const result = await first.done;
    expect(result.code, first.output()).to.equal(143);
    const day = record(runId);
    expect(day).to.include({ verdict: 'interrupted', partial: true });
    expect(results(day)).to.deep.equal(['scheduler-down:aborted', 'node-drain:not-run']);
    expect(existsSync(lockFile()), 'lock released').to.equal(false);
    expect(pending()).to.deep.equal([]);
  });

  it('a failing gate skips each drill naming what it found (skip-drill), or stops the game day at the first (stop); exit 5, nothing injected', async () => {
    // What an earlier run left behind, marked as drills mark what they create: the gate finds it before each drill.
    const core = loadKubeConfig(lab.kubeconfig).makeApiClient(CoreV1Api);
    const name = `gate-leftover-${Date.now()}`;
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name, labels: { [CREATED_BY]: 'an-earlier-run' } } } });
    try {
      const drills = [{ name: 'scheduler-down' }, { name: 'node-drain' }];
      for (const [onGateFailure, expected] of [
        ['skip-drill', ['scheduler-down:skipped', 'node-drain:skipped']],
        ['stop', ['scheduler-down:skipped', 'node-drain:not-run']],
      ] as const) {
        const runId = `gameday-gate-${onGateFailure}-${Date.now()}`;
        const result = await gameday([writePlan({ drills, onGateFailure })], { FIREDRILL_RUN_ID: runId });
        expect(result.code, result.stderr).to.equal(5);
        expect(result.stderr).to.include(`gate before scheduler-down: the steady state does not hold`).and.include(`configmap default/${name} left by run an-earlier-run`);
        const day = record(runId);
        expect(day.verdict, onGateFailure).to.equal('refused');
        expect(results(day), onGateFailure).to.deep.equal(expected);
        expect(day.drills[0]?.reason).to.include(`configmap default/${name}`);
        const journal = Journal.forProfile(lab.profile.name).file;
        expect(existsSync(journal) ? readFileSync(journal, 'utf8') : '', 'nothing journaled, so nothing injected').not.to.include(runId);
        expect(pending()).to.deep.equal([]);
      }
    } finally {
      await core.deleteNamespacedConfigMap({ name, namespace: 'default' });
    }
  });

  it('--dry-run prints the whole plan, each command per host and each API change, and touches nothing (exit 0)', async () => {
    const scheduler = lab.profile.components['kube-scheduler'];
    if (scheduler.kind !== 'static-pod') throw new Error('the lab runs the scheduler as a static pod');
    const plan = writePlan({ drills: [{ name: 'scheduler-down' }, { name: 'node-drain', params: { node: 'worker-2' } }], stopConditions: [{ kind: 'not-ready-nodes', name: 'nodes', max: 1 }] });
    const result = await gameday(['--dry-run', plan]);
    expect(result.code, result.stderr).to.equal(0);
    for (const line of [
      'game day "lab-gameday"',
      'window: none',
      'lock: ',
      'gate before each drill',
      'blast radius: at most 1 node(s)',
      'nodes: more than 1 NotReady node(s)',
      '1. scheduler-down',
      'makes unavailable: no node; touches control-plane',
      '2. node-drain (node="worker-2")',
      'makes unavailable: worker-2; touches worker-2',
    ])
      expect(result.stdout).to.include(line);
    expect(result.stderr).to.include('dry run: the cluster lock is free');
    expect(result.stderr).to.include(`[dry run] control-plane: sudo -n -- mv -n -- ${scheduler.manifest}`);
    expect(result.stderr).to.match(/\[dry run\] API: scale deployment\/default\/guestbook/);
    expect(result.stderr).to.include('[dry run] API: cordon node/worker-2').and.include('[dry run] API: uncordon node/worker-2');
    expect(existsSync(scheduler.manifest), 'the manifest stays').to.equal(true);
    expect(existsSync(lockFile()), 'no lock taken').to.equal(false);
    expect(pending()).to.deep.equal([]);
  });

  it('refuses a plan outside its window (exit 7) without contacting the cluster', async () => {
    const todayName = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(new Date());
    const today = todayName.slice(0, 3).toLowerCase();
    const others = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].filter((day) => day !== today);
    const plan = writePlan({ drills: [{ name: 'scheduler-down' }], window: { timeZone: 'UTC', weekdays: others, hours: { from: '00:00', to: '23:59' }, blackoutDates: [] } });
    const result = await gameday([plan]);
    expect(result.code, result.stderr).to.equal(7);
    expect(result.stderr).to.include(`outside the window: ${todayName} is not one of`).and.include('Nothing was contacted');
    expect(result.stderr).not.to.include('target:');
  });

  it('refuses in preflight a drill beyond the blast radius (exit 5), naming drill and host, before anything is contacted', async () => {
    const plan = writePlan({ drills: [{ name: 'scheduler-down' }, { name: 'node-drain', params: { node: 'worker-1' } }], blastRadius: { maxNodesAffected: 1, hosts: ['control-plane', 'worker-2'] } });
    const result = await gameday([plan]);
    expect(result.code, result.stderr).to.equal(5);
    expect(result.stderr).to.include('refused in preflight: drill "node-drain" refused: it would touch host "worker-1", which blastRadius.hosts does not allow (allowed: control-plane, worker-2)');
    expect(result.stderr).not.to.include('target:');
  });

  it('a window that ends mid-run stops after the current drill, restored (exit 7)', async function () {
    // The window closes at the next full minute, started just after a full minute: 55-60 s ahead, which the first
    // drill reaches and the six drills (about 130 s on an idle machine, more under load) outlast.
    await eventually(async () => expect(new Date().getUTCSeconds()).to.be.below(5), { description: 'a full minute', timeoutMs: 65_000, intervalMs: 250, maxIntervalMs: 500 });
    const now = new Date();
    const end = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
    if (end.getUTCDate() !== now.getUTCDate()) this.skip(); // the window would cross midnight
    const to = `${String(end.getUTCHours()).padStart(2, '0')}:${String(end.getUTCMinutes()).padStart(2, '0')}`;
    const runId = `gameday-window-${Date.now()}`;
    const plan = writePlan({
      drills: [{ name: 'scheduler-down' }, { name: 'controller-manager-down' }, { name: 'node-drain' }, { name: 'apiserver-killed' }, { name: 'etcd-down' }, { name: 'kubelet-stopped' }],
      window: { timeZone: 'UTC', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], hours: { from: '00:00', to }, blackoutDates: [] },
    });
    const result = await gameday([plan], { FIREDRILL_RUN_ID: runId });
    expect(result.code, result.stderr).to.equal(7);
    const day = record(runId);
    expect(day.verdict).to.equal('refused');
    expect(day.drills[0]?.result).to.equal('passed');
    const left = day.drills.filter((drill) => drill.result === 'not-run');
    expect(left.length, results(day).join(', ')).to.be.greaterThan(0);
    expect(left[0]?.reason).to.include('time window');
    expect(day.drills.every((drill) => ['passed', 'not-run'].includes(drill.result)), results(day).join(', ')).to.equal(true);
    expect(pending()).to.deep.equal([]);
  });
});
