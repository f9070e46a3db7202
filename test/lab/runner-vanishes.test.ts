// The runner vanishes (kill -9) mid-drill: another machine restores from the target's journal copy; nobody restores
// and the host heals itself by its timers; an entry recorded on another cluster is never restored.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { defaultLabDir } from '../../src/lab/dirs.ts';
import { stringify } from 'yaml';
import { Journal } from '../../src/engine/journal.ts';
import { backupPath } from '../../src/faults/manifest-move.ts';
import { readClusterIdentity } from '../../src/kube/cluster-identity.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { waitForApi } from '../../src/probes/api-availability.ts';
import { eventually } from '../../src/probes/eventually.ts';
import type { ClusterProfile, ProfileHost } from '../../src/profile/profile-schema.ts';
import { startDrill } from './drill-cli.ts';
import { runCli } from './lab-cli.ts';
import { useLab, type Lab } from './lab-fixture.ts';
import { openssh } from './openssh.ts';

/** A machine of its own: a home and a journal folder nobody else uses. */
function machine(): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'kfd-machine-'));
  // Another machine reaching the same cluster: its own HOME and journal, the lab's profile from where the lab runs.
  return { HOME: home, FIREDRILL_JOURNAL_DIR: join(home, 'journal'), FIREDRILL_LAB_DIR: defaultLabDir() };
}

