// Drill: back up etcd, change the cluster, restore the backup. The cluster reconciles to the backed-up state.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import {
  ConfigMapChange,
  controlPlaneHosts,
  describePods,
  drill,
  EtcdDataRestoreFault,
  etcdClusterHealth,
  etcdMemberList,
  EtcdSnapshotCopy,
  EtcdSnapshotSave,
  etcdSnapshotSettings,
  eventually,
  isRunning,
  isTerminating,
  kubeConfigOn,
  memberMismatch,
  prunePreviousDataDirs,
  ScaleDeploymentChange,
  stopComponent,
  stopComponentEverywhere,
  stopComponentOn,
  TogetherFault,
  waitForApi,
  waitForObjects,
  waitForProcess,
  type Fault,
  type RestoredCluster,
} from '../src/index.ts';
import { appPods, requireApp, seconds } from './app.ts';
import { processOn, restoredMembers, type RestoredMember } from './etcd-restore-members.ts';

const CANARY = 'firedrill-etcd-restore-canary';

drill(
  {
    name: 'etcd-restore',
    title: 'etcd restore: the cluster goes back to the backup',
    teaches:
      'An etcd snapshot is the whole cluster state. Restoring it (API servers and etcd stopped, data dir replaced) rolls every object back to the moment of the backup: what was created since is gone, what was changed is undone, and the controllers reconcile the running workload to match. ' +
      'On an HA control plane every member is restored from the same snapshot as one new cluster (etcd’s multi-member recovery), never one member beside the others.',
    faults: [
      'etcd snapshot saved on the first control-plane host (free disk space checked first on every member’s host); on HA, copied to every other member’s host; every copy is removed once the restore is verified',
      'a ConfigMap created and the app scaled up after the backup',
      'every API server and every etcd member stopped, each member’s data replaced by the snapshot (on HA with the full --initial-cluster and one new cluster token), etcd and the API servers started again, the controller-managers, schedulers and every kubelet restarted',
    ],
    expected: [
      'on HA: etcdctl endpoint health --cluster is healthy after the restore',
      'the ConfigMap created after the backup no longer exists, and the app is back to its backed-up replica count (on HA, asked of each API server directly as well as through the load balancer)',
      'that many pods Running',
    ],
    duration: 'about 1 minute (2 on HA)',
    // Rolls every object back to the backup: whatever else changed in the cluster meanwhile is lost too.
    destructive: true,
    topologies: ['single-control-plane', 'ha-control-plane'],
  },
  (d) => {
    let members: RestoredMember[];
    let snapshot: EtcdSnapshotSave;
    let copies: EtcdSnapshotCopy[];
    let original: number;
    let scale: ScaleDeploymentChange;
    let canary: ConfigMapChange;
    let apiservers: Fault[];
    let etcd: Fault;
    const ha = () => members.length > 1;
    /** The snapshot's path on a member's host. */
    const snapshotOn = (member: RestoredMember) => copies.find((copy) => copy.host.name === member.host.name)?.file ?? snapshot.file;

    before(async () => {
      const { namespace, deployment } = requireApp(d);
      members = restoredMembers(d);
      const [first, ...others] = members as [RestoredMember, ...RestoredMember[]];
      snapshot = new EtcdSnapshotSave(first.host, etcdSnapshotSettings(d.profile));
      copies = others.map((member) => new EtcdSnapshotCopy(snapshot.host, snapshot.file, member.host, member.settings));
      scale = new ScaleDeploymentChange(namespace, deployment, { by: 1 });
      canary = new ConfigMapChange(namespace, CANARY, { createdBy: 'kube-firedrill etcd-restore', note: 'created after the backup; the restore removes it' });
      // Started again together once etcd is back.
      apiservers = ha() ? [new TogetherFault('stop every API server', stopComponentEverywhere(d.profile, 'kube-apiserver'))] : [stopComponent(d.profile, 'kube-apiserver')];
      // Members come back healthy only with a quorum: on HA they are stopped as one fault and started together.
      etcd = ha() ? new TogetherFault('stop every etcd member', members.map((member) => stopComponentOn(d.profile, 'etcd', member.host))) : stopComponent(d.profile, 'etcd');
      await d.preflight(snapshot, ...copies, scale, canary, ...apiservers, etcd);
      original = scale.originalReplicas;
      if (d.dryRun) return;
      // Restoring the wrong set of members would leave two clusters: etcd itself must list exactly these.
      const listed = await etcdMemberList(d.faultContext, d.profile, first.host);
      const mismatch = memberMismatch(listed, members.map((member) => ({ name: member.settings.memberName, peerUrl: member.settings.peerUrl })));
      if (mismatch) throw new Error(`${mismatch}: refusing to restore (etcdSnapshot.members${ha() ? '' : ', memberName and peerUrl'} must name every member)`);
      d.observe('etcd', `members: ${listed.map((member) => member.name).join(', ')}`);
    });

    it('backs up etcd, then changes the cluster', async () => {
      await d.inject(snapshot);
      d.observe('etcd', `snapshot saved to ${snapshot.file} on ${snapshot.host.name}`);
      for (const copy of copies) {
        await d.inject(copy);
        d.observe('etcd', `snapshot copied to ${copy.file} on ${copy.host.name}`);
      }
      await d.inject(canary);
      await d.inject(scale);
    });

    it('restores the snapshot with the API servers and etcd stopped', async () => {
      const cluster: RestoredCluster | undefined = ha()
        ? { members: members.map((member) => ({ name: member.settings.memberName, peerUrl: member.settings.peerUrl })), token: `kube-firedrill-restore-${randomUUID().slice(0, 8)}` }
        : undefined;
      const data = members.map((member) => new EtcdDataRestoreFault(member.host, member.settings, snapshotOn(member), cluster));
      await d.preflight(...data);
      for (const apiserver of apiservers) await d.inject(apiserver);
      await d.inject(etcd);
      if (!d.dryRun) {
        // A static pod stops a little after its manifest leaves: no data dir is swapped under a running etcd.
        const within = d.timings.staticPodStopSeconds * 1000 + 10_000;
        await Promise.all(members.flatMap((member) => [waitForProcess(d.faultContext, member.host, member.process, false, within), waitForProcess(d.faultContext, member.host, processOn(d, member.host, 'kube-apiserver'), false, within)]));
      }
      // Every member's data is restored aside before any live data dir is swapped.
      for (const fault of data) await fault.prepare(d.faultContext);
      for (const fault of data) await d.inject(fault);
      if (cluster) d.observe('etcd', `restored ${members.length} members as one new cluster (token ${cluster.token}): ${cluster.members.map((member) => `${member.name}=${member.peerUrl}`).join(',')}`);
      const started = performance.now();
      await d.restore(etcd);
      if (ha() && !d.skipInDryRun('etcdctl endpoint health --cluster')) {
        const health = await eventually(
          async () => {
            const seen = await etcdClusterHealth(d.faultContext, d.profile, members[0]!.host);
            if (!seen.healthy) throw new Error(seen.lines.join('; '));
            return seen;
          },
          { description: 'etcdctl endpoint health --cluster', timeoutMs: 60_000, intervalMs: 500, maxIntervalMs: 2_000, signal: d.signal },
        );
        const elapsed = performance.now() - started;
        d.expect({
          name: 'etcd cluster healthy after restore',
          bound: `endpoint health --cluster: all ${members.length} members healthy within 60 s of the start`,
          measured: `${health.value.lines.length} line(s), healthy after ${seconds(elapsed)}: ${health.value.lines.join('; ')}`,
          ok: health.value.lines.filter((line) => /is healthy/.test(line)).length === members.length && elapsed <= 60_000,
          seconds: elapsed / 1000,
          upperSeconds: 60,
        });
      }
      for (const apiserver of [...apiservers].reverse()) await d.restore(apiserver);
      if (d.skipInDryRun('the API server answers again')) return;
      const up = await waitForApi(d.target.kube, 'up', 120_000, d.signal);
      d.expect({ name: 'API back after restore', bound: 'within 120 s', measured: `answering after ${seconds(up.elapsedMs)}`, ok: up.elapsedMs <= 120_000, seconds: up.elapsedMs / 1000, upperSeconds: 120 });
      // The restore is verified (etcd serves the restored data to an answering API): the snapshots and older data dirs can go.
      await d.restore(snapshot);
      for (const copy of copies) await d.restore(copy);
      for (const member of members) {
        const pruned = await prunePreviousDataDirs(d.faultContext, member.host, member.settings);
        d.observe('etcd', `${member.host.name}: snapshot ${snapshotOn(member)} removed; previous data dirs kept: ${member.settings.keepPreviousDataDirs}${pruned.length ? `, removed: ${pruned.join(', ')}` : ''}`);
      }
      // As the etcd restore procedure says: restart the controllers and the kubelets, whose caches hold the newer state.
      // Each instance stopped, then all started at once (each restore waits for a new process answering its health).
      const restarts = new TogetherFault('restart every controller-manager and scheduler', [
        ...stopComponentEverywhere(d.profile, 'kube-controller-manager'),
        ...stopComponentEverywhere(d.profile, 'kube-scheduler'),
      ]);
      await d.preflight(restarts);
      await d.inject(restarts);
      await d.restore(restarts);
      const unit = d.profile.components.kubelet.unit;
      await Promise.all(d.profile.hosts.map((host) => d.target.transport.check(host, ['systemctl', 'restart', '--', unit], { signal: d.signal })));
      d.observe('kubelet', `restarted ${unit} on ${d.profile.hosts.map((host) => host.name).join(', ')}`);
    });

    it('the cluster is back to the backed-up state', async () => {
      if (d.skipInDryRun('the cluster reconciles')) return;
      const { namespace, deployment } = requireApp(d);
      // On HA each API server is asked directly too: one still serving newer data would hide behind the balancer.
      const servers: { where: string; kube: KubeConfig }[] = [{ where: 'through the kubeconfig', kube: d.target.kube }];
      if (ha()) for (const host of controlPlaneHosts(d.profile)) servers.push({ where: `${host.name}'s API server`, kube: kubeConfigOn(d.profile, host, d.target.kube) });
      const seen = await Promise.all(
        servers.map(async ({ where, kube }) => {
          await waitForApi(kube, 'up', 60_000, d.signal);
          const gone = await kube
            .makeApiClient(CoreV1Api)
            .readNamespacedConfigMap({ namespace, name: CANARY })
            .then(() => false, (error: { code?: number }) => error.code === 404);
          const replicas = (await kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: deployment })).spec?.replicas;
          return { where, gone, replicas };
        }),
      );
      const stale = seen.filter((one) => !one.gone);
      d.expect({
        name: 'changes after the backup are gone',
        bound: `ConfigMap ${CANARY} does not exist (${seen.map((one) => one.where).join(', ')})`,
        measured: stale.length ? `it still exists ${stale.map((one) => one.where).join(', ')}` : `it does not exist (asked ${seen.length} time(s))`,
        ok: stale.length === 0,
      });
      const off = seen.filter((one) => one.replicas !== original);
      d.expect({
        name: 'deployment as backed up',
        bound: `spec.replicas ${original} (${seen.map((one) => one.where).join(', ')})`,
        measured: seen.map((one) => `${one.where}: spec.replicas ${one.replicas}`).join('; '),
        ok: off.length === 0,
      });
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
