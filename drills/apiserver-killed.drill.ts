// Drill: the kube-apiserver process is killed. The kubelet restarts it by itself; nothing is lost. On an HA control
// plane one API server of several is killed, and the load balancer keeps the API available meanwhile.
import { setTimeout as delay } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  apiSampler,
  apiServerProblem,
  apiServersOf,
  drill,
  eventually,
  killComponent,
  killComponentOn,
  oldStillRunning,
  readControlPlaneShape,
  snapshotProcesses,
  topologyOf,
  waitForApi,
  waitUntilBackHealthy,
  type ApiServerOnHost,
  type DrillHandle,
  type HttpSampler,
  type ProcessKillFault,
} from '../src/index.ts';
import { appSampler, expectAppServed } from './app-availability.ts';
import { requireApp } from './app.ts';

/** Time an API server takes to start and serve once its process runs again. */
const STARTUP_S = 45;
/** A SIGKILLed API server stops answering at once; this allows for the probe's own request timeout. */
const DOWN_WITHIN_S = 10;
/** HA: the share of API reads through the load balancer that must be answered while one API server is killed. */
const MIN_API_AVAILABILITY = 0.99;
/** HA: how often the API is read through the load balancer. */
const API_SAMPLE_EVERY_MS = 100;
/**
 * HA: a read not answered by then counts as failed. Clients wait longer (client-go's TLS handshake alone may take
 * 10 s), but a connection the load balancer handed to the restarting API server, which listens before it serves,
 * never answers; a loaded runner can still take over a second for one that does.
 */
const API_READ_TIMEOUT_MS = 5_000;
/**
 * HA: reads go on this long after the killed API server is back, while the load balancer's health checks take it
 * back in (kubeadm's guide: every 2 s, in after 2 successes), so requests routed to the returning one count too.
 */
const ROUTED_AGAIN_S = 10;

