// Drill: a worker's kubelet stops. The node goes NotReady after the grace period; its pods are evicted after their toleration.
import { AppsV1Api, CoreV1Api, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { describePods, drill, isNodeReady, isRunning, isTerminating, nodeName, ServiceStopFault, stopKubelet, waitForObjects, watchHeartbeats } from '../src/index.ts';
import type { HeartbeatWatch } from '../src/index.ts';
import { appPods, busiestWorker, requireApp, seconds } from './app.ts';
import { expectNotReadyAfterGrace, MARGIN_S, nodeWatch, readiness } from './node-readiness.ts';
import { evictionBound, evictionWaitSeconds, rewrittenAfterS, taintAddedAt, unreachableTaint } from './unreachable-taint.ts';

drill(
  {
    name: 'kubelet-stopped',
    topologies: ['single-control-plane', 'ha-control-plane'],
    title: 'Kubelet stopped: node NotReady, then its pods evicted',
    teaches:
      'A node is judged by its heartbeats (its Lease). When the kubelet stops, the node-lifecycle controller waits the grace period before marking it NotReady, taints it unreachable, and evicts its pods once their toleration runs out; the ReplicaSet replaces them elsewhere.',
    faults: ['the kubelet service of one worker stopped'],
    expected: [
      'the node goes NotReady no earlier than the node-monitor grace period after its last heartbeat, and within it plus the monitor period and a small margin',
      'its pods are evicted once their unreachable toleration has run out after the taint',
      'replacement pods run on the other nodes',
      'once the kubelet starts, the node is Ready again',
    ],
    duration: 'about 1 minute',
    affects: 'one-worker',
  },
  (d) => {
    let fault: ServiceStopFault;
    let node: string;
    let stoppedAt: Date;
    let desired: number;
    let heartbeats: HeartbeatWatch | undefined;

    before(async () => {
      const { namespace, deployment } = requireApp(d);
      desired = (await d.target.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: deployment })).spec?.replicas ?? 1;
      const host = await busiestWorker(d);
      node = nodeName(host);
      fault = stopKubelet(d.profile, host);
      await d.preflight(fault);
      if (!d.dryRun) heartbeats = watchHeartbeats(d.target.kube, node, d.signal);
    });

    after(() => heartbeats?.stop());

    it('the node goes NotReady after the grace period, not before', async () => {
      stoppedAt = new Date();
      await d.inject(fault);
      if (d.skipInDryRun(`${node} goes NotReady`)) return;
      await expectNotReadyAfterGrace(d, node, heartbeats, stoppedAt, 'kubelet stop');
    });

    it('its pods are evicted after their toleration and replaced elsewhere', async () => {
      if (d.skipInDryRun(`pods on ${node} are evicted`)) return;
      const toleration = d.timings.unreachableTolerationSeconds;
      // The node-lifecycle controller taints the node in the pass that marks it NotReady, or the next one.
      const taintWithinS = 2 * d.timings.nodeMonitorPeriodSeconds + MARGIN_S + 20;
      const tainted = await waitForObjects<V1Node>({
        ...nodeWatch(d, node),
        description: `${node} tainted unreachable (NoExecute)`,
        timeoutMs: taintWithinS * 1000,
        until: ([seen]) => !!seen && !!unreachableTaint(seen),
        describe: ([seen]) => (seen && unreachableTaint(seen) ? 'tainted node.kubernetes.io/unreachable:NoExecute' : 'not tainted yet'),
      });
      const taintSeenAt = tainted.at;
      const evicted = await waitForObjects<V1Pod>({
        ...appPods(d, node),
        description: `the app's pods on ${node} evicted`,
        timeoutMs: evictionWaitSeconds(d.timings, MARGIN_S) * 1000,
        until: (pods) => pods.every(isTerminating),
        describe: describePods,
      });
      // A controller-manager that starts or takes the Lease while the node is down removes the taint and writes it again.
      // Both times are the control plane's (timeAdded), so a clock skew between it and this runner cannot fake one. The
      // node is read just after the eviction: a write in between would only widen the bound by that much.
      const atEviction = await d.target.kube.makeApiClient(CoreV1Api).readNode({ name: node });
      const readdedS = rewrittenAfterS(tainted.objects[0], atEviction);
      if (readdedS) d.observe('node', `${node}: unreachable taint written again ${readdedS.toFixed(0)} s after the first (timeAdded ${new Date(taintAddedAt(atEviction) ?? 0).toISOString()}); eviction may count from either`);
      const afterTaint = (evicted.at.getTime() - taintSeenAt.getTime()) / 1000;
      const bound = evictionBound(toleration, readdedS, MARGIN_S);
      d.expect({
        name: 'pods evicted after toleration',
        bound: bound.text,
        measured: `evicted ${afterTaint.toFixed(1)} s after the taint`,
        ok: afterTaint >= bound.lowerSeconds && afterTaint <= bound.upperSeconds,
        seconds: afterTaint,
        lowerSeconds: bound.lowerSeconds,
        upperSeconds: bound.upperSeconds,
      });
      const podStart = d.timings.podStartSeconds;
      const replaced = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `${desired} of the app's pods Running on other nodes`,
        timeoutMs: podStart * 1000 + 10_000,
        until: (pods) => pods.filter((pod) => isRunning(pod) && pod.spec?.nodeName !== node).length >= desired,
        describe: describePods,
      });
      d.expect({ name: 'pods replaced elsewhere', bound: `replacements Running on other nodes within ${podStart} s (podStartSeconds)`, measured: `Running after ${seconds(replaced.elapsedMs)}`, ok: replaced.elapsedMs <= podStart * 1000, seconds: replaced.elapsedMs / 1000, upperSeconds: podStart });
    });

    it('after the kubelet starts the node is Ready again', async () => {
      await d.restore(fault);
      if (d.skipInDryRun(`${node} Ready again`)) return;
      const ready = await waitForObjects<V1Node>({
        ...nodeWatch(d, node),
        description: `${node} Ready`,
        timeoutMs: 60_000,
        until: ([seen]) => !!seen && isNodeReady(seen),
        describe: readiness(node),
      });
      d.expect({ name: 'node Ready after restore', bound: 'Ready within 60 s of the kubelet starting', measured: `Ready after ${seconds(ready.elapsedMs)}`, ok: ready.elapsedMs <= 60_000, seconds: ready.elapsedMs / 1000, upperSeconds: 60 });
    });
  },
);