describe('when the runner vanishes', function () {
  this.timeout(600_000);
  let lab: Lab;
  let cp: ProfileHost;
  let manifest: string;
  // A killed runner leaves its cluster lock behind: a restore after it takes the stale lock over (a live one never).
  const restore = (env: Record<string, string>, args: string[] = []) => runCli('src/cli/restore.ts', ['--break-lock', ...args], env);
  const schedulerPid = () => openssh(cp, 'pgrep -x kube-scheduler').stdout.trim();
  const armedTimers = (host: ProfileHost) => openssh(host, "systemctl list-timers --no-legend 'firedrill-heal-*'").stdout.trim();
  const host = (name: string) => lab.profile.hosts.find((candidate) => candidate.name === name) as ProfileHost;

  before(async () => {
    lab = await useLab();
    cp = lab.profile.hosts.find((candidate) => candidate.role === 'control-plane') as ProfileHost;
    const scheduler = lab.profile.components['kube-scheduler'];
    if (scheduler.kind !== 'static-pod') throw new Error('the lab runs the scheduler as a static pod');
    manifest = scheduler.manifest;
  });

  it('another machine restores everything a killed run left, from the copy on the control-plane host', async () => {
    const runner = machine();
    const run = startDrill(['scheduler-down'], runner);
    await eventually(async () => expect(existsSync(backupPath(manifest))).to.equal(true), { description: 'manifest moved out', timeoutMs: 120_000 });
    run.child.kill('SIGSTOP'); // frozen mid-fault: alive, holding its lock, restoring nothing
    expect(armedTimers(cp)).to.include('firedrill-heal-');
    // While the run lives, it holds the cluster lock (and its machine's journal lock): a restore leaves its faults alone.
    const locked = await restore(runner);
    expect(locked.code, locked.stderr).to.equal(5);
    expect(locked.stderr).to.include(`pid ${run.child.pid}`).and.include('Nothing was changed');
    run.child.kill('SIGKILL');
    await run.done;
    expect(existsSync(manifest)).to.equal(false);

    const other = machine();
    const restored = await restore(other);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stderr).to.include('restored: move kube-scheduler.yaml out on control-plane').and.include(`${cp.name}:`);
    expect(existsSync(manifest)).to.equal(true);
    await eventually(async () => expect(schedulerPid()).to.not.equal(''), { description: 'kube-scheduler running', timeoutMs: 60_000 });
    expect(armedTimers(cp), 'self-heal timer disarmed').to.equal('');
    // The killed runner's own journal still lists the faults; merged with the target's copy there is nothing left.
    expect(Journal.forProfile(lab.profile.name, runner.FIREDRILL_JOURNAL_DIR).pending().length).to.be.greaterThan(0);
    const again = await restore(runner);
    expect(again.code, again.stderr).to.equal(0);
    // What the other machine restored is not restored again. The run may have been frozen between journaling its next
    // change on its own disk and copying it to the host (the change itself comes after both): only that entry is left.
    expect(again.stderr).not.to.include('move kube-scheduler.yaml out');
    if (!again.stderr.includes('nothing to restore on this cluster')) expect(again.stderr).to.match(/restored: scale /);
  });

  it('another machine restores a killed etcd-down run while the API is down, identifying the cluster by its hosts', async () => {
    const run = startDrill(['etcd-down'], machine());
    const etcdState = () => openssh(cp, 'systemctl is-active etcd').stdout.trim();
    await eventually(async () => expect(etcdState()).to.equal('inactive'), { description: 'etcd stopped', timeoutMs: 120_000 });
    run.child.kill('SIGKILL');
    await run.done;
    const restored = await restore(machine());
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stderr).to.include('the API server did not answer; the cluster is').and.include('restored: stop etcd on control-plane');
    expect(etcdState()).to.equal('active');
    await waitForApi(loadKubeConfig(lab.kubeconfig), 'up', 60_000);
    expect(armedTimers(cp)).to.equal('');
  });

  it('with nobody running restore, the hosts undo a moved manifest and a stopped kubelet by their timers', async () => {
    const profile: ClusterProfile = { ...structuredClone(lab.profile), safety: { ...lab.profile.safety, selfHealAfterSeconds: 15 } };
    const file = join(mkdtempSync(join(tmpdir(), 'kfd-profile-')), 'profile.yaml');
    writeFileSync(file, stringify(profile));
    const runner = machine();

    // A run killed while the API was down (the test before) can leave its Lease behind: a stale lock, taken over.
    const scheduler = startDrill(['--profile', file, '--break-lock', 'scheduler-down'], runner);
    await eventually(
      async () => {
        expect(scheduler.child.exitCode, `the drill ended before moving the manifest:\n${scheduler.output().slice(-1500)}`).to.equal(null);
        expect(existsSync(backupPath(manifest))).to.equal(true);
      },
      { description: 'manifest moved out', timeoutMs: 120_000 },
    );
    scheduler.child.kill('SIGKILL');
    await scheduler.done;
    await eventually(async () => expect(existsSync(manifest)).to.equal(true), { description: 'the host moved the manifest back', timeoutMs: 60_000 });
    await eventually(async () => expect(schedulerPid()).to.not.equal(''), { description: 'kube-scheduler running again', timeoutMs: 60_000 });

    // The killed run left its cluster lock behind: the next run on its machine takes it over, as the refusal says.
    const kubelet = startDrill(['--profile', file, '--break-lock', 'kubelet-stopped'], runner);
    const journal = Journal.forProfile(profile.name, runner.FIREDRILL_JOURNAL_DIR);
    const stopped = await eventually(
      async () => {
        expect(kubelet.child.exitCode, `the drill ended before stopping a kubelet:\n${kubelet.output().slice(-1500)}`).to.equal(null);
        const entry = journal.pending().find((pending) => pending.undo.type === 'service-start');
        expect(entry, 'kubelet stop journaled').to.not.equal(undefined);
        const worker = host(String(entry?.undo.host));
        expect(openssh(worker, 'systemctl is-active kubelet').stdout.trim()).to.equal('inactive');
        return worker;
      },
      { description: 'a kubelet stopped', timeoutMs: 120_000 },
    );
    kubelet.child.kill('SIGKILL');
    await kubelet.done;
    const worker = stopped.value;
    await eventually(async () => expect(openssh(worker, 'systemctl is-active kubelet').stdout.trim()).to.equal('active'), {
      description: `the host ${worker.name} started its kubelet again`,
      timeoutMs: 60_000,
    });
    expect(armedTimers(cp) + armedTimers(worker)).to.equal('');

    // What the hosts cannot undo (the scaled deployment) is left for restore, which finds the rest already undone.
    const restored = await restore(runner, ['--profile', file]);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(journal.pending()).to.deep.equal([]);
    await waitForApi(loadKubeConfig(lab.kubeconfig), 'up', 60_000);
  });

  it('never restores an entry recorded on another cluster, and says so', async () => {
    const runner = machine();
    const { uid } = await readClusterIdentity(loadKubeConfig(lab.kubeconfig));
    const dir = join(lab.labDir, 'hosts', cp.name, 'var', 'lib', `uid-test-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const journal = Journal.forProfile(lab.profile.name, runner.FIREDRILL_JOURNAL_DIR);
    const deadPid = spawnSync('true').pid as number;
    const stamp = Date.now(); // entry ids are unique: the target's copy remembers every id it saw restored
    const record = async (id: string, clusterUid: string) => {
      writeFileSync(join(dir, `${id}.backup`), `${id}\n`);
      await journal.recordPending({
        id: `${id}-${stamp}`,
        drill: 'uid-test',
        fault: `move ${id} out`,
        undo: { type: 'manifest-back', host: cp.name, manifest: join(dir, `${id}.yaml`), backup: join(dir, `${id}.backup`), process: 'kube-scheduler' },
        manualFix: 'none',
        recordedAt: new Date().toISOString(),
        cluster: { uid: clusterUid, server: 'https://elsewhere:6443' },
        runner: { runId: 'gone', pid: deadPid, hostname: hostname() }, // a run that has ended (this process is alive)
      });
    };
    await record('other-cluster', 'another-cluster-uid');
    await record('this-cluster', uid);
    journal.release();

    const restored = await restore(runner);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stderr, restored.stderr)
      .to.include('not restoring "move other-cluster out"')
      .and.include('recorded on another cluster (kube-system UID another-cluster-uid')
      .and.include(`now reaches cluster ${uid}`)
      .and.include('restored: move this-cluster out');
    expect(existsSync(join(dir, 'other-cluster.backup')), 'the other cluster’s entry was left alone').to.equal(true);
    expect(existsSync(join(dir, 'other-cluster.yaml'))).to.equal(false);
    expect(readFileSync(join(dir, 'this-cluster.yaml'), 'utf8')).to.equal('this-cluster\n');
    expect(journal.pending().map((entry) => entry.id)).to.deep.equal([`other-cluster-${stamp}`]);
  });
});
