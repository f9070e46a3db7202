// Every drill end to end against the lab through the CLI, and the ways a run can go wrong: dry run, Ctrl-C, kill -9,
// a bad profile, an unreachable host, a wrong host key, a restore that cannot succeed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { Journal } from '../../src/engine/journal.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { backupPath } from '../../src/faults/manifest-move.ts';
import { waitForApi } from '../../src/probes/api-availability.ts';
import { eventually } from '../../src/probes/eventually.ts';
import type { ClusterProfile, ProfileHost } from '../../src/profile/profile-schema.ts';
import { drillCli, reportsDir, restoreCli, startDrill } from './drill-cli.ts';
import { useLab, type Lab } from './lab-fixture.ts';
import { openssh } from './openssh.ts';

const DRILLS = ['scheduler-down', 'controller-manager-down', 'etcd-down', 'apiserver-killed', 'kubelet-stopped', 'etcd-restore', 'node-drain', 'ec2-node-stopped'];

describe('drills against the lab', function () {
  this.timeout(600_000);
  let lab: Lab;
  let cp: ProfileHost;
  let manifest: string;
  const pendingRestores = () => Journal.forProfile(lab.profile.name).pending();
  const schedulerPid = () => openssh(cp, 'pgrep -x kube-scheduler').stdout.trim();
  const etcdState = () => openssh(cp, 'systemctl is-active etcd').stdout.trim();
  const writeProfile = (change: (profile: ClusterProfile) => void) => {
    const profile = structuredClone(lab.profile);
    change(profile);
    const file = join(mkdtempSync(join(tmpdir(), 'kfd-profile-')), 'profile.yaml');
    writeFileSync(file, stringify(profile));
    return file;
  };
  const healthy = async () => {
    expect(existsSync(manifest), 'scheduler manifest in place').to.equal(true);
    await eventually(async () => expect(schedulerPid()).to.not.equal(''), { description: 'kube-scheduler running', timeoutMs: 30_000 });
    expect(etcdState()).to.equal('active');
    await waitForApi(loadKubeConfig(lab.kubeconfig), 'up', 60_000);
    expect(pendingRestores()).to.deep.equal([]);
  };

  before(async () => {
    lab = await useLab();
    cp = lab.profile.hosts.find((host) => host.role === 'control-plane') as ProfileHost;
    const scheduler = lab.profile.components['kube-scheduler'];
    if (scheduler.kind !== 'static-pod') throw new Error('the lab runs the scheduler as a static pod');
    manifest = scheduler.manifest;
  });

  for (const name of DRILLS) {
    it(`${name} passes end to end and leaves the lab healthy`, async () => {
      const result = await drillCli([name]);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(result.stdout).to.match(/passing/).and.not.to.match(/failing/);
      await healthy();
    });
  }

  it('lists the drills with what each teaches', async () => {
    const result = await drillCli(['--list']);
    expect(result.code).to.equal(0);
    for (const name of DRILLS) expect(result.stdout).to.include(name);
    expect(result.stdout).to.include('The scheduler only assigns pods to nodes');
  });

  it('rejects an unknown drill with the list and the nearest name (exit 2)', async () => {
    const result = await drillCli(['scheduler-dwon']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('unknown drill "scheduler-dwon" — did you mean "scheduler-down"?');
    expect(result.stderr).to.include('available drills: apiserver-killed');
  });

  it('rejects a malformed profile with its field path (exit 2) before contacting anything', async () => {
    const file = writeProfile((profile) => ((profile.hosts[0] as { port: unknown }).port = 'twenty-two'));
    const result = await drillCli(['--profile', file, 'scheduler-down']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('hosts[0].port');
    expect(result.stderr).to.not.include('lab');
  });

  it('refuses a production-looking profile without the explicit flag (exit 2)', async () => {
    const file = writeProfile((profile) => (profile.cluster.production = true));
    const result = await drillCli(['--profile', file, 'scheduler-down']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('--i-know-this-is-production');
    expect(schedulerPid()).to.not.equal('');
  });

  it('dry run prints every command per host and every API change, and touches nothing', async () => {
    const pid = schedulerPid();
    const result = await drillCli(['--dry-run', 'scheduler-down', 'etcd-down', 'node-drain', 'ec2-node-stopped']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include(`[dry run] control-plane: sudo -n -- mv -n -- ${manifest} ${backupPath(manifest)}`);
    expect(result.stderr).to.include('[dry run] control-plane: sudo -n -- systemctl stop -- etcd');
    expect(result.stderr).to.include('[dry run] control-plane: sudo -n -- systemctl start -- etcd');
    expect(result.stderr).to.match(/\[dry run\] API: cordon node\/worker-\d/);
    expect(result.stderr).to.match(/\[dry run\] API: scale deployment\/default\/guestbook/);
    expect(result.stderr).to.match(/\[dry run\] API: stop ec2-instance\/i-[0-9a-f]+/).and.to.match(/\[dry run\] API: start ec2-instance\/i-[0-9a-f]+/);
    expect(schedulerPid()).to.equal(pid);
    await healthy();
  });

  it('restores on SIGINT mid-fault, then exits 130, with a partial report', async () => {
    const runId = `sigint-${Date.now()}`;
    const run = startDrill(['scheduler-down'], { FIREDRILL_RUN_ID: runId });
    await eventually(async () => expect(existsSync(backupPath(manifest))).to.equal(true), { description: 'manifest moved out', timeoutMs: 120_000 });
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, run.output()).to.equal(130);
    expect(result.stderr).to.include('SIGINT received: stopping the drills and restoring');
    const report = JSON.parse(readFileSync(join(reportsDir, runId, 'report.json'), 'utf8')) as { partial: boolean; partialReasons: string[] };
    expect(report.partial).to.equal(true);
    expect(report.partialReasons.join(' ')).to.include('SIGINT');
    await healthy();
  });

  it('after kill -9 mid-fault, `npm run restore` puts the scheduler manifest back', async () => {
    const run = startDrill(['scheduler-down']);
    await eventually(async () => expect(existsSync(backupPath(manifest))).to.equal(true), { description: 'manifest moved out', timeoutMs: 120_000 });
    run.child.kill('SIGKILL');
    await run.done;
    expect(existsSync(manifest)).to.equal(false);
    expect(pendingRestores().length).to.be.greaterThan(0);
    // The killed runner's cluster lock is stale: restore takes it over only when told to.
    const refused = await restoreCli();
    expect(refused.code, refused.stderr).to.equal(5);
    expect(refused.stderr).to.include('stale lock').and.to.include('--break-lock');
    const restore = await restoreCli(['--break-lock']);
    expect(restore.code, restore.stderr).to.equal(0);
    expect(restore.stderr).to.include('restored: move kube-scheduler.yaml out on control-plane');
    await healthy();
  });

  it('after kill -9 with etcd stopped, the next drill run names `npm run restore`, which restores it over SSH with the API down', async () => {
    const run = startDrill(['etcd-down']);
    await eventually(async () => expect(etcdState()).to.equal('inactive'), { description: 'etcd stopped', timeoutMs: 120_000 });
    run.child.kill('SIGKILL');
    await run.done;
    const next = await drillCli(['scheduler-down']);
    expect(next.code, next.stdout + next.stderr).to.equal(4);
    expect(next.stderr).to.include('did not answer').and.to.include('stop etcd on control-plane').and.to.include('`npm run restore` restores them over SSH');
    const restore = await restoreCli(['--break-lock']);
    expect(restore.code, restore.stderr).to.equal(0);
    expect(restore.stderr).to.include('going on over SSH only').and.to.include('breaking the stale cluster lock').and.to.include('restored: stop etcd on control-plane');
    expect(etcdState()).to.equal('active');
    await waitForApi(loadKubeConfig(lab.kubeconfig), 'up', 60_000);
    // The killed run's Lease goes with the restore if the API was back by its end; otherwise this run breaks it.
    const after = await drillCli(['--break-lock', 'scheduler-down']);
    expect(after.code, after.stdout + after.stderr).to.equal(0);
    await healthy();
  });

  it('fails preflight on a wrong host key before any fault, naming host and fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfd-keys-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
    const [type, key] = execFileSync('cat', [join(dir, 'key.pub')], { encoding: 'utf8' }).split(' ');
    writeFileSync(join(dir, 'known_hosts'), lab.profile.hosts.map((host) => `[${host.address}]:${host.port} ${type} ${key}`).join('\n') + '\n');
    const file = writeProfile((profile) => profile.hosts.forEach((host) => (host.knownHosts = join(dir, 'known_hosts'))));
    const pid = schedulerPid();
    const result = await drillCli(['--profile', file, 'scheduler-down']);
    expect(result.code).to.equal(1);
    // The cluster lock's file on the first control-plane host is read over SSH first: that is where it stops.
    expect(result.stdout + result.stderr).to.include('control-plane').and.to.include('SHA256:').and.to.include('Nothing was changed');
    expect(schedulerPid()).to.equal(pid);
    await healthy();
  });

  it('fails preflight on an unreachable host before any fault', async () => {
    const file = writeProfile((profile) => profile.hosts.forEach((host) => host.role === 'control-plane' && (host.port = 1)));
    const result = await drillCli(['--profile', file, 'etcd-down']);
    expect(result.code).to.equal(1);
    expect(result.stdout + result.stderr).to.match(/control-plane/).and.to.include('Nothing was changed');
    await healthy();
  });

  it('fails preflight when the unit or manifest the profile names is missing on the host, naming it', async () => {
    const noUnit = writeProfile((profile) => (profile.components.etcd = { kind: 'service', unit: 'etcd-typo' }));
    const unitRun = await drillCli(['--profile', noUnit, 'etcd-down']);
    expect(unitRun.code, unitRun.stdout + unitRun.stderr).to.equal(1);
    expect(unitRun.stdout).to.include('unit etcd-typo.service must exist').and.to.include('LoadState=not-found').and.to.include('Nothing was changed');
    const missing = join(manifest, '..', 'kube-scheduler-typo.yaml');
    const noManifest = writeProfile((profile) => (profile.components['kube-scheduler'] = { kind: 'static-pod', manifest: missing, process: 'kube-scheduler' }));
    const pid = schedulerPid();
    const manifestRun = await drillCli(['--profile', noManifest, 'scheduler-down']);
    expect(manifestRun.code, manifestRun.stdout + manifestRun.stderr).to.equal(1);
    expect(manifestRun.stdout).to.include(`the manifest ${missing} must exist`).and.to.include('Nothing was changed');
    expect(schedulerPid()).to.equal(pid);
    await healthy();
  });

  it('exits 3 with the manual fix when a restore cannot succeed', async () => {
    const saved = join(mkdtempSync(join(tmpdir(), 'kfd-saved-')), 'kube-scheduler.yaml');
    const run = startDrill(['scheduler-down']);
    await eventually(async () => expect(existsSync(backupPath(manifest))).to.equal(true), { description: 'manifest moved out', timeoutMs: 120_000 });
    renameSync(backupPath(manifest), saved); // someone "loses" the backup: nothing can put the scheduler back
    const result = await run.done;
    renameSync(saved, manifest);
    expect(result.code, run.output()).to.equal(3);
    expect(run.output()).to.include('RESTORE FAILED').and.to.include(`fix it by hand: ssh -p ${cp.port} ${cp.user}@${cp.address}`);
    const restore = await restoreCli();
    expect(restore.code, restore.stderr).to.equal(0);
    await healthy();
  });
});
