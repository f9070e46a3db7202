// The HA lab (3 control planes, stacked etcd as static pods, leader election, HAProxy) and the drills that are right
// on it, end to end; drills that are not are refused before any fault.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { apiGet, loadKubeConfig } from '../../src/kube/kube-config.ts';
import { backupPath } from '../../src/faults/manifest-move.ts';
import { waitForSteadyState } from '../../src/engine/steady-state.ts';
import { labPaths } from '../../src/lab/lab-paths.ts';
import { eventually } from '../../src/probes/eventually.ts';
import { loadProfile } from '../../src/profile/load-profile.ts';
import type { ClusterProfile, ProfileHost } from '../../src/profile/profile-schema.ts';
import { componentOn } from '../../src/profile/component-on.ts';
import { SshTransport } from '../../src/transport/ssh-transport.ts';
import { drillCli, reportsDir } from './drill-cli.ts';
import { lab } from './lab-cli.ts';
import { openssh } from './openssh.ts';

// Its own subnet, so it can run beside another lab; FIREDRILL_HA_SUBNET moves it.
const SUBNET = process.env.FIREDRILL_HA_SUBNET ?? '127.0.60';

interface ReportExpectation {
  name: string;
  measured: string;
  ok: boolean;
  seconds?: number;
  upperSeconds?: number;
}

function expectations(runId: string): Map<string, ReportExpectation[]> {
  const report = JSON.parse(readFileSync(join(reportsDir, runId, 'report.json'), 'utf8')) as { drills: { name: string; expectations: ReportExpectation[] }[] };
  return new Map(report.drills.map((drill) => [drill.name, drill.expectations]));
}

