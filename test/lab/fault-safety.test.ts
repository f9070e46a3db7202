// Faults that must not hurt a real cluster, against the lab: a drain refuses what kubectl drain refuses and honours
// PodDisruptionBudgets, a scale restore leaves a count someone else changed, an HPA-scaled deployment is refused,
// etcd-restore checks disk space first and leaves no snapshot and a bounded number of previous data dirs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, AutoscalingV2Api, CoreV1Api, PolicyV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { PreflightError, RestoreError } from '../../src/engine/errors.ts';
import { EtcdSnapshotSave } from '../../src/faults/etcd-snapshot.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { NodeDrainFault } from '../../src/faults/node-drain.ts';
import { restoreUndo } from '../../src/faults/restorers.ts';
import { ScaleDeploymentChange } from '../../src/faults/scale-deployment.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { isRunning, isTerminating } from '../../src/kube/pods.ts';
import { PODS } from '../../src/kube/resources.ts';
import { eventually } from '../../src/probes/eventually.ts';
import { watchObjectSet } from '../../src/probes/object-set-watch.ts';
import { waitForObjects } from '../../src/probes/watch-objects.ts';
import type { ClusterProfile, ProfileHost } from '../../src/profile/profile-schema.ts';
import { SshTransport } from '../../src/transport/ssh-transport.ts';
import { drillCli } from './drill-cli.ts';
import { useLab, type Lab } from './lab-fixture.ts';
import { openssh } from './openssh.ts';

const NS = 'default';
const PAUSE = [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }];

