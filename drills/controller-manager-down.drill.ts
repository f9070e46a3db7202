// Drill: the controller-manager is down. Desired state is stored but nothing reconciles it until it returns.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { describePods, drill, holdsFor, isTerminating, ManifestMoveFault, podName, ScaleDeploymentChange, waitForObjects, isRunning } from '../src/index.ts';
import { currentHolder, expectLeaderAgain, manifestFaultsEverywhere, stopAll } from './all-instances.ts';
import { appPods, requireApp, seconds } from './app.ts';

/** How long "nothing happens" must hold to count. */
const HOLD_MS = 8_000;
/** The controllers catch up once back: the ReplicaSet deletes the extra pods; none starts, so this is not a pod start. */
const RECONCILED_WITHIN_S = 60;

const live = (pods: V1Pod[]) => pods.filter((pod) => !isTerminating(pod));

drill(
  {
    name: 'controller-manager-down',
    title: 'Controller-manager down: nothing reconciles',
    teaches:
      'Controllers turn desired state into actual state. With the controller-manager down the API still accepts changes (scale a deployment, delete a pod) but no ReplicaSet acts on them; when it returns, it catches up. On an HA control plane every instance is stopped: a standby would otherwise take over.',
    faults: ['kube-controller-manager static-pod manifest moved out of the manifests folder, on every control-plane host'],
    expected: [
      'the kube-controller-manager process stops on every control-plane host',
      'scaling the app down to 1 removes no pod',
      'a pod deleted by hand is not replaced',
      'once the manifests are back (on HA: an instance takes the kube-controller-manager Lease), the desired count is reached',
    ],
    duration: 'about 45 s',
    topologies: ['single-control-plane', 'ha-control-plane'],
  },
  (d) => {
    let managers: ManifestMoveFault[];
    let scaleDown: ScaleDeploymentChange;
    let count: number;

    before(async () => {
      managers = manifestFaultsEverywhere(d, 'kube-controller-manager');
      const { namespace, deployment } = requireApp(d);
      scaleDown = new ScaleDeploymentChange(namespace, deployment, 1);
      await d.preflight(...managers, scaleDown);
    });

    it('the controller-manager stops when its manifest leaves the folder', async () => {
      await stopAll(d, managers, 'kube-controller-manager');
    });

    it('scaling down removes no pod', async () => {
      await d.inject(scaleDown);
      if (d.skipInDryRun('no pod is removed')) return;
      count = scaleDown.originalReplicas;
      const holdStarted = Date.now();
      const last = await holdsFor<V1Pod>({
        ...appPods(d),
        description: `the app keeps its ${count} pods although it was scaled to 1`,
        durationMs: HOLD_MS,
        holds: (pods) => live(pods).length === count,
        describe: describePods,
      });
      const held = Date.now() - holdStarted;
      d.expect({ name: 'scale-down not reconciled', bound: `${count} pods stay for ${HOLD_MS / 1000} s`, measured: `${last}, held ${seconds(held)}`, ok: held >= HOLD_MS });
    });

    it('a pod deleted by hand is not replaced', async () => {
      if (d.skipInDryRun('a deleted pod is not replaced')) return;
      const { namespace, selector } = requireApp(d);
      const core = d.target.kube.makeApiClient(CoreV1Api);
      const victim = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.find((pod) => !isTerminating(pod));
      if (!victim) throw new Error('no pod to delete');
      d.faultContext.announceApiChange('delete', `pod/${namespace}/${podName(victim)}`, 'by hand, while the controller-manager is down');
      await core.deleteNamespacedPod({ namespace, name: podName(victim) });
      await waitForObjects<V1Pod>({ ...appPods(d), description: `${podName(victim)} gone`, timeoutMs: 30_000, until: (pods) => !pods.some((pod) => podName(pod) === podName(victim)), describe: describePods });
      const holdStarted = Date.now();
      const last = await holdsFor<V1Pod>({
        ...appPods(d),
        description: 'nothing replaces the deleted pod',
        durationMs: HOLD_MS,
        holds: (pods) => live(pods).length === count - 1,
        describe: describePods,
      });
      const held = Date.now() - holdStarted;
      d.expect({ name: 'deleted pod not replaced', bound: `${count - 1} pods for ${HOLD_MS / 1000} s`, measured: `${last}, held ${seconds(held)}`, ok: held >= HOLD_MS });
    });

    it('after the restore the desired count is reached', async () => {
      // Read now, with every instance down: the last leader (or nobody, if it released the Lease).
      const lastLeader = await currentHolder(d, 'kube-controller-manager');
      for (const manager of managers) await d.restore(manager);
      if (d.skipInDryRun('the desired count is reached')) return;
      await expectLeaderAgain(d, 'kube-controller-manager', lastLeader);
      const reached = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `${scaleDown.replicas} pod Running and no other`,
        timeoutMs: RECONCILED_WITHIN_S * 1000 + 10_000,
        until: (pods) => live(pods).length === scaleDown.replicas && pods.filter(isRunning).length === scaleDown.replicas,
        describe: describePods,
      });
      d.expect({ name: 'reconciled after restore', bound: `desired count within ${RECONCILED_WITHIN_S} s`, measured: `${scaleDown.replicas} pod after ${seconds(reached.elapsedMs)}`, ok: reached.elapsedMs <= RECONCILED_WITHIN_S * 1000, seconds: reached.elapsedMs / 1000, upperSeconds: RECONCILED_WITHIN_S });
    });
  },
);
