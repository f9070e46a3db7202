// Drill: the scheduler is down. Pods can still be created, but nobody assigns them to a node.
import type { V1Pod } from '@kubernetes/client-node';
import { describePods, drill, holdsFor, isRunning, isUnscheduled, ManifestMoveFault, ScaleDeploymentChange, waitForObjects } from '../src/index.ts';
import { currentHolder, expectLeaderAgain, manifestFaultsEverywhere, stopAll } from './all-instances.ts';
import { appPods, requireApp, seconds } from './app.ts';

const EXTRA = 2;
/** How long the new pods must stay Pending to show that nothing schedules them. */
const HOLD_MS = 8_000;

drill(
  {
    name: 'scheduler-down',
    title: 'Scheduler down: new pods stay Pending',
    teaches:
      'The scheduler only assigns pods to nodes. Without it, running pods keep running and the API accepts new pods, but they stay Pending until it returns; then it catches up on its own. On an HA control plane every instance is stopped: a standby would otherwise take over.',
    faults: ['kube-scheduler static-pod manifest moved out of the manifests folder, on every control-plane host'],
    expected: [
      'the kube-scheduler process stops on every control-plane host within the kubelet’s static-pod stop time',
      `scaling the app up by ${EXTRA} updates the replica count and creates ${EXTRA} pods that stay Pending (unscheduled)`,
      'once the manifests are back, the scheduler starts (on HA: an instance takes the kube-scheduler Lease) and the pending pods are scheduled and Running',
    ],
    duration: 'about 40 s',
    topologies: ['single-control-plane', 'ha-control-plane'],
  },
  (d) => {
    let schedulers: ManifestMoveFault[];
    let scale: ScaleDeploymentChange;

    before(async () => {
      schedulers = manifestFaultsEverywhere(d, 'kube-scheduler');
      const { namespace, deployment } = requireApp(d);
      scale = new ScaleDeploymentChange(namespace, deployment, { by: EXTRA });
      await d.preflight(...schedulers, scale);
    });

    it('the scheduler stops when its manifest leaves the folder', async () => {
      await stopAll(d, schedulers, 'kube-scheduler');
    });

    it(`scaled-up pods are created but stay Pending`, async () => {
      await d.inject(scale);
      if (d.skipInDryRun('the new pods stay Pending')) return;
      const created = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `${EXTRA} new pods created`,
        timeoutMs: 20_000,
        until: (pods) => pods.filter(isUnscheduled).length >= EXTRA,
        describe: describePods,
      });
      d.expect({ name: 'new pods created', bound: `${EXTRA} pods created by the ReplicaSet`, measured: `${created.objects.filter(isUnscheduled).length} unscheduled pods after ${seconds(created.elapsedMs)}`, ok: created.objects.filter(isUnscheduled).length >= EXTRA });
      const holdStarted = Date.now();
      const last = await holdsFor<V1Pod>({
        ...appPods(d),
        description: `the ${EXTRA} new pods stay Pending while the scheduler is down`,
        durationMs: HOLD_MS,
        holds: (pods) => pods.filter(isUnscheduled).length >= EXTRA,
        describe: describePods,
      });
      // holdsFor resolves only once its condition was judged, and held at every change, for the whole duration.
      const held = Date.now() - holdStarted;
      d.expect({ name: 'pods stay Pending', bound: `unscheduled for ${HOLD_MS / 1000} s`, measured: `${last}, held ${seconds(held)}`, ok: held >= HOLD_MS });
    });

    it('after the restore the pending pods are scheduled and Running', async () => {
      // Read now, with every instance down: the last leader (or nobody, if it released the Lease).
      const lastLeader = await currentHolder(d, 'kube-scheduler');
      for (const scheduler of schedulers) await d.restore(scheduler);
      if (d.skipInDryRun('the pending pods are scheduled')) return;
      const podStart = d.timings.podStartSeconds;
      await expectLeaderAgain(d, 'kube-scheduler', lastLeader);
      const running = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `${scale.replicas} pods Running`,
        timeoutMs: podStart * 1000 + 10_000,
        until: (pods) => pods.filter(isRunning).length >= scale.replicas,
        describe: describePods,
      });
      d.expect({ name: 'pods scheduled after restore', bound: `all Running within ${podStart} s (podStartSeconds)`, measured: `${scale.replicas} Running after ${seconds(running.elapsedMs)}`, ok: running.elapsedMs <= podStart * 1000, seconds: running.elapsedMs / 1000, upperSeconds: podStart });
    });
  },
);
