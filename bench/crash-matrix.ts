// Crash matrix: kill -9 a drill run at points spread over its inject-to-restore window, then `npm run restore -- --break-lock` from a
// fresh home and journal folder (standing for another machine); counts the points that leave the lab whole.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { pendingFromLines } from '../src/engine/journal.ts';
import { waitForSteadyState } from '../src/engine/steady-state.ts';
import { openTarget, type Target } from '../src/engine/target.ts';
import { GUESTBOOK } from '../src/lab/bootstrap.ts';
import { defaultLabDir } from '../src/lab/dirs.ts';
import { labPaths } from '../src/lab/lab-paths.ts';
import { labUp } from '../src/lab/lab-up.ts';

/** Seconds after the run journaled its first fault (the inject) at which it is killed: 20 points over the 8 drills of a
 * single control plane, spread over each one's inject-to-restore window (measured in the lab: 10 – 45 s). */
const POINTS: [drill: string, delays: number[]][] = [
  ['scheduler-down', [0, 6]],
  ['controller-manager-down', [0, 10, 25]],
  ['etcd-down', [0, 5]],
  ['apiserver-killed', [0, 3]],
  ['kubelet-stopped', [0, 10, 20]],
  ['node-drain', [0, 5]],
  ['etcd-restore', [0, 4, 9, 14]],
  ['ec2-node-stopped', [0, 8]],
];

interface Outcome {
  drill: string;
  delayS: number;
  /** Whether the run was still running when killed (or had ended on its own). */
  killedMidRun: boolean;
  pendingAtKill: number;
  restoreCode: number | null;
  restoreS: number;
  /** The restore's output. */
  log: string;
  problems: string[];
}

const cwd = join(import.meta.dirname, '..');

function machine(): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'kfd-crash-'));
  return { HOME: home, FIREDRILL_JOURNAL_DIR: join(home, 'journal') };
}

const pendingIn = (file: string) => (existsSync(file) ? pendingFromLines(readFileSync(file, 'utf8')).length : 0);

/** Resolves when the journal file lists a pending entry (watched, not polled), or when the run ends first. */
function firstInject(file: string, ended: Promise<unknown>): Promise<boolean> {
  mkdirSync(join(file, '..'), { recursive: true });
  return new Promise((resolve) => {
    const watcher = watch(join(file, '..'), () => pendingIn(file) > 0 && finish(true));
    const finish = (injected: boolean) => {
      watcher.close();
      resolve(injected);
    };
    if (pendingIn(file) > 0) finish(true);
    void ended.then(() => finish(pendingIn(file) > 0));
  });
}

/** What is not as it should be, in words (empty: the lab is whole). */
async function problems(target: Target, replicas: number): Promise<string[]> {
  const found: string[] = [];
  try {
    await waitForSteadyState(target, 120_000);
  } catch (error) {
    found.push(`steady state: ${(error as Error).message.split('\n')[0]}`);
  }
  const core = target.kube.makeApiClient(CoreV1Api);
  const cordoned = (await core.listNode()).items.filter((node) => node.spec?.unschedulable).map((node) => node.metadata?.name);
  if (cordoned.length) found.push(`cordoned: ${cordoned.join(', ')}`);
  const app = target.profile.app;
  if (app) {
    const deployment = await target.kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: app.deployment, namespace: app.namespace });
    if (deployment.spec?.replicas !== replicas) found.push(`${app.deployment} has ${deployment.spec?.replicas} replicas, not ${replicas}`);
  }
  for (const host of target.profile.hosts) {
    const checks: [string[], string][] = [[['systemctl', 'is-active', '--quiet', target.profile.components.kubelet.unit], 'kubelet not active']];
    if (host.role === 'control-plane') {
      for (const [name, component] of Object.entries(target.profile.components)) {
        if (name === 'kubelet') continue;
        if (component.kind === 'service') checks.push([['systemctl', 'is-active', '--quiet', component.unit], `${name} not active`]);
        else checks.push([['test', '-f', component.manifest], `${name} manifest missing`], [['pgrep', '-x', component.process], `${name} not running`]);
      }
    }
    for (const [argv, problem] of checks) if ((await target.transport.run(host, argv)).code !== 0) found.push(`${host.name}: ${problem}`);
    const timers = await target.transport.run(host, ['systemctl', 'list-timers', '--no-legend', 'firedrill-heal-*']);
    if (timers.stdout.trim()) found.push(`${host.name}: self-heal timer still armed`);
  }
  const left = await target.journal.mirror?.read();
  const pending = left ? pendingFromLines(left.text).length : 0;
  if (pending) found.push(`${pending} entr${pending === 1 ? 'y' : 'ies'} still pending in the target's journal`);
  return found;
}

