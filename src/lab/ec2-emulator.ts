// The EC2 API the lab and the tests use: moto's server (a real EC2 API emulator), installed from PyPI into a
// virtualenv in the build cache, and started on a loopback address.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from './dirs.ts';
import { LabError } from './lab-error.ts';
import { MOTO_VERSION } from './versions.ts';

const run = promisify(execFile);
const START_TIMEOUT_MS = 30_000;

/** The moto_server executable, installed on first use (needs python3 with venv, and PyPI). */
export async function ensureEc2Emulator(log: (line: string) => void): Promise<string> {
  const venv = join(cacheDir(), 'venv', `moto-${MOTO_VERSION}`);
  const server = join(venv, 'bin', 'moto_server');
  if (existsSync(server)) return server;
  log(`installing the EC2 API emulator (moto ${MOTO_VERSION}) from PyPI into ${venv}`);
  try {
    await run('python3', ['-m', 'venv', venv]);
  } catch (error) {
    throw new LabError(`cannot create a Python virtualenv (${(error as Error).message.split('\n')[0]}): install python3 and python3-venv`, 3);
  }
  try {
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`], { maxBuffer: 16 << 20 });
  } catch (error) {
    throw new LabError(`pip could not install moto[server]==${MOTO_VERSION}: ${(error as Error).message.split('\n').slice(0, 5).join(' ')}`, 3);
  }
  return server;
}

export interface Ec2Emulator {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Resolves once the emulator at `endpoint` answers; rejects after START_TIMEOUT_MS, or as soon as `exited` says why
 * the process is gone.
 */
export async function waitForEc2Emulator(endpoint: string, exited: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(`the EC2 emulator exited at start: ${gone}`);
    const ok = await fetch(`${endpoint}/moto-api/`).then((response) => response.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the EC2 emulator did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts moto_server on address:port and resolves once it answers EC2 requests. */
export async function startEc2Emulator(server: string, address: string, port: number): Promise<Ec2Emulator> {
  const child = spawn(server, ['-H', address, '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const endpoint = `http://${address}:${port}`;
  try {
    await waitForEc2Emulator(endpoint, () => (child.exitCode !== null ? `exit ${child.exitCode}` : undefined));
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its stderr: ${stderr.trim() || '(empty)'}`, { cause: error });
  }
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
