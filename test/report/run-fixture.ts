// Runs a fixture drill file with the kube-firedrill reporter in a child mocha, as a user would, into a temp folder.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MOCHA = join(ROOT, 'node_modules/mocha/bin/mocha.js');

export interface FixtureRun {
  reportsDir: string;
  runId: string;
  /** The run's folder: <reportsDir>/<runId>. */
  folder: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs test/report/fixtures/<name>.drill.ts without colours; resolves when mocha exits, whatever its exit code. */
export function runFixture(name: string, extraEnv: Record<string, string> = {}): Promise<FixtureRun> {
  const reportsDir = mkdtempSync(join(tmpdir(), `kfd-${name}-`));
  const runId = `${name}-${process.pid}`;
  const args = [MOCHA, '--reporter', './src/report/reporter.ts', '--reporter-option', `dir=${reportsDir}`, '--timeout', '20000', '--no-color', `test/report/fixtures/${name}.drill.ts`];
  return new Promise((resolve) => {
    const env = { ...process.env, FIREDRILL_RUN_ID: runId, FIREDRILL_REPORTS_DIR: reportsDir, ...extraEnv };
    execFile(process.execPath, args, { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      const code = failure ? (typeof failure.code === 'number' ? failure.code : null) : 0;
      resolve({ reportsDir, runId, folder: join(reportsDir, runId), code, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

const runs = new Map<string, Promise<FixtureRun>>();

/** The same fixture run, shared by the test files of one mocha process. */
export function fixtureRun(name: string): Promise<FixtureRun> {
  let run = runs.get(name);
  if (!run) {
    run = runFixture(name);
    runs.set(name, run);
  }
  return run;
}