drill(
  {
    name: 'apiserver-killed',
    title: 'API server killed: it comes back by itself',
    teaches:
      'The API server is a static pod: the kubelet on the control-plane host restarts it when it dies, with a crash-loop backoff. While it is gone a single control plane cannot be managed, but running workloads keep serving, and since the state lives in etcd nothing is lost. With several API servers behind a load balancer, the balancer routes around the dead one: the API stays available.',
    faults: ['the kube-apiserver process killed (SIGKILL) on a control-plane host (on HA: one whose API server is ready, so the load balancer routes to it)'],
    expected: [
      'one control plane: the API is unavailable right after the kill',
      `HA: at least ${MIN_API_AVAILABILITY * 100}% of API reads through the load balancer (every ${API_SAMPLE_EVERY_MS} ms) answered from the kill until ${ROUTED_AGAIN_S} s after the killed one is back`,
      'the app keeps serving',
      'the API server comes back by itself within the kubelet backoff plus its start-up time (HA: a new process answering its own /readyz on its host)',
      'cluster state is intact: the same deployment and nodes as before',
    ],
    duration: 'about 30 s',
    topologies: ['single-control-plane', 'ha-control-plane'],
  },
  (d) => {
    let fault: ProcessKillFault;
    /** HA: the API server killed (one of several); undefined on one control plane. */
    let killed: ApiServerOnHost | undefined;
    let sampler: HttpSampler | undefined;
    let api: HttpSampler | undefined;
    let killedAt: Date;
    let baseline: { deploymentUid?: string; replicas?: number; nodes: string[] };
    const comesBackWithinS = () => d.timings.staticPodMaxBackoffSeconds + STARTUP_S;

    before(async () => {
      const servers = apiServersOf(d.profile);
      const ha = topologyOf(await readControlPlaneShape(d.target.kube, servers.length)) === 'ha-control-plane';
      const bound = comesBackWithinS() * 1000;
      killed = ha ? await readyApiServer(d, servers) : undefined;
      fault = killed ? killComponentOn(d.profile, 'kube-apiserver', killed.host, bound) : killComponent(d.profile, 'kube-apiserver', bound);
      await d.preflight(fault);
      if (d.dryRun) return;
      const { namespace, deployment } = requireApp(d);
      const current = await d.target.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: deployment });
      const nodes = await d.target.kube.makeApiClient(CoreV1Api).listNode();
      baseline = { deploymentUid: current.metadata?.uid, replicas: current.spec?.replicas, nodes: nodes.items.map((node) => node.metadata?.name ?? '').sort() };
      sampler = appSampler(d);
      sampler?.start();
      if (killed) {
        api = apiSampler(d.target.kube, API_SAMPLE_EVERY_MS, API_READ_TIMEOUT_MS);
        api.start();
      }
    });

    after(async () => {
      await sampler?.stop();
      await api?.stop();
    });

    it('the API server is killed', async () => {
      killedAt = new Date();
      await d.inject(fault);
      if (d.skipInDryRun(killed ? 'the killed API server is gone' : 'the API is down')) return;
      if (killed) {
        // The kill took effect (else the availability below says nothing): the process from before is gone.
        const was = fault.before?.processes.map((process) => process.pid).join(', ') ?? 'unknown';
        await eventually(
          async () => {
            if (await oldStillRunning(d.faultContext, fault.host, { process: fault.process }, fault.before)) throw new Error(`pid ${was} still runs`);
          },
          { description: `the killed ${fault.process} on ${fault.host.name} gone`, timeoutMs: DOWN_WITHIN_S * 1000 + 5_000, intervalMs: 100, maxIntervalMs: 250, signal: d.signal },
        );
        const gone = (Date.now() - killedAt.getTime()) / 1000;
        d.expect({
          name: 'API server killed',
          bound: `the ${fault.process} process on ${fault.host.name} (pid ${was}) gone within ${DOWN_WITHIN_S} s of the kill`,
          measured: `gone ${gone.toFixed(1)} s after the kill`,
          ok: gone <= DOWN_WITHIN_S,
          seconds: gone,
          upperSeconds: DOWN_WITHIN_S,
        });
        return;
      }
      const down = await waitForApi(d.target.kube, 'down', DOWN_WITHIN_S * 1000, d.signal);
      const sinceKill = (Date.now() - killedAt.getTime()) / 1000;
      d.expect({
        name: 'API unavailable',
        bound: `within ${DOWN_WITHIN_S} s of the kill`,
        measured: `unavailable ${sinceKill.toFixed(1)} s after the kill: ${down.value}`,
        ok: sinceKill <= DOWN_WITHIN_S,
        seconds: sinceKill,
        upperSeconds: DOWN_WITHIN_S,
      });
    });

    it('the API server comes back by itself', async () => {
      if (d.skipInDryRun('the API server comes back')) return;
      const bound = comesBackWithinS();
      const boundWords = `within ${bound} s (restart backoff ${d.timings.staticPodMaxBackoffSeconds} s + start-up ${STARTUP_S} s)`;
      if (killed && api) {
        await expectBackAndAvailable(d, fault, api, killedAt, bound, boundWords);
        expectAppServed(d, sampler, killedAt, new Date(), 'an API server is down');
        await d.restore(fault);
        return;
      }
      await waitForApi(d.target.kube, 'up', bound * 1000, d.signal);
      const since = (Date.now() - killedAt.getTime()) / 1000;
      d.expect({
        name: 'API server back',
        bound: boundWords,
        measured: `answering ${since.toFixed(1)} s after the kill`,
        ok: since <= bound,
        seconds: since,
        upperSeconds: bound,
      });
      expectAppServed(d, sampler, killedAt, new Date(), 'the API server is down');
      // The restore waits for a new kube-apiserver process (not the killed one) answering its health endpoint.
      await d.restore(fault);
      const killedProcesses = fault.before?.processes ?? [];
      const now = (await snapshotProcesses(d.faultContext, fault.host, { process: fault.process })).processes;
      const isKilled = (process: { pid: number; startTicks: number }) => killedProcesses.some((was) => was.pid === process.pid && was.startTicks === process.startTicks);
      d.expect({
        name: 'a new API server process',
        bound: `a ${fault.process} process other than the killed one (pid ${killedProcesses.map((process) => process.pid).join(', ')})`,
        measured: `pid ${now.map((process) => process.pid).join(', ') || 'none'}${fault.health ? `, answering ${fault.health.url}` : ''}`,
        ok: now.length > 0 && !now.some(isKilled),
      });
    });

    it('cluster state is intact', async () => {
      if (d.skipInDryRun('cluster state is intact')) return;
      const { namespace, deployment } = requireApp(d);
      const current = await d.target.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: deployment });
      const nodes = (await d.target.kube.makeApiClient(CoreV1Api).listNode()).items.map((node) => node.metadata?.name ?? '').sort();
      const same = current.metadata?.uid === baseline.deploymentUid && current.spec?.replicas === baseline.replicas && nodes.join() === baseline.nodes.join();
      d.expect({
        name: 'state intact',
        bound: `deployment ${deployment} (same uid, ${baseline.replicas} replicas) and nodes ${baseline.nodes.join(', ')}`,
        measured: `deployment uid ${current.metadata?.uid === baseline.deploymentUid ? 'unchanged' : 'CHANGED'}, ${current.spec?.replicas} replicas, nodes ${nodes.join(', ')}`,
        ok: same,
      });
    });
  },
);

