// Signals and lost restores end to end on the lab: SIGHUP, a Ctrl-C as a terminal sends it (to the whole process
// group of `npm run drill`) during every drill with the machine under CPU load, and a drill left not restored
// stopping the run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Journal } from '../../src/engine/journal.ts';
import { waitForSteadyState } from '../../src/engine/steady-state.ts';
import { openTarget } from '../../src/engine/target.ts';
import { backupPath } from '../../src/faults/manifest-move.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { waitForApi } from '../../src/probes/api-availability.ts';
import { eventually } from '../../src/probes/eventually.ts';
import type { ProfileHost } from '../../src/profile/profile-schema.ts';
import type { CliResult } from './lab-cli.ts';
import { reportsDir, restoreCli, startDrill } from './drill-cli.ts';
import { useLab, type Lab } from './lab-fixture.ts';
import { openssh } from './openssh.ts';

/** `npm run drill` in a process group of its own, as a terminal runs it in the foreground. */
function npmDrill(args: string[], env: Record<string, string>) {
  const child = spawn('npm', ['run', '--silent', 'drill', '--', ...args], {
    env: { ...process.env, FIREDRILL_REPORTS_DIR: reportsDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

/** Busy processes, one per core, until stopped: the machine under CPU load. */
function cpuLoad(processes: number): { stop(): void } {
  const children = Array.from({ length: processes }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
  return { stop: () => children.forEach((child) => child.kill('SIGKILL')) };
}

interface Report {
  partial: boolean;
  partialReasons: string[];
  drills: { name: string; outcome: string; restored: boolean | null; error?: string }[];
}
const report = (runId: string) => JSON.parse(readFileSync(join(reportsDir, runId, 'report.json'), 'utf8')) as Report;

describe('signals and lost restores against the lab', function () {
  this.timeout(600_000);
  let lab: Lab;
  let cp: ProfileHost;
  let manifest: string;
  const pendingRestores = () => Journal.forProfile(lab.profile.name).pending();
  const etcdState = () => openssh(cp, 'systemctl is-active etcd').stdout.trim();
  const healthy = async () => {
    expect(existsSync(manifest), 'scheduler manifest in place').to.equal(true);
    await eventually(async () => expect(openssh(cp, 'pgrep -x kube-scheduler').stdout.trim()).to.not.equal(''), { description: 'kube-scheduler running', timeoutMs: 30_000 });
    expect(etcdState()).to.equal('active');
    await waitForApi(loadKubeConfig(lab.kubeconfig), 'up', 60_000);
    expect(pendingRestores()).to.deep.equal([]);
  };
  /** The check the engine runs before and after each drill, on a target opened as a run opens it. */
  const steadyState = async () => {
    const target = await openTarget({ dryRun: false, allowProduction: false, log: () => {} });
    try {
      await waitForSteadyState(target, 120_000);
    } finally {
      await target.close();
    }
  };
  const manifestMoved = () => eventually(async () => expect(existsSync(backupPath(manifest))).to.equal(true), { description: 'manifest moved out', timeoutMs: 180_000 });

  before(async () => {
    lab = await useLab();
    cp = lab.profile.hosts.find((host) => host.role === 'control-plane') as ProfileHost;
    const scheduler = lab.profile.components['kube-scheduler'];
    if (scheduler.kind !== 'static-pod') throw new Error('the lab runs the scheduler as a static pod');
    manifest = scheduler.manifest;
  });

  it('restores on SIGHUP mid-fault, then exits 129', async () => {
    const runId = `sighup-${Date.now()}`;
    const run = startDrill(['scheduler-down'], { FIREDRILL_RUN_ID: runId });
    await manifestMoved();
    run.child.kill('SIGHUP');
    const result = await run.done;
    expect(result.code, run.output()).to.equal(129);
    expect(result.stderr).to.include('SIGHUP received: stopping the drills and restoring');
    expect(report(runId).partialReasons.join(' ')).to.include('SIGHUP');
    await healthy();
  });

  // Every drill a one-control-plane lab runs, each with the undo that shows its fault is under way: the signal goes
  // once that entry is journaled (recorded just before the fault acts), with the machine's cores kept busy.
  const faultUndo = {
    'scheduler-down': 'manifest-back',
    'controller-manager-down': 'manifest-back',
    'etcd-down': 'service-start',
    'apiserver-killed': 'process-back',
    'kubelet-stopped': 'service-start',
    'node-drain': 'uncordon',
    'etcd-restore': 'etcd-data',
    'ec2-node-stopped': 'ec2-start',
  } as const;
  for (const [drill, undoType] of Object.entries(faultUndo)) {
    it(`one Ctrl-C as a terminal sends it (SIGINT to the process group of npm run drill) during ${drill}, under CPU load: restored, exit 130, steady state`, async () => {
      const runId = `ctrl-c-${drill}-${Date.now()}`;
      const load = cpuLoad(availableParallelism());
      try {
        const run = npmDrill([drill], { FIREDRILL_RUN_ID: runId });
        await eventually(
          async () => {
            expect(run.child.exitCode, `the drill ended before its fault:\n${run.output().slice(-1500)}`).to.equal(null);
            expect(pendingRestores().some((entry) => entry.runner?.runId === runId && entry.undo.type === undoType), `${undoType} journaled`).to.equal(true);
          },
          { description: `${drill}'s fault journaled`, timeoutMs: 240_000 },
        );
        process.kill(-(run.child.pid as number), 'SIGINT');
        const result = await run.done;
        expect(result.code, run.output()).to.equal(130);
        expect(result.stderr).to.include('SIGINT received').and.not.to.include('SIGINT again');
        expect(report(runId).drills.find((entry) => entry.name === drill)).to.include({ restored: true });
      } finally {
        load.stop();
      }
      await steadyState();
    });
  }

  it('a drill whose restore fails stops the run: the next drill is not run, exit 3', async () => {
    const runId = `stops-${Date.now()}`;
    const saved = join(mkdtempSync(join(tmpdir(), 'kfd-saved-')), 'kube-scheduler.yaml');
    const run = startDrill(['scheduler-down', 'etcd-down'], { FIREDRILL_RUN_ID: runId });
    await manifestMoved();
    renameSync(backupPath(manifest), saved); // the backup is "lost": nothing can put the scheduler back
    let etcdStopped = false;
    const watchEtcd = setInterval(() => (etcdStopped ||= etcdState() === 'inactive'), 2_000);
    const result = await run.done;
    clearInterval(watchEtcd);
    renameSync(saved, manifest);
    expect(result.code, run.output()).to.equal(3);
    expect(etcdStopped, 'etcd-down never ran').to.equal(false);
    const drills = report(runId).drills;
    expect(drills.find((entry) => entry.name === 'scheduler-down')).to.include({ outcome: 'not-restored', restored: false });
    const notRun = drills.find((entry) => entry.name === 'etcd-down');
    expect(notRun?.error).to.match(/^not run: /).and.to.include('scheduler-down left the cluster not restored');
    const restore = await restoreCli();
    expect(restore.code, restore.stderr).to.equal(0);
    await healthy();
  });
});