async function point(target: Target, replicas: number, drill: string, delayS: number): Promise<Outcome> {
  const runner = machine();
  const journalFile = join(runner.FIREDRILL_JOURNAL_DIR as string, `${target.profile.name}.jsonl`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/drill.ts', drill], { cwd, env: { ...process.env, ...runner }, stdio: 'ignore' });
  let running = true;
  const ended = new Promise((resolve) => child.on('exit', () => resolve((running = false))));
  await firstInject(journalFile, ended);
  await Promise.race([new Promise((resolve) => setTimeout(resolve, delayS * 1000)), ended]);
  const killedMidRun = running;
  const pendingAtKill = pendingIn(journalFile);
  child.kill('SIGKILL');
  await ended;
  const started = Date.now();
  const other = machine();
  const output = openSync(join(other.HOME as string, 'restore.log'), 'w');
  const restore = await new Promise<number | null>((resolve) =>
    spawn(process.execPath, ['--import', 'tsx', 'src/cli/restore.ts', '--break-lock'], { cwd, env: { ...process.env, ...other }, stdio: ['ignore', output, output] }).on('exit', resolve),
  );
  closeSync(output);
  const restoreS = (Date.now() - started) / 1000;
  const log = join(other.HOME as string, 'restore.log');
  return { drill, delayS, killedMidRun, pendingAtKill, restoreCode: restore, restoreS, log, problems: await problems(target, replicas) };
}

export default async function main(args: string[]): Promise<void> {
  const only = args.length ? new Set(args) : undefined;
  const labDir = defaultLabDir();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  await labUp({ labDir, workers: 3, subnet: process.env.FIREDRILL_LAB_SUBNET, log, timeoutMs: 180_000 });
  const target = await openTarget({ profilePath: labPaths(labDir).profile, dryRun: false, allowProduction: false, log });
  const replicas = GUESTBOOK.replicas;
  const outcomes: Outcome[] = [];
  process.stdout.write('crash matrix: kill -9 after the first inject + delay, then `npm run restore -- --break-lock` from another home and journal folder\n');
  process.stdout.write('drill                     kill at  mid-run  pending  restore exit  restore (s)  lab whole\n');
  try {
    for (const [drill, delays] of POINTS) {
      if (only && !only.has(drill)) continue;
      for (const delayS of delays) {
        const outcome = await point(target, replicas, drill, delayS);
        outcomes.push(outcome);
        const whole = outcome.restoreCode === 0 && outcome.problems.length === 0;
        process.stdout.write(
          `${drill.padEnd(24)}  ${`+${delayS} s`.padStart(7)}  ${(outcome.killedMidRun ? 'yes' : 'ended').padStart(7)}  ${String(outcome.pendingAtKill).padStart(7)}  ` +
            `${String(outcome.restoreCode).padStart(12)}  ${outcome.restoreS.toFixed(1).padStart(11)}  ${whole ? 'yes' : `NO: ${outcome.problems.join('; ')} (restore output: ${outcome.log})`}\n`,
        );
      }
    }
  } finally {
    await target.close();
  }
  const whole = outcomes.filter((outcome) => outcome.restoreCode === 0 && outcome.problems.length === 0).length;
  const times = outcomes.map((outcome) => outcome.restoreS).sort((a, b) => a - b);
  process.stdout.write(
    `${whole}/${outcomes.length} points left the lab whole (goal: all); restore took ${times[0]?.toFixed(1)}-${times.at(-1)?.toFixed(1)} s, median ${times[Math.floor(times.length / 2)]?.toFixed(1)} s\n`,
  );
  if (whole !== outcomes.length) process.exitCode = 1;
}
