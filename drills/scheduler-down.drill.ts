// Drill: the scheduler is down. Pods can still be created, but nobody assigns them to a node.
import type { V1Pod } from '@kubernetes/client-node';
import { componentHost, describePods, drill, holdsFor, isRunning, isUnscheduled, ManifestMoveFault, ScaleDeploymentChange, stopComponent, waitForObjects, waitForProcess } from '../src/index.ts';
import { appPods, requireApp, seconds } from './app.ts';

const EXTRA = 2;
/** How long the new pods must stay Pending to show that nothing schedules them. */
const HOLD_MS = 8_000;

drill(
  {
    name: 'scheduler-down',
    title: 'Scheduler down: new pods stay Pending',
    teaches:
      'The scheduler only assigns pods to nodes. Without it, running pods keep running and the API accepts new pods, but they stay Pending until it returns; then it catches up on its own.',
    faults: ['kube-scheduler static-pod manifest moved out of the manifests folder'],
    expected: [
      'the kube-scheduler process stops within the kubelet’s static-pod stop time',
      `scaling the app up by ${EXTRA} updates the replica count and creates ${EXTRA} pods that stay Pending (unscheduled)`,
      'once the manifest is back, the scheduler starts and the pending pods are scheduled and Running',
    ],
    duration: 'about 40 s',
  },
  (d) => {
    let scheduler: ManifestMoveFault;
    let scale: ScaleDeploymentChange;

    before(async () => {
      const fault = stopComponent(d.profile, 'kube-scheduler');
      if (!(fault instanceof ManifestMoveFault)) throw new Error('scheduler-down needs kube-scheduler to run as a static pod');
      scheduler = fault;
      const { namespace, deployment } = requireApp(d);
      scale = new ScaleDeploymentChange(namespace, deployment, { by: EXTRA });
      await d.preflight(scheduler, scale);
    });

    it('the scheduler stops when its manifest leaves the folder', async () => {
      await d.inject(scheduler);
      if (d.skipInDryRun('kube-scheduler stops')) return;
      const bound = d.timings.staticPodStopSeconds;
      const elapsed = await waitForProcess(d.faultContext, componentHost(d.profile), scheduler.process, false, bound * 1000 + 5_000);
      d.expect({ name: 'scheduler stopped', bound: `within ${bound} s of the manifest leaving`, measured: `stopped after ${seconds(elapsed)}`, ok: elapsed <= bound * 1000, seconds: elapsed / 1000, upperSeconds: bound });
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
      await d.restore(scheduler);
      if (d.skipInDryRun('the pending pods are scheduled')) return;
      const running = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `${scale.replicas} pods Running`,
        timeoutMs: 60_000,
        until: (pods) => pods.filter(isRunning).length >= scale.replicas,
        describe: describePods,
      });
      d.expect({ name: 'pods scheduled after restore', bound: 'all Running within 60 s', measured: `${scale.replicas} Running after ${seconds(running.elapsedMs)}`, ok: running.elapsedMs <= 60_000, seconds: running.elapsedMs / 1000, upperSeconds: 60 });
    });
  },
);