describe('faults that must not hurt a real cluster (lab)', function () {
  this.timeout(300_000);
  let lab: Lab;
  let kube: KubeConfig;
  let transport: SshTransport;
  let worker: string;
  const changes: string[] = [];
  const context = (profile: ClusterProfile = lab.profile): FaultContext => ({
    profile,
    transport,
    kube,
    dryRun: false,
    signal: new AbortController().signal,
    announceApiChange: (verb, object, detail) => changes.push(`${verb} ${object} (${detail})`),
  });
  const core = () => kube.makeApiClient(CoreV1Api);
  const apps = () => kube.makeApiClient(AppsV1Api);
  const cordoned = async (node: string) => (await core().readNode({ name: node })).spec?.unschedulable === true;
  const replicasOf = async (name: string) => (await apps().readNamespacedDeployment({ namespace: NS, name })).spec?.replicas;
  const scale = (name: string, replicas: number) => apps().patchNamespacedDeployment({ namespace: NS, name, body: [{ op: 'replace', path: '/spec/replicas', value: replicas }] });
  const podsOf = (app: string, description: string, until: (pods: V1Pod[]) => boolean) =>
    waitForObjects<V1Pod>({ kubeconfig: kube, type: PODS, namespace: NS, labelSelector: `app=${app}`, description, timeoutMs: 60_000, until, describe: (pods) => `${pods.length} pods` });
  /** A deployment whose pods are placed on `node` by name (as a node-local workload is), so replacements land there too. */
  const pinnedDeployment = (name: string, replicas: number, node: string, emptyDir = false) =>
    apps().createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: { nodeName: node, containers: PAUSE, ...(emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}) },
          },
        },
      },
    });
  const remove = async (what: () => Promise<unknown>) => what().catch((error: { code?: number }) => {
    if (error.code !== 404) throw error;
  });

  before(async () => {
    lab = await useLab();
    kube = loadKubeConfig(lab.kubeconfig);
    transport = new SshTransport(lab.profile.hosts);
    const workers = lab.profile.hosts.filter((host) => host.role === 'worker');
    worker = (workers.at(-1) as ProfileHost).node ?? (workers.at(-1) as ProfileHost).name;
  });

  after(async () => {
    await transport?.close();
  });

  describe('node drain', () => {
    afterEach(async () => {
      await remove(() => core().deleteNamespacedPod({ namespace: NS, name: 'firedrill-bare', gracePeriodSeconds: 0 }));
      await remove(() => apps().deleteNamespacedDeployment({ namespace: NS, name: 'firedrill-scratch' }));
      await remove(() => apps().deleteNamespacedDeployment({ namespace: NS, name: 'firedrill-pdb' }));
      await remove(() => kube.makeApiClient(PolicyV1Api).deleteNamespacedPodDisruptionBudget({ namespace: NS, name: 'firedrill-pdb' }));
      await restoreUndo({ type: 'uncordon', node: worker }, context());
    });

    it('refuses, in preflight and naming them, a bare pod and a pod with emptyDir data, and changes nothing', async () => {
      await core().createNamespacedPod({ namespace: NS, body: { metadata: { name: 'firedrill-bare', labels: { app: 'firedrill-bare' } }, spec: { nodeName: worker, containers: PAUSE } } });
      await pinnedDeployment('firedrill-scratch', 1, worker, true);
      const [scratch] = (await podsOf('firedrill-scratch', 'the emptyDir pod created', (pods) => pods.length === 1)).objects;
      const error = await new NodeDrainFault(worker).preflight(context()).catch((caught: unknown) => caught as Error);
      expect(error).to.be.instanceOf(PreflightError);
      expect(error?.message)
        .to.include(`${worker} runs 2 pod(s) a drain must not evict`)
        .and.to.include(`${NS}/firedrill-bare: no controller would recreate it`)
        .and.to.include(`${NS}/${scratch?.metadata?.name}: its emptyDir volume(s) scratch would be lost`)
        .and.to.include('Nothing was changed');
      expect(await cordoned(worker)).to.equal(false);
      expect((await core().readNamespacedPod({ namespace: NS, name: 'firedrill-bare' })).metadata?.deletionTimestamp).to.equal(undefined);
      // Opting in to losing emptyDir data lifts that refusal only; the bare pod is still refused.
      const optedIn = await new NodeDrainFault(worker, { deleteEmptyDirData: true }).preflight(context()).catch((caught: unknown) => caught as Error);
      expect(optedIn?.message).to.include(`${worker} runs 1 pod(s)`).and.to.include('firedrill-bare').and.not.to.include('emptyDir');
    });

    it('evicts through the Eviction API: a PodDisruptionBudget that allows none fails the drain naming the pod; one that allows one lets them go one by one', async () => {
      await pinnedDeployment('firedrill-pdb', 2, worker);
      const pdbs = kube.makeApiClient(PolicyV1Api);
      await pdbs.createNamespacedPodDisruptionBudget({ namespace: NS, body: { metadata: { name: 'firedrill-pdb' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'firedrill-pdb' } } } } });
      const before = await podsOf('firedrill-pdb', '2 pods Running', (pods) => pods.filter(isRunning).length === 2);
      const originals = before.objects.map((pod) => pod.metadata?.uid);
      await eventually(async () => expect((await pdbs.readNamespacedPodDisruptionBudget({ namespace: NS, name: 'firedrill-pdb' })).status?.expectedPods).to.equal(2), {
        description: 'the disruption controller counts the budget',
        timeoutMs: 30_000,
      });

      const blocked = await new NodeDrainFault(worker, { timeoutMs: 4_000 }).inject(context()).catch((caught: unknown) => caught as Error);
      expect(blocked?.message).to.match(/: 2 of \d+ pod\(s\) not evicted within 4 s/).and.to.include(`pod ${NS}/firedrill-pdb-`).and.to.include('HTTP 429');
      expect(blocked?.message).to.include("Cannot evict pod as it would violate the pod's disruption budget: The disruption budget firedrill-pdb needs 2 healthy pods");
      const still = (await core().listNamespacedPod({ namespace: NS, labelSelector: 'app=firedrill-pdb' })).items;
      expect(still.map((pod) => pod.metadata?.uid).sort()).to.deep.equal([...originals].sort());
      expect(still.some(isTerminating)).to.equal(false);

      // One at a time: the second eviction is refused (429) until the first one's replacement is Running.
      await pdbs.patchNamespacedPodDisruptionBudget({ namespace: NS, name: 'firedrill-pdb', body: [{ op: 'replace', path: '/spec/maxUnavailable', value: 1 }] });
      await eventually(async () => expect((await pdbs.readNamespacedPodDisruptionBudget({ namespace: NS, name: 'firedrill-pdb' })).status?.disruptionsAllowed).to.equal(1), {
        description: 'the budget allows one disruption',
        timeoutMs: 30_000,
      });
      let fewest = Number.POSITIVE_INFINITY;
      const watch = watchObjectSet<V1Pod>(
        { kubeconfig: kube, type: PODS, namespace: NS, labelSelector: 'app=firedrill-pdb', description: 'running pods', describe: (pods) => `${pods.filter(isRunning).length} Running` },
        (pods) => (fewest = Math.min(fewest, pods.filter(isRunning).length)),
      );
      try {
        await new NodeDrainFault(worker, { timeoutMs: 60_000 }).inject(context());
        await podsOf('firedrill-pdb', 'both originals replaced, 2 Running', (pods) => pods.filter(isRunning).length === 2 && !pods.some((pod) => originals.includes(pod.metadata?.uid)));
      } finally {
        watch.stop();
      }
      expect(fewest, 'Running pods while draining').to.equal(1);
    });
  });

  describe('deployment scale', () => {
    let original: number;
    before(async () => {
      original = (await replicasOf('guestbook')) as number;
    });
    afterEach(async () => {
      await remove(() => kube.makeApiClient(AutoscalingV2Api).deleteNamespacedHorizontalPodAutoscaler({ namespace: NS, name: 'firedrill-hpa' }));
      await scale('guestbook', original);
    });

    it('restores the original count when it is still the one the drill set', async () => {
      const change = new ScaleDeploymentChange(NS, 'guestbook', { by: 1 });
      await change.preflight(context());
      await change.inject(context());
      expect(await replicasOf('guestbook')).to.equal(original + 1);
      await restoreUndo(change.undo(), context());
      expect(await replicasOf('guestbook')).to.equal(original);
    });

    it('leaves a count someone else changed meanwhile, and says so', async () => {
      const change = new ScaleDeploymentChange(NS, 'guestbook', { by: 1 });
      await change.preflight(context());
      await change.inject(context());
      await scale('guestbook', original + 3); // a deploy or an operator, during the drill
      changes.length = 0;
      await restoreUndo(change.undo(), context());
      expect(await replicasOf('guestbook')).to.equal(original + 3);
      expect(changes).to.deep.equal([
        `leave deployment/${NS}/guestbook (replicas is now ${original + 3}, not the ${original + 1} this drill set; not restoring to ${original} (someone else changed it))`,
      ]);
    });

    it('refuses in preflight a deployment a HorizontalPodAutoscaler scales, naming it', async () => {
      await kube.makeApiClient(AutoscalingV2Api).createNamespacedHorizontalPodAutoscaler({
        namespace: NS,
        body: {
          metadata: { name: 'firedrill-hpa' },
          spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'guestbook' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
        },
      });
      const error = await new ScaleDeploymentChange(NS, 'guestbook', 1).preflight(context()).catch((caught: unknown) => caught as Error);
      expect(error).to.be.instanceOf(PreflightError);
      expect(error?.message).to.include(`deployment ${NS}/guestbook is scaled by the HorizontalPodAutoscaler ${NS}/firedrill-hpa`).and.to.include('Nothing was changed');
      expect(await replicasOf('guestbook')).to.equal(original);
    });
  });

  describe('etcd-restore', () => {
    const settings = () => lab.profile.etcdSnapshot as NonNullable<ClusterProfile['etcdSnapshot']>;
    const cp = () => lab.profile.hosts.find((host) => host.role === 'control-plane') as ProfileHost;
    const listing = (pattern: string) => openssh(cp(), `for f in ${pattern}; do [ -e "$f" ] && echo "$f"; done; true`).stdout.split('\n').filter(Boolean);

    it('fails preflight when the disk cannot hold the snapshot, the restored data dir and the margin, naming path, need and free space', async () => {
      const before = listing(`${join(settings().dataDir, '..', 'firedrill-backup')}/*.db`);
      const huge = { ...lab.profile, etcdSnapshot: { ...settings(), freeSpaceMarginMiB: 1024 ** 3 } }; // 1 PiB
      const error = await new EtcdSnapshotSave(cp(), huge.etcdSnapshot).preflight(context(huge)).catch((caught: unknown) => caught as Error);
      expect(error).to.be.instanceOf(PreflightError);
      expect(error?.message)
        .to.match(/not enough free disk space on \S+ for a snapshot of the current db \([\d.]+ MiB\) in \S+firedrill-backup and a restored data dir/)
        .and.to.include(`${settings().dataDir}.firedrill-restored`)
        .and.to.include('(etcdSnapshot.freeSpaceMarginMiB)')
        .and.to.match(/needs \d+ MiB, \d+ MiB free/)
        .and.to.include('Nothing was changed');
      expect(listing(`${join(settings().dataDir, '..', 'firedrill-backup')}/*.db`)).to.deep.equal(before);
    });

    it('the snapshot is removed by its restore only while etcd answers; otherwise it is kept and the restore says why', async () => {
      const save = new EtcdSnapshotSave(cp(), settings());
      await save.preflight(context());
      await save.inject(context());
      expect(listing(save.file)).to.deep.equal([save.file]);
      // As seen through an endpoint where no etcd answers: the restore keeps the snapshot and fails, naming it.
      const elsewhere = { ...lab.profile, etcdSnapshot: { ...settings(), endpoint: 'https://127.0.0.1:1' } };
      const error = await restoreUndo(save.undo(), context(elsewhere)).catch((caught: unknown) => caught as Error);
      expect(error).to.be.instanceOf(RestoreError);
      expect(error?.message).to.include(`etcd snapshot ${save.file} on control-plane not removed`).and.to.include('kept: etcd is not healthy').and.to.include(`rm -f -- ${save.file}`);
      expect(listing(save.file)).to.deep.equal([save.file]);
      await restoreUndo(save.undo(), context());
      expect(listing(save.file)).to.deep.equal([]);
      await restoreUndo(save.undo(), context()); // idempotent
    });

    it('end to end, leaves no snapshot and keeps only keepPreviousDataDirs previous data dirs', async () => {
      const dataDir = settings().dataDir;
      // Two data dirs from "earlier runs", older than the one this run replaces.
      openssh(cp(), `mkdir -p ${dataDir}.firedrill-previous-2000-01-01T00-00-00-000Z ${dataDir}.firedrill-previous-2000-01-02T00-00-00-000Z`);
      const file = join(mkdtempSync(join(tmpdir(), 'kfd-profile-')), 'profile.yaml');
      writeFileSync(file, stringify({ ...lab.profile, etcdSnapshot: { ...settings(), keepPreviousDataDirs: 1 } }));
      const result = await drillCli(['--profile', file, 'etcd-restore']);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(listing(`${join(dataDir, '..', 'firedrill-backup')}/*.db`)).to.deep.equal([]);
      const previous = listing(`${dataDir}.firedrill-previous-*`);
      expect(previous).to.have.length(1);
      expect(previous[0]).to.not.include('2000-01-0');
    });
  });
});
