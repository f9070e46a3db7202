// The HA lab (3 control planes, stacked etcd as static pods, leader election, HAProxy) and the drills that are right
// on it, end to end; drills that are not are refused before any fault.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { expect } from 'chai';
import { apiGet, loadKubeConfig } from '../../src/kube/kube-config.ts';
import { labPaths } from '../../src/lab/lab-paths.ts';
import { eventually } from '../../src/probes/eventually.ts';
import { loadProfile } from '../../src/profile/load-profile.ts';
import type { ClusterProfile, ProfileHost } from '../../src/profile/profile-schema.ts';
import { drillCli } from './drill-cli.ts';
import { lab } from './lab-cli.ts';
import { openssh } from './openssh.ts';

const SUBNET = '127.0.60';

describe('HA lab', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'kfd-ha-'));
  const journalDir = mkdtempSync(join(tmpdir(), 'kfd-ha-journal-'));
  const args = (command: string, ...more: string[]) => [command, '--dir', dir, '--subnet', SUBNET, ...more];
  let profile: ClusterProfile;
  let cps: ProfileHost[];
  const paths = labPaths(dir);
  const drill = (...names: string[]) => drillCli(['--profile', paths.profile, ...names], { FIREDRILL_JOURNAL_DIR: journalDir });

  before(async () => {
    const up = await lab(args('up', '--nodes', '2', '--control-planes', '3', '--etcd', 'static-pod'));
    expect(up.code, up.stderr).to.equal(0);
    profile = loadProfile(paths.profile);
    cps = profile.hosts.filter((host) => host.role === 'control-plane');
  });

  after(async () => {
    await lab(args('down'));
  });

  it('runs 3 etcd members as static pods with one leader, and reports the Lease holders', async () => {
    expect(cps.map((host) => host.name)).to.deep.equal(['control-plane-1', 'control-plane-2', 'control-plane-3']);
    expect(profile.components.etcd).to.include({ kind: 'static-pod', process: 'etcd' });
    expect(profile.etcdSnapshot?.members).to.have.length(3);
    for (const host of cps) expect(openssh(host, 'pgrep -x etcd').stdout.trim().split('\n')).to.have.length(1);
    const status = await eventually(
      async () => {
        const result = await lab(args('status'));
        expect(result.stdout.match(/ healthy/g)).to.have.length(3);
        expect(result.stdout.match(/, leader/g)).to.have.length(1);
        expect(result.stdout).to.match(/Lease kube-system\/kube-scheduler: held by control-plane-\d_/);
        return result.stdout;
      },
      { description: 'etcd healthy with a leader, and the Leases held', timeoutMs: 30_000 },
    );
    expect(status.value).to.match(/Lease kube-system\/kube-controller-manager: held by control-plane-\d_/);
  });

  it('puts HAProxy in front of the API servers, and routes around one that is gone', async () => {
    const kube = loadKubeConfig(paths.kubeconfig);
    expect(kube.getCurrentCluster()?.server).to.equal(`https://${SUBNET}.6:6443`);
    const [, second] = cps;
    if (!second) throw new Error('no second control plane');
    const manifest = profile.components['kube-apiserver'];
    if (manifest.kind !== 'static-pod') throw new Error('kube-apiserver is not a static pod');
    const own = manifest.manifest.replace(cps[0]?.name ?? '', second.name);
    expect(openssh(second, `mv ${own} /tmp/kfd-ha-apiserver.yaml`).code).to.equal(0);
    try {
      await eventually(async () => expect(openssh(second, 'pgrep -x kube-apiserver').code).to.equal(1), { description: 'the API server on control-plane-2 gone', timeoutMs: 15_000 });
      // Once the health checks took it out (2 failures 1 s apart), every request through the balancer succeeds.
      await eventually(
        async () => {
          for (let attempt = 0; attempt < 20; attempt++) expect((await apiGet(kube, '/readyz')).status).to.equal(200);
        },
        { description: '20 requests in a row answered through the load balancer', timeoutMs: 15_000 },
      );
    } finally {
      openssh(second, `mv /tmp/kfd-ha-apiserver.yaml ${own}`);
    }
    await eventually(async () => expect((await apiGet(kube, '/readyz')).status).to.equal(200), { description: 'API ready', timeoutMs: 30_000 });
  });

  it('refuses a single-control-plane drill before any fault, naming the topology', async () => {
    const leases = loadKubeConfig(paths.kubeconfig).makeApiClient(CoordinationV1Api);
    const before = (await leases.readNamespacedLease({ name: 'kube-scheduler', namespace: 'kube-system' })).spec?.holderIdentity;
    const result = await drill('scheduler-down');
    expect(result.code).to.equal(1);
    expect(result.stdout + result.stderr).to.include('drill scheduler-down supports single-control-plane only, and this cluster is ha-control-plane');
    expect(result.stdout + result.stderr).to.include('3 control-plane host(s) in the profile');
    const schedulerManifest = profile.components['kube-scheduler'];
    if (schedulerManifest.kind === 'static-pod') expect(existsSync(schedulerManifest.manifest)).to.equal(true);
    const after = (await leases.readNamespacedLease({ name: 'kube-scheduler', namespace: 'kube-system' })).spec?.holderIdentity;
    expect(after).to.equal(before);
  });

  it('runs the drills that are right on HA: kubelet-stopped and node-drain', async () => {
    const result = await drill('kubelet-stopped', 'node-drain');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Fire drill verdict: PASSED/);
    expect(result.stdout).to.match(/kubelet-stopped\s+passed/).and.match(/node-drain\s+passed/);
  });
});
