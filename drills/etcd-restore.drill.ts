// Drill: back up etcd, change the cluster, restore the backup. The cluster reconciles to the backed-up state.
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import {
  componentHost,
  ConfigMapChange,
  describePods,
  drill,
  EtcdDataRestoreFault,
  EtcdSnapshotSave,
  etcdSnapshotSettings,
  isRunning,
  isTerminating,
  prunePreviousDataDirs,
  ScaleDeploymentChange,
  stopComponent,
  waitForApi,
  waitForObjects,
  type Fault,
} from '../src/index.ts';
import { appPods, requireApp, seconds } from './app.ts';

const CANARY = 'firedrill-etcd-restore-canary';

drill(
  {
    name: 'etcd-restore',
    title: 'etcd restore: the cluster goes back to the backup',
    teaches:
      'An etcd snapshot is the whole cluster state. Restoring it (API server and etcd stopped, data dir replaced) rolls every object back to the moment of the backup: what was created since is gone, what was changed is undone, and the controllers reconcile the running workload to match.',
    faults: [
      'etcd snapshot saved (free disk space checked first; the snapshot is removed once the restore is verified)',
      'a ConfigMap created and the app scaled up after the backup',
      'API server and etcd stopped, etcd data replaced by the snapshot, both started again, every kubelet restarted',
    ],
    expected: [
      'the ConfigMap created after the backup no longer exists',
      'the app is back to its backed-up replica count, with that many pods Running',
      'every node is Ready again',
    ],
    duration: 'about 1 minute',
    // Rolls every object back to the backup: whatever else changed in the cluster meanwhile is lost too.
    destructive: true,
  },
  (d) => {
    let snapshot: EtcdSnapshotSave;
    let original: number;
    let scale: ScaleDeploymentChange;
    let canary: ConfigMapChange;
    let apiserver: Fault;
    let etcd: Fault;

    before(async () => {
      const { namespace, deployment } = requireApp(d);
      snapshot = new EtcdSnapshotSave(componentHost(d.profile), etcdSnapshotSettings(d.profile));
      scale = new ScaleDeploymentChange(namespace, deployment, { by: 1 });
      canary = new ConfigMapChange(namespace, CANARY, { createdBy: 'kube-firedrill etcd-restore', note: 'created after the backup; the restore removes it' });
      apiserver = stopComponent(d.profile, 'kube-apiserver');
      etcd = stopComponent(d.profile, 'etcd');
      await d.preflight(snapshot, scale, canary, apiserver, etcd);
      original = scale.originalReplicas;
    });

    it('backs up etcd, then changes the cluster', async () => {
      await d.inject(snapshot);
      d.observe('etcd', `snapshot saved to ${snapshot.file} on ${snapshot.host.name}`);
      await d.inject(canary);
      await d.inject(scale);
    });

    it('restores the snapshot with the API server and etcd stopped', async () => {
      const data = new EtcdDataRestoreFault(componentHost(d.profile), etcdSnapshotSettings(d.profile), snapshot.file);
      await d.preflight(data);
      await d.inject(apiserver);
      await d.inject(etcd);
      await d.inject(data);
      await d.restore(etcd);
      await d.restore(apiserver);
      if (d.skipInDryRun('the API server answers again')) return;
      const up = await waitForApi(d.target.kube, 'up', 120_000, d.signal);
      d.expect({ name: 'API back after restore', bound: 'within 120 s', measured: `answering after ${seconds(up.elapsedMs)}`, ok: up.elapsedMs <= 120_000, seconds: up.elapsedMs / 1000, upperSeconds: 120 });
      // The restore is verified (etcd serves the restored data to an answering API): the snapshot and older data dirs can go.
      await d.restore(snapshot);
      const pruned = await prunePreviousDataDirs(d.faultContext, snapshot.host, snapshot.settings);
      d.observe('etcd', `snapshot ${snapshot.file} removed; previous data dirs kept: ${snapshot.settings.keepPreviousDataDirs}${pruned.length ? `, removed: ${pruned.join(', ')}` : ''}`);
      // As the etcd restore procedure says: restart the controllers and the kubelets, whose caches hold the newer state.
      const restarts = [stopComponent(d.profile, 'kube-controller-manager'), stopComponent(d.profile, 'kube-scheduler')];
      await d.preflight(...restarts);
      for (const restart of restarts) await d.inject(restart);
      for (const restart of restarts) await d.restore(restart);
      const unit = d.profile.components.kubelet.unit;
      await Promise.all(d.profile.hosts.map((host) => d.target.transport.check(host, ['systemctl', 'restart', '--', unit], { signal: d.signal })));
      d.observe('kubelet', `restarted ${unit} on ${d.profile.hosts.map((host) => host.name).join(', ')}`);
    });

    it('the cluster is back to the backed-up state', async () => {
      if (d.skipInDryRun('the cluster reconciles')) return;
      const { namespace, deployment } = requireApp(d);
      const gone = await d.target.kube
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ namespace, name: CANARY })
        .then(() => false, (error: { code?: number }) => error.code === 404);
      d.expect({ name: 'changes after the backup are gone', bound: `ConfigMap ${CANARY} does not exist`, measured: gone ? 'it does not exist' : 'it still exists', ok: gone });
      const replicas = (await d.target.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: deployment })).spec?.replicas;
      d.expect({ name: 'deployment as backed up', bound: `spec.replicas ${original}`, measured: `spec.replicas ${replicas}`, ok: replicas === original });
      const reconciled = await waitForObjects<V1Pod>({
        ...appPods(d),
        description: `${original} pods Running and no extra`,
        timeoutMs: 120_000,
        until: (pods) => pods.filter(isRunning).length === original && pods.filter((pod) => !isTerminating(pod)).length === original,
        describe: describePods,
      });
      d.expect({ name: 'workload reconciled', bound: `${original} pods Running within 120 s`, measured: `after ${seconds(reconciled.elapsedMs)}`, ok: reconciled.elapsedMs <= 120_000, seconds: reconciled.elapsedMs / 1000, upperSeconds: 120 });
    });
  },
);