describe('HA lab', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'kfd-ha-'));
  const journalDir = mkdtempSync(join(tmpdir(), 'kfd-ha-journal-'));
  const args = (command: string, ...more: string[]) => [command, '--dir', dir, '--subnet', SUBNET, ...more];
  let profile: ClusterProfile;
  let cps: ProfileHost[];
  const paths = labPaths(dir);
  const drill = (...names: string[]) => drillCli(['--profile', paths.profile, ...names], { FIREDRILL_JOURNAL_DIR: journalDir });
  const drillRun = (runId: string, ...names: string[]) => drillCli(['--profile', paths.profile, ...names], { FIREDRILL_JOURNAL_DIR: journalDir, FIREDRILL_RUN_ID: runId });
  /** Every control-plane host runs the process again and has its manifest in place. */
  const runsEverywhere = (component: 'kube-scheduler' | 'kube-controller-manager', process: string) => {
    for (const host of cps) {
      expect(openssh(host, `pgrep -x ${process}`).code, `${process} on ${host.name}`).to.equal(0);
      const how = host.components?.[component] ?? profile.components[component];
      if (how.kind === 'static-pod') expect(existsSync(how.manifest), how.manifest).to.equal(true);
    }
  };

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
      // Once the health checks took it out (2 failed checks), every request through the balancer succeeds.
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

  it('names each host’s own manifests in the profile', () => {
    for (const host of cps) {
      const how = host.components?.['kube-scheduler'] ?? profile.components['kube-scheduler'];
      expect(how).to.include({ kind: 'static-pod', manifest: join(dir, 'hosts', host.name, 'etc', 'kubernetes', 'manifests', 'kube-scheduler.yaml'), lease: 'kube-system/kube-scheduler' });
    }
  });

  it('refuses a single-control-plane drill before any fault, naming the topology', async () => {
    // "Nothing changed" is judged on the processes themselves: each host's etcd keeps its pid and its manifest.
    // (A Lease holder is no proof: the previous test's API server outage can move a leader at any moment.)
    const etcdPids = () => cps.map((host) => openssh(host, 'pgrep -x etcd').stdout.trim());
    const before = etcdPids();
    expect(before.every((pid) => pid !== ''), 'etcd runs on every host').to.equal(true);
    const result = await drill('etcd-down');
    expect(result.code).to.equal(1);
    expect(result.stdout + result.stderr).to.include('drill etcd-down supports single-control-plane only, and this cluster is ha-control-plane');
    expect(result.stdout + result.stderr).to.include('3 control-plane host(s) in the profile');
    for (const host of cps) {
      const how = componentOn(profile, host, 'etcd');
      if (how.kind === 'static-pod') expect(existsSync(how.manifest), how.manifest).to.equal(true);
    }
    expect(etcdPids()).to.deep.equal(before);
  });

  it('runs the drills that are right on HA: kubelet-stopped and node-drain', async () => {
    const result = await drill('kubelet-stopped', 'node-drain');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Fire drill verdict: PASSED/);
    expect(result.stdout).to.match(/kubelet-stopped\s+passed/).and.match(/node-drain\s+passed/);
  });

  it('dry-runs the failover and etcd drills: the leader’s own manifest on its own host is named, nothing changes', async () => {
    const leases = loadKubeConfig(paths.kubeconfig).makeApiClient(CoordinationV1Api);
    const holder = (await leases.readNamespacedLease({ name: 'kube-scheduler', namespace: 'kube-system' })).spec?.holderIdentity ?? '';
    const leaderHost = cps.find((host) => holder.startsWith(`${host.name}_`));
    if (!leaderHost) throw new Error(`no control-plane host holds the scheduler Lease (${holder})`);
    const own = leaderHost.components?.['kube-scheduler'] ?? profile.components['kube-scheduler'];
    if (own.kind !== 'static-pod') throw new Error('kube-scheduler is not a static pod');
    const result = await drill('--dry-run', 'scheduler-failover', 'etcd-member-down');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stderr).to.include(`[dry run] ${leaderHost.name}: sudo -n -- mv -n -- ${own.manifest} ${backupPath(own.manifest)}`);
    expect(result.stderr).to.match(/\[dry run\] control-plane-1: sudo -n -- mv -n -- \S+\/control-plane-1\/etc\/kubernetes\/manifests\/etcd\.yaml/);
    expect(existsSync(own.manifest)).to.equal(true);
    expect((await leases.readNamespacedLease({ name: 'kube-scheduler', namespace: 'kube-system' })).spec?.holderIdentity).to.equal(holder);
  });

  it('runs scheduler-down and controller-manager-down with every instance stopped, and restores every host', async () => {
    const runId = `ha-down-${Date.now()}`;
    const result = await drillRun(runId, 'scheduler-down', 'controller-manager-down');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/scheduler-down\s+passed/).and.match(/controller-manager-down\s+passed/);
    const seen = expectations(runId);
    expect(seen.get('scheduler-down')?.map((e) => e.name)).to.include.members(['kube-scheduler stopped on all 3 hosts', 'pods stay Pending', 'kube-scheduler leader elected again']);
    expect(seen.get('controller-manager-down')?.map((e) => e.name)).to.include.members(['kube-controller-manager stopped on all 3 hosts', 'deleted pod not replaced', 'kube-controller-manager leader elected again']);
    runsEverywhere('kube-scheduler', 'kube-scheduler');
    runsEverywhere('kube-controller-manager', 'kube-controller');
  });

  it('runs scheduler-failover and controller-manager-failover: the Lease moves within its bound and work goes on', async () => {
    const leases = loadKubeConfig(paths.kubeconfig).makeApiClient(CoordinationV1Api);
    const leader = async (name: string) => (await leases.readNamespacedLease({ name, namespace: 'kube-system' })).spec?.holderIdentity;
    const before = { scheduler: await leader('kube-scheduler'), manager: await leader('kube-controller-manager') };
    const runId = `ha-failover-${Date.now()}`;
    const result = await drillRun(runId, 'scheduler-failover', 'controller-manager-failover');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/scheduler-failover\s+passed/).and.match(/controller-manager-failover\s+passed/);
    const seen = expectations(runId);
    for (const [drillName, component] of [['scheduler-failover', 'kube-scheduler'], ['controller-manager-failover', 'kube-controller-manager']] as const) {
      const moved = seen.get(drillName)?.find((e) => e.name === `${component} leadership moved`);
      // The lab's lease timings (6 s, retry 1 s) give 10 s.
      expect(moved).to.include({ ok: true, upperSeconds: 10 });
      expect(moved?.seconds).to.be.a('number').within(0, 10);
    }
    expect(await leader('kube-scheduler')).to.not.equal(before.scheduler);
    expect(await leader('kube-controller-manager')).to.not.equal(before.manager);
    runsEverywhere('kube-scheduler', 'kube-scheduler');
    runsEverywhere('kube-controller-manager', 'kube-controller');
  });

  it('runs etcd-restore on every member: etcd healthy as one cluster, the changes gone on each API server, no snapshot left', async () => {
    const members = profile.etcdSnapshot?.members ?? [];
    const previousDirs = () => members.map((member) => openssh(cps.find((host) => host.name === member.host) as ProfileHost, `ls -d ${member.dataDir}.firedrill-previous-* 2>/dev/null | wc -l`).stdout.trim());
    const runId = `ha-etcd-restore-${Date.now()}`;
    const result = await drillRun(runId, 'etcd-restore');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/etcd-restore\s+passed/);
    const seen = expectations(runId).get('etcd-restore') ?? [];
    expect(seen.map((e) => e.name)).to.deep.equal(['etcd cluster healthy after restore', 'API back after restore', 'changes after the backup are gone', 'deployment as backed up', 'workload reconciled']);
    expect(seen.every((e) => e.ok)).to.equal(true);
    // Each member was restored (one previous data dir kept per host) and no snapshot copy is left on any host.
    expect(previousDirs()).to.deep.equal(members.map(() => '1'));
    for (const member of members) {
      const host = cps.find((candidate) => candidate.name === member.host) as ProfileHost;
      expect(openssh(host, `ls ${join(member.dataDir ?? '', '..', 'firedrill-backup')} 2>/dev/null | wc -l`).stdout.trim(), `snapshots on ${host.name}`).to.equal('0');
    }
    // One cluster of 3, each API server serving the restored data on its own (asked directly, not through HAProxy).
    const status = await lab(args('status'));
    expect(status.stdout.match(/ healthy/g)).to.have.length(3);
    expect(status.stdout.match(/, leader/g)).to.have.length(1);
    const kube = loadKubeConfig(paths.kubeconfig);
    for (const host of cps) {
      const own = new KubeConfig();
      own.loadFromOptions({ ...kube, clusters: kube.clusters.map((cluster) => ({ ...cluster, server: `https://${host.address}:6443` })), currentContext: kube.getCurrentContext() });
      const name = 'firedrill-etcd-restore-canary';
      const status = await own.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: profile.app?.namespace ?? 'default', name }).then(() => 200, (error: { code?: number }) => error.code);
      expect(status, `ConfigMap ${name} on ${host.name}'s API server`).to.equal(404);
    }
    expect((await apiGet(kube, '/readyz')).status).to.equal(200);
  });

  it('runs etcd-member-down and etcd-quorum-lost: a new etcd leader, writes go on with one member down, fail without quorum, come back', async () => {
    const runId = `ha-etcd-${Date.now()}`;
    const result = await drillRun(runId, 'etcd-member-down', 'etcd-quorum-lost');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/etcd-member-down\s+passed/).and.match(/etcd-quorum-lost\s+passed/);
    const seen = expectations(runId);
    expect(seen.get('etcd-member-down')?.map((e) => e.name)).to.deep.equal(['new etcd leader', 'writes accepted with a member down', 'member rejoined']);
    expect(seen.get('etcd-quorum-lost')?.map((e) => e.name)).to.deep.equal(['writes fail without quorum', 'quorum and writes back']);
    for (const host of cps) expect(openssh(host, 'pgrep -x etcd').code, `etcd on ${host.name}`).to.equal(0);
    const status = await lab(args('status'));
    expect(status.stdout.match(/ healthy/g)).to.have.length(3);
    expect(status.stdout.match(/, leader/g)).to.have.length(1);
  });
  it('runs apiserver-killed: one API server killed, reads through the load balancer stay ≥ 99 % answered, a new one answers its own /readyz', async () => {
    const runId = `ha-apiserver-${Date.now()}`;
    const result = await drillRun(runId, 'apiserver-killed');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/apiserver-killed\s+passed/);
    const seen = expectations(runId).get('apiserver-killed') ?? [];
    expect(seen.map((e) => e.name)).to.deep.equal(['API server killed', 'killed API server back', 'API available through the load balancer', 'app serves while an API server is down', 'state intact']);
    // The first host whose API server answers its own /readyz: control-plane-1 on a healthy lab, checked directly.
    const back = seen.find((e) => e.name === 'killed API server back');
    expect(back?.measured).to.match(new RegExp(`^kube-apiserver on control-plane-1: new pid \\d+ \\(was \\d+\\) answers https://${SUBNET.replaceAll('.', '\\.')}\\.1:6443/readyz, `));
    const available = seen.find((e) => e.name === 'API available through the load balancer');
    const [, percent, samples] = /^(\d+\.\d)% of (\d+) reads answered 200/.exec(available?.measured ?? '') ?? [];
    expect(Number(percent), available?.measured).to.be.at.least(99);
    // Every 100 ms from the kill until 10 s after the killed one is back: about 200 reads, fewer on a loaded runner.
    expect(Number(samples), available?.measured).to.be.at.least(50);
    for (const host of cps) expect(openssh(host, 'pgrep -x kube-apiserver').code, `kube-apiserver on ${host.name}`).to.equal(0);
  });

  it('the steady state asks each API server and etcd member directly, naming the ones that are not healthy', async () => {
    const third = cps[2];
    if (!third) throw new Error('no third control plane');
    const etcd = componentOn(profile, third, 'etcd');
    if (etcd.kind !== 'static-pod') throw new Error('the HA lab runs etcd as a static pod');
    const member = profile.etcdSnapshot?.members?.find((candidate) => candidate.host === third.name);
    const transport = new SshTransport(profile.hosts);
    const target = { kube: loadKubeConfig(paths.kubeconfig), profile, transport };
    try {
      await waitForSteadyState(target, 60_000);
      expect(openssh(third, `mv ${etcd.manifest} /tmp/kfd-ha-etcd-${SUBNET}.yaml`).code).to.equal(0);
      try {
        // The load balancer still answers: only the direct checks see the member and the API server beside it.
        const error = await waitForSteadyState(target, 20_000).then(
          () => expect.fail('the steady state passed with an etcd member stopped'),
          (failure: Error) => failure,
        );
        expect(error.message).to.include(`etcd member control-plane-3 (${member?.clientUrl}) is not healthy`);
        expect(error.message).to.match(new RegExp(`kube-apiserver on control-plane-3: pid \\d+ runs but https://${SUBNET.replaceAll('.', '\\.')}\\.5:6443/readyz gives`));
        expect(error.message).to.not.match(/kube-apiserver on control-plane-[12]/);
        expect((await apiGet(target.kube, '/readyz')).status).to.equal(200);
      } finally {
        openssh(third, `mv /tmp/kfd-ha-etcd-${SUBNET}.yaml ${etcd.manifest}`);
      }
      await waitForSteadyState(target, 120_000);
    } finally {
      await transport.close();
    }
  });
});
