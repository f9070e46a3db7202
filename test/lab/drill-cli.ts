// Runs `npm run drill` / `npm run restore` as child processes (one node process each, so signals reach the runner).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from './lab-cli.ts';

export const reportsDir = mkdtempSync(join(tmpdir(), 'kfd-reports-'));

export const drillCli = (args: string[], env: Record<string, string> = {}) => runCli('src/cli/drill.ts', args, { FIREDRILL_REPORTS_DIR: reportsDir, ...env }, 600_000);
export const restoreCli = (args: string[] = []) => runCli('src/cli/restore.ts', args);

export interface RunningDrill {
  child: ChildProcess;
  output: () => string;
  done: Promise<CliResult>;
}

/** Starts a drill and returns at once, for tests that interrupt it. */
export function startDrill(args: string[], env: Record<string, string> = {}): RunningDrill {
  return startCli('src/cli/drill.ts', args, env);
}

/** Starts a CLI script (drill, gameday) and returns at once. */
export function startCli(script: string, args: string[], env: Record<string, string> = {}): RunningDrill {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, FIREDRILL_REPORTS_DIR: reportsDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, output: () => stdout + stderr, done };
}