/**
 * HA: the API server to kill, one the load balancer routes to: the first that answers its own /readyz on its host.
 * Its health endpoint is required, since that is how its return is told apart from the balancer's answer.
 */
async function readyApiServer(d: DrillHandle, servers: ApiServerOnHost[]): Promise<ApiServerOnHost> {
  const missing = servers.find((server) => !server.health);
  if (missing) {
    throw new Error(
      `profile ${d.profile.name}: kube-apiserver on ${missing.host.name} has no health endpoint (components.kube-apiserver.health, or that host's hosts[].components): on an HA control plane the drill tells the killed API server is back by its own /readyz on its host`,
    );
  }
  const [first] = servers;
  if (!first) throw new Error(`profile ${d.profile.name} has no control-plane host`);
  if (d.dryRun) {
    d.observe('dry-run', `would kill the first API server that answers its own /readyz; shown for ${first.host.name}`);
    return first;
  }
  const problems = await Promise.all(servers.map((server) => apiServerProblem(d.faultContext, server, d.signal)));
  const ready = servers.filter((_, index) => problems[index] === undefined);
  const chosen = ready[0];
  if (!chosen) throw new Error(`no API server answers its own /readyz (${problems.join('; ')}): the control plane is not healthy, refusing to kill one`);
  d.observe('apiserver', `killing the API server on ${chosen.host.name} (it answers ${chosen.health?.url}); ${ready.length} of ${servers.length} answer their own /readyz${problems.some(Boolean) ? ` (${problems.filter(Boolean).join('; ')})` : ''}`);
  return chosen;
}

/** HA: a new process answers its own /readyz within the bound, and the API through the load balancer stayed available. */
async function expectBackAndAvailable(d: DrillHandle, fault: ProcessKillFault, api: HttpSampler, killedAt: Date, bound: number, boundWords: string): Promise<void> {
  const back = await waitUntilBackHealthy(d.faultContext, fault.host, {
    selector: { process: fault.process },
    before: fault.before,
    health: fault.health,
    timeoutMs: bound * 1000 + 15_000,
    signal: d.signal,
  });
  const since = (Date.now() - killedAt.getTime()) / 1000;
  d.expect({
    name: 'killed API server back',
    bound: `a new ${fault.process} process on ${fault.host.name} answering its own ${fault.health?.url ?? '/readyz'} (not through the load balancer) ${boundWords}`,
    measured: `${back.summary}, ${since.toFixed(1)} s after the kill`,
    ok: since <= bound,
    seconds: since,
    upperSeconds: bound,
  });
  // A measurement window, not a wait for a state: reads go on while the balancer takes the returning one back in.
  await delay(ROUTED_AGAIN_S * 1000, undefined, { signal: d.signal });
  const window = await api.stop(killedAt);
  const failed = window.samples - window.succeeded;
  const failures = api.samples.filter((sample) => sample.at >= killedAt && !sample.ok);
  const after = (at: Date) => `${((at.getTime() - killedAt.getTime()) / 1000).toFixed(1)} s`;
  const listed = failures.slice(0, 10).map((sample) => `${after(sample.at)}: ${sample.error ?? `HTTP ${sample.status}`}`);
  d.expect({
    name: 'API available through the load balancer',
    bound: `at least ${MIN_API_AVAILABILITY * 100}% of reads (GET every ${API_SAMPLE_EVERY_MS} ms, answered within ${API_READ_TIMEOUT_MS / 1000} s, through ${d.target.kube.getCurrentCluster()?.server ?? 'the kubeconfig server'}) answered 200, from the kill until ${ROUTED_AGAIN_S} s after the killed one was back`,
    measured: `${(window.ratio * 100).toFixed(1)}% of ${window.samples} reads answered 200 (${failed} failed; p50 ${window.p50Ms.toFixed(0)} ms, p95 ${window.p95Ms.toFixed(0)} ms)${listed.length ? `; failed at (after the kill) ${listed.join(', ')}${failures.length > listed.length ? ', …' : ''}` : ''}`,
    ok: window.samples > 0 && window.ratio >= MIN_API_AVAILABILITY,
  });
}
