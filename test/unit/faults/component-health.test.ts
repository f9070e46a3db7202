// "Back and healthy", with the real check script run by /bin/sh on this machine against real processes and a real
// HTTP endpoint: an old process is refused, a new one that answers is accepted, one that answers 503 is not.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { KubeConfig } from '@kubernetes/client-node';
import { judge, snapshotProcesses, waitUntilBackHealthy, type ProcessSnapshot } from '../../../src/faults/component-health.ts';
import type { FaultContext } from '../../../src/faults/fault.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import type { ComponentHealth, ProfileHost } from '../../../src/profile/profile-schema.ts';
import type { CommandResult, Transport } from '../../../src/transport/transport.ts';
import { stringify } from 'yaml';
import { validProfile } from '../profile/profile-fixture.ts';

/** Runs each command on this machine, as a host would run it over SSH (asynchronously: the endpoint is in this process). */
class LocalTransport implements Transport {
  constructor(private readonly path?: string) {}
  async run(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    const [file, ...args] = argv as [string, ...string[]];
    return new Promise((resolve) => {
      execFile(file, args, { encoding: 'utf8', env: this.path ? { PATH: this.path } : process.env }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ host: host.name, argv, sudo: false, code, stdout, stderr, durationMs: 1 });
      });
    });
  }
  async check(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    return this.run(host, argv);
  }
  async close(): Promise<void> {}
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('component health after a restore', function () {
  this.timeout(20_000);
  const profile = parseProfile(stringify(validProfile()), 'p.yaml');
  const host = profile.hosts[0]!;
  const context: FaultContext = { profile, transport: new LocalTransport(), kube: new KubeConfig(), dryRun: false, signal: new AbortController().signal, announceApiChange: () => {} };
  // A process name of its own (pgrep -x sees the link's name), so no other process on this machine matches.
  const name = `kfd-${process.pid}`.slice(0, 15);
  const binary = join(mkdtempSync(join(tmpdir(), 'kfd-health-')), name);
  symlinkSync(spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim(), binary);
  const selector = { process: name };
  let status = 200;
  let server: Server;
  let health: ComponentHealth;
  const children: ChildProcess[] = [];
  const start = async () => {
    const child = spawn(binary, ['60'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    return child;
  };

  before(async () => {
    server = createServer((_request, response) => response.writeHead(status).end(status === 200 ? 'ok' : 'not ready'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    health = { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/healthz` };
  });

  after(() => {
    for (const child of children) child.kill('SIGKILL');
    server.close();
  });

  it('refuses the process from before the fault, accepts a new one that answers, and says which', async () => {
    const old = await start();
    const before = await snapshotProcesses(context, host, selector);
    expect(before.processes.map((process) => process.pid)).to.deep.equal([old.pid]);
    expect(before.bootId).to.match(/^[0-9a-f-]{36}$/);

    const stillOld = await rejection(waitUntilBackHealthy(context, host, { selector, before, health, timeoutMs: 1_500, stableMs: 200 }));
    expect(stillOld.message).to.include(`still the process from before the fault (pid ${old.pid})`);

    old.kill('SIGKILL');
    const fresh = await start();
    const back = await waitUntilBackHealthy(context, host, { selector, before, health, timeoutMs: 5_000, stableMs: 200 });
    expect(back.pid).to.equal(fresh.pid);
    expect(back.summary).to.equal(`${name} on ${host.name}: new pid ${fresh.pid} (was ${old.pid}) answers ${health.url}`);
  });

  it('refuses a new process whose health endpoint does not answer 200, or that is gone', async () => {
    const before: ProcessSnapshot = await snapshotProcesses(context, host, selector);
    for (const child of children) child.kill('SIGKILL');
    await start();
    status = 503;
    const unhealthy = await rejection(waitUntilBackHealthy(context, host, { selector, before, health, timeoutMs: 1_500, stableMs: 200 }));
    expect(unhealthy.message).to.match(new RegExp(`pid \\d+ runs but ${health.url} gives HTTP 503`));
    status = 200;
    for (const child of children) child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const gone = await rejection(waitUntilBackHealthy(context, host, { selector, before, health, timeoutMs: 1_000, stableMs: 200 }));
    expect(gone.message).to.include('no process running');
  });

  it('accepts the old process only when the fault never took effect', async () => {
    const old = await start();
    const before = await snapshotProcesses(context, host, selector);
    const back = await waitUntilBackHealthy(context, host, { selector, before, health, timeoutMs: 3_000, stableMs: 200, acceptOld: true });
    expect(back.pid).to.equal(old.pid);
    expect(back.summary).to.include('the process from before (the fault never took effect)');
  });

  it('asks with wget where curl is not installed', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'kfd-nocurl-'));
    for (const tool of ['sh', 'cat', 'pgrep', 'sed', 'cut', 'wget']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    const withoutCurl = { ...context, transport: new LocalTransport(bin) };
    const before = await snapshotProcesses(withoutCurl, host, selector);
    for (const child of children) child.kill('SIGKILL');
    const fresh = await start();
    expect((await waitUntilBackHealthy(withoutCurl, host, { selector, before, health, timeoutMs: 5_000, stableMs: 200 })).pid).to.equal(fresh.pid);
    status = 503;
    const unhealthy = await rejection(waitUntilBackHealthy(withoutCurl, host, { selector, before, health, timeoutMs: 1_000, stableMs: 200 }));
    status = 200;
    expect(unhealthy.message).to.include('gives no answer or not 200 (wget exit 8)');
  });

  it('after a reboot (another boot id) every process is new', () => {
    const before = { bootId: 'a', processes: [{ pid: 10, startTicks: 5 }] };
    expect(judge({ bootId: 'a', processes: [{ pid: 10, startTicks: 5 }], health: '200' }, before, health)).to.deep.equal({ verdict: 'still the process from before the fault (pid 10)' });
    expect(judge({ bootId: 'b', processes: [{ pid: 10, startTicks: 5 }], health: '200' }, before, health)).to.deep.equal({ pid: 10 });
    expect(judge({ bootId: 'a', processes: [{ pid: 10, startTicks: 9 }], health: '200' }, before, health)).to.deep.equal({ pid: 10 });
    expect(judge({ bootId: 'a', processes: [{ pid: 11, startTicks: 9 }], health: 'no-client' }, before, health).verdict).to.include('neither curl nor wget');
  });
});
