// The files that run game days on a schedule (deploy/): the runner image, the CronJob, the GitHub Actions workflow and
// the systemd units hold the settings that keep a game day safe, and systemd itself accepts the units.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';
import { goOnPath } from '../../../src/lab/go-build.ts';
import { actionlint } from './actionlint.ts';

const run = promisify(execFile);
const DEPLOY = new URL('../../../deploy/', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(DEPLOY, path), 'utf8');

/** A systemd unit file as section → key → values (a key may repeat). */
function unitFile(path: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of read(path).split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = sections[section[1] as string] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 1) throw new Error(`${path}: cannot read line "${line}"`);
    (current[line.slice(0, eq)] ??= []).push(line.slice(eq + 1));
  }
  return sections;
}

/** A systemd time span ("15min", "2min 30s", "3h") in seconds. */
function span(text: string | undefined): number {
  const units: Record<string, number> = { s: 1, sec: 1, min: 60, m: 60, h: 3600, hr: 3600 };
  let total = 0;
  for (const [, value, unit] of (text ?? '').matchAll(/(\d+)\s*([a-z]*)/g)) total += Number(value) * (units[unit || 's'] ?? NaN);
  return total;
}

describe('game days on a schedule: deploy/', () => {
  describe('the runner image', () => {
    const dockerfile = read('cronjob/Dockerfile');
    const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));

    it('is node 20 with openssh-client, installs the dev dependencies tsx needs, runs as a non-root user', () => {
      expect(instructions[0]).to.match(/^FROM node:20[-.\w]*$/);
      expect(dockerfile).to.match(/apt-get install[^\n]*openssh-client/);
      const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
      expect(packageJson.devDependencies, 'tsx runs the sources').to.have.property('tsx');
      const npmCi = instructions.find((line) => line.includes('npm ci'));
      expect(npmCi).to.include('--include=dev').and.not.include('--omit=dev');
      expect(instructions.filter((line) => line.startsWith('USER ')).at(-1)).to.equal('USER node');
    });

    it('starts `npm run gameday -- /plan/plan.yaml` behind an init that forwards SIGTERM', () => {
      const entrypoint = instructions.find((line) => line.startsWith('ENTRYPOINT '));
      expect(JSON.parse(entrypoint?.slice('ENTRYPOINT '.length) ?? 'null')).to.deep.equal(['/usr/bin/tini', '--', 'npm', 'run', 'gameday', '--', '/plan/plan.yaml']);
    });
  });

  describe('the CronJob', () => {
    type Doc = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
    const docs = parseAllDocuments(read('cronjob/cronjob.yaml')).map((doc) => doc.toJS() as Doc);
    const cron = docs.find((doc) => doc.kind === 'CronJob') as Doc & { spec: { concurrencyPolicy: string; startingDeadlineSeconds: number; jobTemplate: { spec: { backoffLimit: number; template: { spec: PodSpec } } } } };
    interface PodSpec {
      terminationGracePeriodSeconds: number;
      securityContext: { runAsNonRoot: boolean };
      containers: { env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
      volumes: { name: string; secret?: { secretName: string; defaultMode: number }; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }[];
    }

    it('never overlaps, does not start late, does not retry, and gives the runner time to restore on SIGTERM', () => {
      expect(cron.spec.concurrencyPolicy).to.equal('Forbid');
      expect(cron.spec.startingDeadlineSeconds).to.be.a('number').within(60, 3600);
      expect(cron.spec.jobTemplate.spec.backoffLimit).to.equal(0);
      expect(cron.spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds).to.be.at.least(600);
      expect(cron.spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot).to.equal(true);
    });

    it('mounts the plan, the SSH key and known_hosts, and the kubeconfig read-only (secrets 0400); reports go to the PVC in the file', () => {
      const pod = cron.spec.jobTemplate.spec.template.spec;
      const mounts = pod.containers[0]?.volumeMounts ?? [];
      const volume = (name: string) => pod.volumes.find((entry) => entry.name === name);
      const secrets = pod.volumes.filter((entry) => entry.secret);
      expect(secrets.map((entry) => entry.secret?.secretName).sort()).to.deep.equal(['firedrill-kubeconfig', 'firedrill-ssh']);
      for (const entry of secrets) {
        expect(entry.secret?.defaultMode, entry.name).to.equal(0o400);
        expect(mounts.find((mount) => mount.name === entry.name)?.readOnly, entry.name).to.equal(true);
      }
      expect(volume('plan')?.configMap?.name).to.equal('firedrill-plan');
      expect(mounts.find((mount) => mount.name === 'plan')).to.deep.include({ mountPath: '/plan', readOnly: true });
      const claim = volume('data')?.persistentVolumeClaim?.claimName;
      expect(docs.find((doc) => doc.kind === 'PersistentVolumeClaim')?.metadata.name).to.equal(claim);
      const env = pod.containers[0]?.env ?? [];
      expect(env.find((entry) => entry.name === 'FIREDRILL_REPORTS_DIR')?.value).to.match(/^\/data\//);
      expect(env.find((entry) => entry.name === 'FIREDRILL_WEBHOOK_URL')?.valueFrom?.secretKeyRef).to.deep.include({ name: 'firedrill-webhook', key: 'url' });
    });
  });

  describe('the GitHub Actions workflow', () => {
    type Step = { name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> };
    const workflow = parse(read('github-actions/gameday.yml')) as { on: { schedule: { cron: string }[]; workflow_dispatch: unknown }; concurrency: { group: string; 'cancel-in-progress': boolean }; jobs: Record<string, { steps: Step[]; env?: Record<string, string> }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

    it('runs on a cron schedule and by hand, one at a time', () => {
      expect(workflow.on.schedule[0]?.cron.split(/\s+/)).to.have.length(5);
      expect(workflow.on).to.have.property('workflow_dispatch');
      expect(workflow.concurrency.group).to.be.a('string').and.not.equal('');
      expect(workflow.concurrency['cancel-in-progress'], 'a running game day is never cancelled by the next').to.equal(false);
    });

    it('installs with npm ci, runs the game day, and uploads the reports even when it failed', () => {
      const commands = steps.map((step) => step.run ?? '');
      expect(commands.indexOf('npm ci')).to.be.greaterThan(-1);
      const gameday = commands.findIndex((command) => /^npm run gameday -- \S+\.yaml$/.test(command));
      expect(gameday).to.be.greaterThan(commands.indexOf('npm ci'));
      const upload = steps.findIndex((step) => step.uses?.startsWith('actions/upload-artifact@'));
      expect(upload).to.be.greaterThan(gameday);
      expect(steps[upload]?.if).to.equal('always()');
      expect(String(steps[upload]?.with?.path)).to.include('${{ env.FIREDRILL_REPORTS_DIR }}');
      const env = Object.values(workflow.jobs)[0]?.env ?? {};
      expect(env.FIREDRILL_REPORTS_DIR, 'kept outside the workspace, which checkout cleans').to.match(/^\$\{\{ github\.workspace \}\}\/\.\.\//);
    });

    it('passes secrets only through env into owner-only files, never into a command line or the log', () => {
      for (const step of steps) expect(step.run ?? '', step.name ?? step.run).not.to.include('secrets.');
      const writer = steps.find((step) => Object.values(step.env ?? {}).some((value) => value.includes('secrets.FIREDRILL_SSH_KEY')));
      const script = writer?.run ?? '';
      expect(script.split('\n')[0]).to.equal('umask 077');
      for (const name of Object.keys(writer?.env ?? {})) {
        for (const line of script.split('\n').filter((text) => text.includes(`$${name}`))) expect(line, 'a secret only goes into a file').to.match(/^printf '%s\\n' "\$\w+" > "[^"]+"$/);
      }
      expect(script).not.to.match(/\becho\b|set -x/);
    });
    it('passes actionlint with its runner-label config, and a broken copy does not, naming line and rule', async function () {
      this.timeout(300_000); // builds actionlint the first time
      if (!goOnPath()) this.skip(); // Go builds the lab too: without it, npm test stops at `lab build` and says so
      const lint = await actionlint();
      const check = (workflow: string) =>
        run(lint, ['-no-color', '-config-file', join(DEPLOY, 'github-actions', 'actionlint.yaml'), workflow]).then(
          ({ stdout }) => ({ code: 0, stdout }),
          (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
        );
      expect(await check(join(DEPLOY, 'github-actions', 'gameday.yml'))).to.deep.equal({ code: 0, stdout: '' });
      const broken = join(mkdtempSync(join(tmpdir(), 'kfd-workflow-')), 'gameday.yml');
      writeFileSync(broken, read('github-actions/gameday.yml').replace(/cron: "[^"]*"/, 'cron: "0 25 * * *"'));
      const result = await check(broken);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.match(/gameday\.yml:\d+:\d+: .*\[events\]/);
    });
  });

  describe('the systemd units', () => {
    const service = unitFile('systemd/kube-firedrill-gameday.service');
    const timer = unitFile('systemd/kube-firedrill-gameday.timer');

    it('run the game day once per trigger as a dedicated user, with SIGTERM and time to restore on stop', () => {
      const get = (key: string) => service.Service?.[key]?.at(-1);
      expect(get('Type')).to.equal('oneshot');
      expect(get('User')).to.be.a('string').and.not.equal('root');
      expect(get('KillSignal')).to.equal('SIGTERM');
      expect(span(get('TimeoutStopSec'))).to.be.at.least(600);
      expect(get('WorkingDirectory')).to.match(/^\//);
      expect(get('EnvironmentFile')).to.match(/^-?\//);
      expect(get('ExecStart')).to.match(/ run gameday -- \/\S+\.yaml$/);
    });

    it('fire on a calendar, without catching up missed runs, with a small random delay', () => {
      expect(timer.Timer?.OnCalendar?.[0]).to.be.a('string');
      expect(timer.Timer?.Persistent).to.deep.equal(['false']);
      expect(span(timer.Timer?.RandomizedDelaySec?.[0])).to.be.within(1, 600);
      expect(timer.Timer?.Unit).to.deep.equal(['kube-firedrill-gameday.service']);
      expect(timer.Install?.WantedBy).to.deep.equal(['timers.target']);
    });

    it('pass `systemd-analyze verify` without a warning, and a broken copy does not', async function () {
      if (!existsSync('/usr/bin/systemd-analyze')) this.skip();
      const folder = mkdtempSync(join(tmpdir(), 'kfd-units-'));
      for (const name of ['kube-firedrill-gameday.service', 'kube-firedrill-gameday.timer']) copyFileSync(join(DEPLOY, 'systemd', name), join(folder, name));
      const verify = () => run('systemd-analyze', ['verify', '--man=no', 'kube-firedrill-gameday.service', 'kube-firedrill-gameday.timer'], { cwd: folder }).then(({ stderr }) => ({ code: 0, stderr }), (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }));
      expect(await verify()).to.deep.equal({ code: 0, stderr: '' });
      writeFileSync(join(folder, 'kube-firedrill-gameday.timer'), read('systemd/kube-firedrill-gameday.timer').replace(/^OnCalendar=.*$/m, 'OnCalendar=Tuesdayy 9'));
      const broken = await verify();
      expect(broken.code).to.not.equal(0);
      expect(broken.stderr).to.include('Failed to parse calendar specification');
    });
  });
});
