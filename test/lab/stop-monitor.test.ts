// The game day's stop monitor against the real lab: quiet while the cluster is healthy, breached (once, naming the
// condition and the value) when the app stops serving or a kubelet stops; a kind the API server does not know is refused.
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import type { V1Deployment, V1Node } from '@kubernetes/client-node';
import type { FaultContext } from '../../src/faults/fault.ts';
import { stopKubelet } from '../../src/faults/component-faults.ts';
import { restoreUndo } from '../../src/faults/restorers.ts';
import { ScaleDeploymentChange } from '../../src/faults/scale-deployment.ts';
import type { StopCondition, StopConditionBreach, StopConditionSample } from '../../src/gameday/plan-types.ts';
import { startStopMonitor, type StopMonitor } from '../../src/gameday/stop-monitor.ts';
import { isNodeReady } from '../../src/engine/steady-state.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { DEPLOYMENTS, NODES } from '../../src/kube/resources.ts';
import { waitForObjects } from '../../src/probes/watch-objects.ts';
import type { ProfileHost } from '../../src/profile/profile-schema.ts';
import { SshTransport } from '../../src/transport/ssh-transport.ts';
import { useLab, type Lab } from './lab-fixture.ts';

/** Watch delivery and CPU contention on top of the bounds the profile's timings give. */
const MARGIN_S = 10;
/** The promise's value, or undefined if it takes longer than ms (the timer is cleared either way). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The app-endpoint condition's window. */
const WINDOW_S = 10;

