// Drill: a worker is cordoned and drained, as for maintenance. Its pods move; it takes pods again once uncordoned.
import type { V1Pod } from '@kubernetes/client-node';
import { describePods, drill, isRunning, isTerminating, NodeDrainFault, nodeName, ScaleDeploymentChange, waitForObjects, workerHosts } from '../src/index.ts';
import { appPods, busiestWorker, requireApp, seconds } from './app.ts';

const on = (node: string) => (pod: V1Pod) => pod.spec?.nodeName === node && !isTerminating(pod);

drill(
  {
    name: 'node-drain',
    topologies: ['single-control-plane', 'ha-control-plane'],
    title: 'Node drain: pods move away and come back',
    teaches:
      'Cordoning marks a node unschedulable; draining evicts its pods, which their controllers recreate on other nodes. New pods avoid the cordoned node until it is uncordoned, then it takes pods again.',
    faults: ['one worker cordoned and drained'],
    expected: ['its pods move to the other nodes', 'new pods avoid the cordoned node', 'after uncordon, it takes new pods again'],
    duration: 'about 30 s',
    params: { node: { description: 'the worker node to drain; empty: the worker running the most app pods', default: '' } },
    affects: 'one-worker',
  },
  (d) => {
    let drain: NodeDrainFault;
    let grow: ScaleDeploymentChange;
    let growMore: ScaleDeploymentChange;
    let node: string;

    before(async () => {
      const { namespace, deployment } = requireApp(d);
      const workers = workerHosts(d.profile).map(nodeName);
      const chosen = String(d.param('node'));
      if (chosen && !workers.includes(chosen)) throw new Error(`param node: "${chosen}" is not a worker node of profile ${d.profile.name} (workers: ${workers.join(', ')})`);
      node = chosen || nodeName(await busiestWorker(d));
      drain = new NodeDrainFault(node);
      grow = new ScaleDeploymentChange(namespace, deployment, { by: 1 });
      growMore = new ScaleDeploymentChange(namespace, deployment, { by: 1 + workers.length });
      await d.preflight(drain, grow);
    });

    it('its pods move to the other nodes', async () => {
      await d.inject(drain);
      if (d.skipInDryRun(`pods leave ${node}`)) return;
      const podStart = d.timings.podStartSeconds;
      const moved = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `no app pod left on ${node} and every replica Running elsewhere`,
        timeoutMs: podStart * 1000 + 10_000,
        until: (pods) => !pods.some(on(node)) && pods.filter((pod) => isRunning(pod) && !on(node)(pod)).length >= grow.originalReplicas,
        describe: describePods,
      });
      d.expect({ name: 'pods moved', bound: `all replicas Running on other nodes within ${podStart} s (podStartSeconds)`, measured: `moved in ${seconds(moved.elapsedMs)}`, ok: moved.elapsedMs <= podStart * 1000, seconds: moved.elapsedMs / 1000, upperSeconds: podStart });
    });

    it('new pods avoid the cordoned node', async () => {
      await d.inject(grow);
      if (d.skipInDryRun(`new pods avoid ${node}`)) return;
      const placed = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `${grow.replicas} pods Running`,
        timeoutMs: d.timings.podStartSeconds * 1000 + 10_000,
        until: (pods) => pods.filter(isRunning).length >= grow.replicas,
        describe: describePods,
      });
      const onCordoned = placed.objects.filter(on(node)).length;
      d.expect({ name: 'cordoned node avoided', bound: `no new pod on ${node}`, measured: `${onCordoned} pods on ${node}`, ok: onCordoned === 0 });
    });

    it('after uncordon it takes pods again', async () => {
      await d.restore(drain);
      await d.preflight(growMore);
      await d.inject(growMore);
      if (d.skipInDryRun(`${node} takes pods again`)) return;
      const podStart = d.timings.podStartSeconds;
      const back = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `a new pod scheduled on ${node}`,
        timeoutMs: podStart * 1000 + 10_000,
        until: (pods) => pods.some((pod) => on(node)(pod) && isRunning(pod)),
        describe: (pods) => `${pods.filter(on(node)).length} on ${node}; ${describePods(pods)}`,
      });
      d.expect({ name: 'node takes pods again', bound: `a pod Running on ${node} within ${podStart} s of uncordon (podStartSeconds)`, measured: `after ${seconds(back.elapsedMs)}`, ok: back.elapsedMs <= podStart * 1000, seconds: back.elapsedMs / 1000, upperSeconds: podStart });
    });
  },
);
