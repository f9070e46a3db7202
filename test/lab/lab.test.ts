// The lab, end to end: a real control plane, kwok nodes, real sshd hosts, and the faults drills rely on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { apiGet, loadKubeConfig } from '../../src/kube/kube-config.ts';
import { describePods, isRunning, isUnscheduled } from '../../src/kube/pods.ts';
import { NODES, PODS } from '../../src/kube/resources.ts';
import { ensureBinaries } from '../../src/lab/binaries.ts';
import { waitForApi } from '../../src/probes/api-availability.ts';
import { eventually } from '../../src/probes/eventually.ts';
import { holdsFor } from '../../src/probes/holds-for.ts';
import { waitForObjects } from '../../src/probes/watch-objects.ts';
import { isNodeReady, waitForSteadyState } from '../../src/engine/steady-state.ts';
import type { ProfileHost } from '../../src/profile/profile-schema.ts';
import { useLab, type Lab } from './lab-fixture.ts';
import { openssh } from './openssh.ts';

describe('lab', function () {
  this.timeout(180_000);
  let lab: Lab;
  let cp: ProfileHost;
  const run = (host: ProfileHost, command: string) => {
    const result = openssh(host, command);
    expect(result.code, `${command} on ${host.name}: ${result.stderr}`).to.equal(0);
    return result.stdout.trim();
  };
  const pgrep = (name: string) => openssh(cp, `pgrep -x ${name}`).stdout.trim();
  const manifest = (name: string) => {
    const component = lab.profile.components[name as 'kube-scheduler'];
    if (component.kind !== 'static-pod') throw new Error(`${name} is not a static pod`);
    return component.manifest;
  };

  before(async () => {
    lab = await useLab();
    cp = lab.profile.hosts.find((host) => host.role === 'control-plane') as ProfileHost;
  });

  it('has every node Ready (control plane tainted) and /readyz ok', async () => {
    const kube = loadKubeConfig(lab.kubeconfig);
    expect((await apiGet(kube, '/readyz')).status).to.equal(200);
    const nodes = (await kube.makeApiClient(CoreV1Api).listNode()).items;
    expect(nodes.map((node) => node.metadata?.name).sort()).to.deep.equal(lab.profile.hosts.map((host) => host.name).sort());
    expect(nodes.every(isNodeReady)).to.equal(true);
    const controlPlane = nodes.find((node) => node.metadata?.name === cp.name);
    expect(controlPlane?.spec?.taints?.map((taint) => taint.key)).to.include('node-role.kubernetes.io/control-plane');
  });

  it('reports the real, stamped Kubernetes version through kubectl', async () => {
    const binaries = await ensureBinaries(() => {});
    const version = JSON.parse(execFileSync(binaries.kubectl, ['--kubeconfig', lab.kubeconfig, 'version', '-o', 'json'], { encoding: 'utf8' })) as {
      serverVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).to.equal('v1.34.4');
  });

  it('runs guestbook 3/3 with a load balancer that answers', async () => {
    const kube = loadKubeConfig(lab.kubeconfig);
    const deployment = await kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: 'default', name: 'guestbook' });
    expect(deployment.status?.availableReplicas).to.equal(3);
    const response = await fetch(lab.profile.app?.endpoint ?? '');
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { servedBy: { pod: string } }).servedBy.pod).to.match(/^guestbook-/);
  });

  it('lets SSH in to every host with host-key checking, and refuses a wrong known_hosts', () => {
    for (const host of lab.profile.hosts) expect(run(host, 'printenv LAB_HOST')).to.equal(host.name);
    const dir = mkdtempSync(join(tmpdir(), 'kfd-known-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other')]);
    const otherKey = execFileSync('cat', [join(dir, 'other.pub')], { encoding: 'utf8' }).split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), `[${cp.address}]:${cp.port} ${otherKey}\n`);
    const refused = openssh(cp, 'true', join(dir, 'known_hosts'));
    expect(refused.code).to.equal(255);
    expect(refused.stderr).to.match(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('answers systemctl and sudo on every host like a real node', () => {
    expect(run(cp, 'sudo -n systemctl is-active etcd kubelet')).to.equal('active\nactive');
    expect(run(cp, 'systemctl show -p LoadState --value etcd')).to.equal('loaded');
    expect(openssh(cp, 'systemctl show -p LoadState --value nosuchunit').stdout.trim()).to.equal('not-found');
    const worker = lab.profile.hosts.find((host) => host.role === 'worker') as ProfileHost;
    expect(run(worker, 'sudo -n systemctl is-active kubelet')).to.equal('active');
    expect(openssh(worker, 'systemctl is-active etcd').code).to.equal(3);
  });

  it('stops the scheduler within 2 s of its manifest leaving; scaled-up pods stay Pending until it returns', async () => {
    const kube = loadKubeConfig(lab.kubeconfig);
    const path = manifest('kube-scheduler');
    expect(pgrep('kube-scheduler')).to.not.equal('');
    run(cp, `sudo -n mv ${path} /tmp/kube-scheduler.yaml`);
    const movedAt = Date.now();
    try {
      await eventually(async () => expect(pgrep('kube-scheduler')).to.equal(''), { description: 'kube-scheduler gone', timeoutMs: 5_000, intervalMs: 50 });
      expect(Date.now() - movedAt).to.be.below(2_500);
      await scale(kube, 5);
      const pending = await waitForObjects<V1Pod>({
        kubeconfig: kube, type: PODS, namespace: 'default', labelSelector: 'app=guestbook', description: '2 unscheduled pods', timeoutMs: 20_000,
        until: (pods) => pods.filter(isUnscheduled).length === 2, describe: describePods,
      });
      expect(pending.objects.filter(isUnscheduled)).to.have.length(2);
      await holdsFor<V1Pod>({
        kubeconfig: kube, type: PODS, namespace: 'default', labelSelector: 'app=guestbook', description: '2 pods stay unscheduled', durationMs: 3_000,
        holds: (pods) => pods.filter(isUnscheduled).length === 2, describe: describePods,
      });
    } finally {
      run(cp, `sudo -n mv /tmp/kube-scheduler.yaml ${path}`);
    }
    await waitForObjects<V1Pod>({
      kubeconfig: kube, type: PODS, namespace: 'default', labelSelector: 'app=guestbook', description: '5 Running', timeoutMs: 60_000,
      until: (pods) => pods.filter(isRunning).length === 5, describe: describePods,
    });
    await scale(kube, 3);
  });

  it('restarts the apiserver by itself after its process is killed', async () => {
    const kube = loadKubeConfig(lab.kubeconfig);
    const before = pgrep('kube-apiserver');
    run(cp, 'sudo -n pkill -KILL -x kube-apiserver');
    await waitForApi(kube, 'down', 10_000);
    await waitForApi(kube, 'up', 60_000);
    expect(pgrep('kube-apiserver')).to.not.equal(before);
  });

  it('fails API calls while etcd is stopped and recovers when it starts', async () => {
    const kube = loadKubeConfig(lab.kubeconfig);
    run(cp, 'sudo -n systemctl stop etcd');
    try {
      expect(openssh(cp, 'systemctl is-active etcd').stdout.trim()).to.equal('inactive');
      await waitForApi(kube, 'down', 30_000);
      // Without etcd the API server holds a request until its own timeout; give up after 5 s.
      const list = await apiGet(kube, '/api/v1/namespaces/default/pods', AbortSignal.timeout(5_000)).catch((error: Error) => ({ status: 0, body: error.message }));
      expect(list.status, `a list request while etcd is down: ${list.body.slice(0, 200)}`).to.not.equal(200);
    } finally {
      run(cp, 'sudo -n systemctl start etcd');
    }
    await waitForApi(kube, 'up', 60_000);
  });

  it('marks a worker NotReady within the grace period plus a margin once its kubelet stops, Ready once it starts', async () => {
    const kube = loadKubeConfig(lab.kubeconfig);
    const worker = lab.profile.hosts.find((host) => host.role === 'worker') as ProfileHost;
    const { nodeMonitorGracePeriodSeconds: grace, nodeMonitorPeriodSeconds: period, nodeLeaseDurationSeconds: lease } = lab.profile.timings;
    const node = (ready: boolean) => ({
      kubeconfig: kube, type: NODES, fieldSelector: `metadata.name=${worker.name}`, description: `${worker.name} ${ready ? 'Ready' : 'NotReady'}`,
      until: ([seen]: V1Node[]) => !!seen && isNodeReady(seen) === ready, describe: ([seen]: V1Node[]) => String(seen && isNodeReady(seen)),
    });
    // Start from a steady state: an earlier test's etcd outage leaves Leases stale for a moment.
    await waitForSteadyState({ kube, profile: lab.profile }, 60_000);
    const stoppedAt = Date.now();
    run(worker, 'sudo -n systemctl stop kubelet');
    try {
      const notReady = await waitForObjects<V1Node>({ ...node(false), timeoutMs: (grace + 30) * 1000 });
      const seconds = (notReady.at.getTime() - stoppedAt) / 1000;
      // The last heartbeat came at most a renew interval (a quarter of the lease) before the stop.
      expect(seconds).to.be.within(grace - lease / 4 - 0.5, grace + period + 3);
    } finally {
      run(worker, 'sudo -n systemctl start kubelet');
    }
    await waitForObjects<V1Node>({ ...node(true), timeoutMs: 60_000 });
  });
});

async function scale(kube: ReturnType<typeof loadKubeConfig>, replicas: number): Promise<void> {
  await kube
    .makeApiClient(AppsV1Api)
    .patchNamespacedDeployment({ namespace: 'default', name: 'guestbook', body: { spec: { replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}