describe('game-day stop monitor (lab)', function () {
  this.timeout(240_000);
  let lab: Lab;
  let transport: SshTransport;
  let context: FaultContext;
  let monitor: StopMonitor | undefined;
  let conditions: Record<'app' | 'nodes' | 'available', StopCondition>;

  /** Starts a monitor whose breaches resolve `breached` and are counted. */
  function monitorOf(list: StopCondition[]) {
    const breaches: StopConditionBreach[] = [];
    let onFirst: (breach: StopConditionBreach) => void = () => {};
    const breached = new Promise<StopConditionBreach>((resolve) => (onFirst = resolve));
    const lines: string[] = [];
    const sampleWaiters = new Set<(sample: StopConditionSample) => void>();
    /** Resolves with the first evaluation (from now on) that `until` accepts. */
    const nextSample = (until: (sample: StopConditionSample) => boolean) =>
      new Promise<StopConditionSample>((resolve) => {
        const waiter = (sample: StopConditionSample) => {
          if (!until(sample)) return;
          sampleWaiters.delete(waiter);
          resolve(sample);
        };
        sampleWaiters.add(waiter);
      });
    monitor = startStopMonitor(list, context.kube, {
      onBreach: (breach) => {
        breaches.push(breach);
        onFirst(breach);
      },
      onSample: (sample) => sampleWaiters.forEach((waiter) => waiter(sample)),
      log: (line) => lines.push(line),
    });
    return { monitor, breaches, breached, lines, nextSample };
  }

  const guestbookAvailable = (description: string) => {
    const app = lab.profile.app!;
    return waitForObjects<V1Deployment>({
      kubeconfig: context.kube,
      type: DEPLOYMENTS,
      namespace: app.namespace,
      fieldSelector: `metadata.name=${app.deployment}`,
      description,
      timeoutMs: 90_000,
      until: ([deployment]) => !!deployment && (deployment.status?.availableReplicas ?? 0) >= (deployment.spec?.replicas ?? 1) && (deployment.spec?.replicas ?? 0) > 0,
    });
  };

  before(async () => {
    lab = await useLab();
    transport = new SshTransport(lab.profile.hosts);
    context = { profile: lab.profile, transport, kube: loadKubeConfig(lab.kubeconfig), dryRun: false, signal: new AbortController().signal, announceApiChange: () => {} };
    const app = lab.profile.app!;
    conditions = {
      app: { kind: 'app-endpoint', name: 'guestbook serves', url: app.endpoint!, windowSeconds: WINDOW_S, intervalMs: 250, minSuccessRatio: 0.9, maxP95Ms: 2_000 },
      nodes: { kind: 'not-ready-nodes', name: 'nodes Ready', max: 0 },
      available: {
        kind: 'kubernetes-condition',
        name: 'guestbook Available',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: app.namespace, name: app.deployment },
        conditionType: 'Available',
        status: 'True',
        graceSeconds: 60,
      },
    };
    await guestbookAvailable('guestbook available before the stop-monitor tests');
  });

  afterEach(async () => {
    await monitor?.stop();
    monitor = undefined;
  });

  after(async () => {
    await transport?.close();
  });

  it('a healthy cluster: every condition evaluated and ok, no breach', async () => {
    const { monitor, breaches } = monitorOf(Object.values(conditions));
    await monitor.ready();
    // Long enough for the endpoint's window to be judged many times over (40 requests per 10 s window).
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await monitor.stop();
    expect(breaches).to.deep.equal([]);
    const samples = monitor.samples();
    expect(samples.filter((sample) => !sample.ok), JSON.stringify(samples)).to.deep.equal([]);
    expect([...new Set(samples.map((sample) => sample.condition))].sort()).to.deep.equal(['guestbook Available', 'guestbook serves', 'nodes Ready']);
    expect(samples.find((sample) => sample.condition === 'guestbook serves')!.value).to.match(/^success 100\.0 % \(\d+\/\d+\) over 10 s, p95 \d+ ms$/);
    expect(samples.find((sample) => sample.condition === 'nodes Ready')!.value).to.equal(`0 NotReady of ${lab.profile.hosts.length} nodes`);
    expect(samples.find((sample) => sample.condition === 'guestbook Available')!.value).to.match(/^Available=True \(MinimumReplicasAvailable: /);
  });

  it('the guestbook scaled to 0: the app endpoint is breached within its window, once, naming condition and value', async () => {
    const app = lab.profile.app!;
    const { monitor, breaches, breached } = monitorOf([conditions.app, conditions.available]);
    await monitor.ready();
    const change = new ScaleDeploymentChange(app.namespace, app.deployment, 0);
    await change.preflight(context);
    const undo = change.undo();
    try {
      const scaledAt = performance.now();
      const scaledWall = Date.now();
      await change.inject(context);
      const breach = await within(breached, (WINDOW_S + MARGIN_S + 30) * 1000);
      const afterS = (performance.now() - scaledAt) / 1000;
      expect(breach, `no breach ${afterS.toFixed(1)} s after scaling to 0; samples: ${JSON.stringify(monitor.samples())}`).to.not.equal(undefined);
      expect(breach!.condition).to.equal('guestbook serves');
      expect(breach!.value).to.match(/^success \d+\.\d % \(\d+\/\d+\) over 10 s, .*; last failure: HTTP 503$/);
      expect(breach!.threshold).to.equal('success at least 90.0 %, p95 at most 2000 ms over 10 s (judged from 5 requests on)');
      // The window judges from 5 requests on: a few failures breach it, well within windowSeconds of the 503s starting
      // (scaling to 0 takes the pods' termination and the EndpointSlice update first).
      expect(afterS, 'breached within windowSeconds + a margin of the scale').to.be.below(WINDOW_S + MARGIN_S);
      expect(Date.parse(breach!.at)).to.be.within(scaledWall, Date.now());
    } finally {
      await restoreUndo(undo, context);
      await guestbookAvailable('guestbook available again after the scale is restored');
    }
    await monitor.stop();
    expect(breaches, 'onBreach called once').to.have.length(1);
    expect(monitor.breach()).to.deep.equal(breaches[0]);
    const appSamples = monitor.samples().filter((sample) => sample.condition === 'guestbook serves');
    expect(appSamples[0]!.ok, 'first sample ok').to.equal(true);
    expect(appSamples.some((sample) => !sample.ok && sample.at === breaches[0]!.at), 'the breach is a sample').to.equal(true);
  });

  it("a worker's kubelet stopped over SSH: not-ready-nodes breached after the grace period, naming the node", async () => {
    const host = lab.profile.hosts.find((candidate) => candidate.role === 'worker') as ProfileHost;
    const { nodeMonitorGracePeriodSeconds: grace, nodeMonitorPeriodSeconds: period } = lab.profile.timings;
    const { monitor, breaches, breached, nextSample } = monitorOf([conditions.nodes, conditions.available]);
    await monitor.ready();
    const fault = stopKubelet(lab.profile, host);
    await fault.preflight(context);
    const undo = fault.undo();
    try {
      const stoppedAt = performance.now();
      await fault.inject(context);
      const bound = grace + period + MARGIN_S;
      const breach = await within(breached, (bound + 30) * 1000);
      const afterS = (performance.now() - stoppedAt) / 1000;
      expect(breach, `no breach ${afterS.toFixed(1)} s after the kubelet stopped`).to.not.equal(undefined);
      expect(breach!.condition).to.equal('nodes Ready');
      expect(breach!.value).to.equal(`1 NotReady of ${lab.profile.hosts.length} nodes: ${host.node} (Unknown)`);
      expect(breach!.threshold).to.equal('at most 0 NotReady nodes');
      expect(afterS, `breached within the grace period (${grace} s), a monitor period and ${MARGIN_S} s`).to.be.below(bound);
    } finally {
      const recovered = nextSample((sample) => sample.condition === 'nodes Ready' && sample.ok);
      await restoreUndo(undo, context);
      await waitForObjects<V1Node>({
        kubeconfig: context.kube,
        type: NODES,
        fieldSelector: `metadata.name=${host.node}`,
        description: `${host.node} Ready after the kubelet started again`,
        timeoutMs: 60_000,
        until: ([node]) => !!node && isNodeReady(node),
      });
      await guestbookAvailable('guestbook available again after the kubelet started');
      // The monitor's own watch sees the node Ready too (the test's watch may have been a little faster).
      await recovered;
    }
    await monitor.stop();
    expect(breaches, 'onBreach called once').to.have.length(1);
    const nodeSamples = monitor.samples().filter((sample) => sample.condition === 'nodes Ready');
    const changes = nodeSamples.map((sample) => sample.ok).filter((ok, index, all) => index === 0 || ok !== all[index - 1]);
    expect(changes, 'ok, breached, ok again: the timeline').to.deep.equal([true, false, true]);
  });

  it('kubernetes-condition: the condition off for longer than graceSeconds is a breach naming its actual status', async () => {
    const graceSeconds = 3;
    const condition = { ...conditions.available, name: 'guestbook not Available', status: 'False', graceSeconds } as StopCondition;
    const { monitor, breached } = monitorOf([condition]);
    await monitor.ready();
    const readyAt = performance.now();
    const breach = await within(breached, (graceSeconds + MARGIN_S) * 1000);
    expect(breach, 'breached after the grace period').to.not.equal(undefined);
    expect((performance.now() - readyAt) / 1000).to.be.within(graceSeconds - 1, graceSeconds + MARGIN_S);
    expect(breach!.value).to.match(/^Available=True \(MinimumReplicasAvailable: Deployment has minimum availability\.\) for [34]\.\d s$/);
    expect(breach!.threshold).to.equal('Available=False, or off for less than 3 s');
    expect(monitor.samples()[0]).to.include({ ok: true });
    expect(monitor.samples()[0]!.value).to.match(/ for 0\.\d s$/);
  });

  it('ready() rejects, naming the condition, when the API server does not know the kind', async () => {
    const unknown = (apiVersion: string, kind: string): StopCondition => ({ ...conditions.available, name: `${kind} Ready`, object: { apiVersion, kind, namespace: 'default', name: 'x' } }) as StopCondition;
    for (const [condition, message] of [
      [unknown('apps/v1', 'Widget'), "stop condition 'Widget Ready' (kubernetes-condition) cannot be evaluated: cannot watch Widget default/x: the API server knows no kind Widget in apiVersion apps/v1 (it serves: ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet)"],
      [unknown('example.dev/v1', 'FireDrill'), "stop condition 'FireDrill Ready' (kubernetes-condition) cannot be evaluated: cannot watch FireDrill default/x: the API server serves no apiVersion example.dev/v1 (GET /apis/example.dev/v1 answered 404)"],
    ] as const) {
      const { monitor } = monitorOf([conditions.nodes, condition]);
      const error = await monitor.ready().then(
        () => undefined,
        (rejection: Error) => rejection,
      );
      expect(error?.message).to.equal(message);
      await monitor.stop();
    }
  });
});
