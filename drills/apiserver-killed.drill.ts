// Drill: the kube-apiserver process is killed. The kubelet restarts it by itself; nothing is lost.
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { drill, killComponent, snapshotProcesses, waitForApi, type HttpSampler, type ProcessKillFault } from '../src/index.ts';
import { appSampler, expectAppServed } from './app-availability.ts';
import { requireApp } from './app.ts';

/** Time an API server takes to start and serve once its process runs again. */
const STARTUP_S = 45;
/** A SIGKILLed API server stops answering at once; this allows for the probe's own request timeout. */
const DOWN_WITHIN_S = 10;

drill(
  {
    name: 'apiserver-killed',
    title: 'API server killed: it comes back by itself',
    teaches:
      'The API server is a static pod: the kubelet on the control-plane host restarts it when it dies, with a crash-loop backoff. While it is gone the cluster cannot be managed, but running workloads keep serving, and since the state lives in etcd nothing is lost.',
    faults: ['the kube-apiserver process killed (SIGKILL) on the control-plane host'],
    expected: [
      'the API is unavailable right after the kill',
      'the app keeps serving',
      'the API server comes back by itself within the kubelet backoff plus its start-up time',
      'cluster state is intact: the same deployment and nodes as before',
    ],
    duration: 'about 30 s',
  },
  (d) => {
    let fault: ProcessKillFault;
    let sampler: HttpSampler | undefined;
    let killedAt: Date;
    let baseline: { deploymentUid?: string; replicas?: number; nodes: string[] };

    before(async () => {
      const bound = (d.timings.staticPodMaxBackoffSeconds + STARTUP_S) * 1000;
      fault = killComponent(d.profile, 'kube-apiserver', bound);
      await d.preflight(fault);
      if (d.dryRun) return;
      const { namespace, deployment } = requireApp(d);
      const current = await d.target.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: deployment });
      const nodes = await d.target.kube.makeApiClient(CoreV1Api).listNode();
      baseline = { deploymentUid: current.metadata?.uid, replicas: current.spec?.replicas, nodes: nodes.items.map((node) => node.metadata?.name ?? '').sort() };
      sampler = appSampler(d);
      sampler?.start();
    });

    after(async () => {
      await sampler?.stop();
    });

    it('the API is unavailable after the kill', async () => {
      killedAt = new Date();
      await d.inject(fault);
      if (d.skipInDryRun('the API is down')) return;
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
      const bound = d.timings.staticPodMaxBackoffSeconds + STARTUP_S;
      await waitForApi(d.target.kube, 'up', bound * 1000, d.signal);
      const since = (Date.now() - killedAt.getTime()) / 1000;
      d.expect({
        name: 'API server back',
        bound: `within ${bound} s (restart backoff ${d.timings.staticPodMaxBackoffSeconds} s + start-up ${STARTUP_S} s)`,
        measured: `answering ${since.toFixed(1)} s after the kill`,
        ok: since <= bound,
        seconds: since,
        upperSeconds: bound,
      });
      expectAppServed(d, sampler, killedAt, new Date(), 'the API server is down');
      // The restore waits for a new kube-apiserver process (not the killed one) answering its health endpoint.
      await d.restore(fault);
      const killed = fault.before?.processes ?? [];
      const now = (await snapshotProcesses(d.faultContext, fault.host, { process: fault.process })).processes;
      const isKilled = (process: { pid: number; startTicks: number }) => killed.some((was) => was.pid === process.pid && was.startTicks === process.startTicks);
      d.expect({
        name: 'a new API server process',
        bound: `a ${fault.process} process other than the killed one (pid ${killed.map((process) => process.pid).join(', ')})`,
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
