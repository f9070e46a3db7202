// The runner acts only on the right cluster and alone: a profile pinned to another cluster, a host that is not a node,
// an API server that resets connections, a second runner, and a killed runner's stale lock — against the lab.
import { createServer, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { acquireClusterLock, LOCK_NAME, LOCK_NAMESPACE } from '../../src/engine/cluster-lock.ts';
import { openTarget } from '../../src/engine/target.ts';
import { labPaths } from '../../src/lab/lab-paths.ts';
import { waitForApi } from '../../src/probes/api-availability.ts';
import { openssh } from './openssh.ts';
import { backupPath } from '../../src/faults/manifest-move.ts';
import { readClusterIdentity } from '../../src/kube/cluster-identity.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { readLease } from '../../src/kube/lease.ts';
import { eventually } from '../../src/probes/eventually.ts';
import type { ClusterProfile } from '../../src/profile/profile-schema.ts';
import { drillCli, startDrill } from './drill-cli.ts';
import { useLab, type Lab } from './lab-fixture.ts';

describe('the right cluster, one runner at a time', function () {
  this.timeout(600_000);
  let lab: Lab;
  let uid: string;
  const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
  const writeProfile = (change: (profile: ClusterProfile) => void) => {
    const profile = structuredClone(lab.profile);
    change(profile);
    const file = join(tmp('kfd-profile-'), 'profile.yaml');
    writeFileSync(file, stringify(profile));
    return file;
  };
  const lease = () => readLease(loadKubeConfig(lab.kubeconfig), LOCK_NAMESPACE, LOCK_NAME);
  const lockFile = () => lab.profile.cluster.lockFile;
  /** Another user on another machine, as far as the runner's own state goes; it reaches the same lab through its profile. */
  const elsewhere = () => ({ HOME: tmp('kfd-home-'), FIREDRILL_JOURNAL_DIR: tmp('kfd-journal-') });
  const profileFile = () => labPaths(lab.labDir).profile;

  before(async () => {
    lab = await useLab();
    uid = (await readClusterIdentity(loadKubeConfig(lab.kubeconfig))).uid;
  });

  it('refuses a profile pinned to another cluster UID (exit 2), naming both UIDs', async () => {
    const other = '00000000-1111-2222-3333-444444444444';
    const result = await drillCli(['--profile', writeProfile((profile) => (profile.cluster.uid = other)), 'scheduler-down']);
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.include(`pinned to the cluster with UID ${other}`).and.to.include(`reaches the cluster with UID ${uid}`);
  });

  it('a dry run on the pinned cluster prints the target and says the lock is free, without no-name destructive drills', async () => {
    const result = await drillCli(['--dry-run', '--profile', writeProfile((profile) => (profile.cluster.uid = uid))]);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stderr).to.match(new RegExp(`target: context "firedrill-lab", server https://[\\d.]+:\\d+, cluster UID ${uid}, \\d+ nodes; hosts: control-plane \\(`));
    expect(result.stderr).to.include('dry run: the cluster lock is free');
    expect(result.stderr).to.include('not running ec2-node-stopped, etcd-restore: destructive');
    expect(result.stderr).to.not.match(/\[dry run\] API: stop ec2-instance/);
    expect(await lease()).to.equal(undefined);
  });

  it('refuses a host whose address is not a node of the cluster (exit 2), naming the host', async () => {
    const file = writeProfile((profile) => {
      const worker = profile.hosts[1] as ClusterProfile['hosts'][number];
      delete worker.node;
      worker.address = '192.0.2.7';
    });
    const result = await drillCli(['--profile', file, 'scheduler-down']);
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.include(`hosts[1] "${lab.profile.hosts[1]?.name}" (192.0.2.7): no node of this cluster has the address 192.0.2.7`);
  });

  it('fails within 15 s, naming server and context (exit 4), when the API server resets every connection', async () => {
    let connections = 0;
    let firstConnectionAt = 0;
    const server = createServer((socket: Socket) => {
      connections++;
      firstConnectionAt ||= Date.now();
      socket.resetAndDestroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const kubeconfig = parse(readFileSync(lab.kubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      for (const entry of kubeconfig.clusters) entry.cluster.server = `https://127.0.0.1:${port}`;
      const kubeconfigFile = join(tmp('kfd-kubeconfig-'), 'kubeconfig');
      writeFileSync(kubeconfigFile, stringify(kubeconfig));
      const started = Date.now();
      const result = await drillCli(['--profile', writeProfile((profile) => (profile.cluster.kubeconfig = kubeconfigFile)), 'scheduler-down']);
      const ended = Date.now();
      expect(result.code, result.stderr).to.equal(4);
      expect(result.stderr).to.include(`the API server https://127.0.0.1:${port} (context "firedrill-lab") did not answer`);
      expect(ended - firstConnectionAt, 'from the first connection to the exit').to.be.lessThan(15_000);
      expect(ended - started, 'whole run, process start (tsx, loading the drills) included').to.be.lessThan(30_000);
      expect(connections).to.be.within(1, 3);
    } finally {
      server.close();
    }
  });

  it('refuses a second runner from another HOME while a drill runs (exit 5), naming the holder, and frees the lock after Ctrl-C', async () => {
    const runId = `lock-holder-${Date.now()}`;
    const first = startDrill(['kubelet-stopped'], { FIREDRILL_RUN_ID: runId });
    try {
      await eventually(async () => expect(existsSync(lockFile()), first.output()).to.equal(true), { description: 'first runner holds the lock', timeoutMs: 120_000 });
      const second = await drillCli(['--profile', profileFile(), 'scheduler-down'], elsewhere());
      expect(second.code, second.stderr).to.equal(5);
      expect(second.stderr).to.match(new RegExp(`another runner is drilling cluster ${uid} .*: \\S+@\\S+ \\(pid ${first.child.pid}\\), run ${runId}, drill started \\d+ s ago`));
      expect(second.stderr).to.include('Nothing was changed');
      expect((await lease())?.holderIdentity).to.include(`run ${runId}`);
    } finally {
      first.child.kill('SIGINT');
    }
    const result = await first.done;
    expect(result.code, first.output()).to.equal(130);
    expect(await lease(), 'Lease released after SIGINT').to.equal(undefined);
    expect(existsSync(lockFile()), 'lock file released after SIGINT').to.equal(false);
  });

  it('reports the lock of a runner killed with SIGKILL as stale, and breaks it only with --break-lock', async () => {
    const scheduler = lab.profile.components['kube-scheduler'];
    if (scheduler.kind !== 'static-pod') throw new Error('the lab runs the scheduler as a static pod');
    const run = startDrill(['scheduler-down']);
    await eventually(async () => expect(existsSync(backupPath(scheduler.manifest))).to.equal(true), { description: 'manifest moved out', timeoutMs: 120_000 });
    run.child.kill('SIGKILL');
    await run.done;
    const refused = await drillCli(['scheduler-down']);
    expect(refused.code, refused.stderr).to.equal(5);
    expect(refused.stderr).to.include('a stale lock is left on cluster').and.to.include(`but process ${run.child.pid} no longer runs`).and.to.include('--break-lock');
    expect(existsSync(scheduler.manifest), 'the refused run changed nothing (not even the restore)').to.equal(false);
    const broken = await drillCli(['--break-lock', 'scheduler-down']);
    expect(broken.code, broken.stdout + broken.stderr).to.equal(0);
    expect(broken.stderr).to.include('breaking the stale cluster lock (--break-lock)').and.to.include('restoring them first');
    expect(existsSync(scheduler.manifest)).to.equal(true);
    expect(await lease()).to.equal(undefined);
    expect(existsSync(lockFile())).to.equal(false);
  });

  it('keeps the lock while the API server is down (renewals fail and are tolerated), renews it after, and releases both', async () => {
    const lines: string[] = [];
    const target = await openTarget({ profilePath: labPaths(lab.labDir).profile, dryRun: false, allowProduction: false, log: (line) => lines.push(line) });
    const cp = lab.profile.hosts.find((host) => host.role === 'control-plane') as ClusterProfile['hosts'][number];
    const kube = loadKubeConfig(lab.kubeconfig);
    try {
      const lock = await acquireClusterLock(target, { runId: `renew-${Date.now()}`, purpose: 'drill', breakLock: false, log: (line) => lines.push(line), renewEveryMs: 1_000 });
      const taken = await lease();
      await eventually(async () => expect((await lease())?.renewTime?.getTime()).to.be.greaterThan(taken?.renewTime?.getTime() ?? 0), { description: 'Lease renewed', timeoutMs: 20_000 });
      expect(openssh(cp, 'sudo -n systemctl stop etcd').code).to.equal(0);
      try {
        await waitForApi(kube, 'down', 60_000);
        await eventually(async () => expect(lines.join('\n')).to.match(/could not renew the cluster lock \(.*\); it holds until \d{4}-/), { description: 'a failed renewal, tolerated', timeoutMs: 60_000 });
      } finally {
        expect(openssh(cp, 'sudo -n systemctl start etcd').code).to.equal(0);
      }
      await waitForApi(kube, 'up', 120_000);
      await eventually(async () => expect(lines).to.include('renewed the cluster lock again'), { description: 'renewed after the outage', timeoutMs: 60_000 });
      expect((await lease())?.holderIdentity).to.include(lock.holder.runId);
      expect(existsSync(lockFile())).to.equal(true);
      await lock.release();
      expect(await lease()).to.equal(undefined);
      expect(existsSync(lockFile())).to.equal(false);
    } finally {
      await target.close();
    }
  });
});
