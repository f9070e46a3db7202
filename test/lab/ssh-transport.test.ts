// The SSH transport against the lab's real OpenSSH servers: quoting, exit codes, sudo, host keys, jump host, timeouts, reuse.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ProfileHost } from '../../src/profile/profile-schema.ts';
import { hostKeyName } from '../../src/transport/known-hosts.ts';
import { HostKeyError, SshCommandError, SshConnectError, SshTimeoutError } from '../../src/transport/ssh-errors.ts';
import { SshTransport } from '../../src/transport/ssh-transport.ts';
import { useLab, type Lab } from './lab-fixture.ts';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A port nothing listens on at this address. */
async function unusedPort(address: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** ssh-keygen's own SHA256 fingerprint of a known_hosts line. */
function keygenFingerprint(dir: string, line: string): string {
  const file = join(dir, `line-${randomBytes(4).toString('hex')}`);
  writeFileSync(file, line + '\n');
  return execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' }).split(' ')[1] as string;
}

describe('SSH transport (lab)', function () {
  this.timeout(60_000);
  let lab: Lab;
  let transport: SshTransport;
  let cp: ProfileHost;
  let worker: ProfileHost;
  let tmp: string;
  const transports: SshTransport[] = [];
  const fresh = () => {
    const created = new SshTransport(lab.profile.hosts);
    transports.push(created);
    return created;
  };

  before(async function () {
    this.timeout(300_000);
    lab = await useLab();
    cp = lab.profile.hosts.find((host) => host.role === 'control-plane') as ProfileHost;
    worker = lab.profile.hosts.find((host) => host.role === 'worker') as ProfileHost;
    transport = fresh();
    tmp = mkdtempSync(join(tmpdir(), 'kfd-ssh-test-'));
  });

  after(async () => {
    await Promise.all(transports.map((each) => each.close()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('runs echo and id -un on every host', async () => {
    for (const host of lab.profile.hosts) {
      const echo = await transport.check(host, ['echo', 'hello', host.name]);
      expect(echo).to.include({ host: host.name, code: 0, stdout: `hello ${host.name}\n`, stderr: '', sudo: host.sudo });
      const id = await transport.check(host, ['id', '-un']);
      expect(id.stdout.trim()).to.equal(host.sudo ? 'root' : host.user);
      // sudo resets the environment, so LAB_HOST (set by the host's sshd) is read without it.
      expect((await transport.check({ ...host, sudo: false }, ['printenv', 'LAB_HOST'])).stdout.trim()).to.equal(host.name);
    }
  });

  it('passes a hostile argument literally: no shell injection', async () => {
    const marker = join(tmp, 'pwned');
    const hostile = `'; touch ${marker}; '`;
    const result = await transport.check(cp, ['printf', '%s', hostile]);
    expect(result.stdout).to.equal(hostile);
    for (const argument of ['$(touch ' + marker + ')', '`touch ' + marker + '`', `a" ; touch ${marker}; "`, 'two\nlines', '']) {
      expect((await transport.check(cp, ['printf', '%s', argument])).stdout).to.equal(argument);
    }
    expect(existsSync(marker)).to.equal(false);
  });

  it('reports a non-zero exit: run resolves with the code, check rejects with SshCommandError', async () => {
    const argv = ['sh', '-c', 'echo broken-on-purpose >&2; exit 3'];
    const result = await transport.run(worker, argv);
    expect(result).to.include({ code: 3, stdout: '', stderr: 'broken-on-purpose\n' });
    const error = await rejection(transport.check(worker, argv));
    expect(error).to.be.instanceOf(SshCommandError);
    expect(error).to.include({ code: 'SSH_COMMAND', host: worker.name, exitCode: 3 });
    expect(error.message).to.include(worker.name).and.include('broken-on-purpose').and.include('exit code 3');
    const missing = await rejection(transport.check(worker, ['no-such-command-kfd']));
    expect(missing.message).to.include('exit code 127').and.include('command not found');
  });

  it('maps a command killed by a signal to 128 + its number', async () => {
    const result = await transport.run(cp, ['sh', '-c', 'kill -KILL $$']);
    expect(result.code).to.equal(137);
  });

  it('runs through sudo -n when the host says sudo: true', async () => {
    const viaSudo = await transport.check({ ...cp, sudo: true }, ['id', '-u']);
    expect(viaSudo).to.include({ sudo: true, stdout: '0\n' });
    const plain = await transport.check({ ...cp, sudo: false }, ['id', '-u']);
    expect(plain.sudo).to.equal(false);
  });

  it('refuses a host whose key differs from known_hosts, naming the host and both fingerprints', async () => {
    const keyFile = join(tmp, 'other_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const [type, key] = readFileSync(`${keyFile}.pub`, 'utf8').trim().split(/\s+/);
    const wrongLine = `${hostKeyName(cp.address, cp.port)} ${type} ${key}`;
    const knownHosts = join(tmp, 'wrong_known_hosts');
    writeFileSync(knownHosts, wrongLine + '\n');
    const realLine = readFileSync(cp.knownHosts, 'utf8')
      .split('\n')
      .find((line) => line.startsWith(`${hostKeyName(cp.address, cp.port)} `)) as string;

    const checker = fresh();
    const error = await rejection(checker.run({ ...cp, knownHosts }, ['true']));
    expect(error).to.be.instanceOf(HostKeyError);
    expect(error).to.include({ code: 'SSH_HOST_KEY', kind: 'mismatch', host: cp.name });
    expect(error.message).to.include(cp.name).and.include('CHANGED');
    expect(error.message).to.include(keygenFingerprint(tmp, realLine)).and.include(keygenFingerprint(tmp, wrongLine));
  });

  it('refuses a host that is not in known_hosts and says how to add it', async () => {
    const knownHosts = join(tmp, 'other_known_hosts');
    writeFileSync(knownHosts, readFileSync(cp.knownHosts, 'utf8').replaceAll(hostKeyName(cp.address, cp.port), '[192.0.2.1]:2222'));
    const error = await rejection(fresh().run({ ...cp, knownHosts }, ['true']));
    expect(error).to.be.instanceOf(HostKeyError);
    expect(error).to.include({ code: 'SSH_HOST_KEY', kind: 'unknown' });
    expect(error.message).to.include(cp.name).and.match(/SHA256:\S+/).and.include(`ssh-keyscan -p ${cp.port} ${cp.address} >> ${knownHosts}`);
  });

  it('reaches a worker through the control-plane host as jump host', async () => {
    const jumper = fresh();
    const result = await jumper.check({ ...worker, jumpHost: cp.name, sudo: false }, ['printenv', 'LAB_HOST']);
    expect(result.stdout.trim()).to.equal(worker.name);
    expect(jumper.connectionsOpened).to.equal(2); // the jump host's connection, then the worker's through it
    expect((await jumper.check({ ...cp, sudo: false }, ['printenv', 'LAB_HOST'])).stdout.trim()).to.equal(cp.name);
    expect(jumper.connectionsOpened).to.equal(2); // the jump host's connection serves direct commands too
  });

  it('rejects with SshTimeoutError when the command outlives its timeout, and the connection stays usable', async () => {
    const started = Date.now();
    const error = await rejection(transport.run(cp, ['sleep', '5'], { timeoutMs: 500 }));
    expect(Date.now() - started).to.be.below(2_000);
    expect(error).to.be.instanceOf(SshTimeoutError);
    expect(error).to.include({ code: 'SSH_TIMEOUT', host: cp.name, limitSeconds: 0.5 });
    expect(error.message).to.include('sleep 5');
    expect((await transport.check(cp, ['true'])).code).to.equal(0);
  });

  it('rejects with the abort reason when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('drill interrupted')), 200);
    const error = await rejection(transport.run(cp, ['sleep', '5'], { signal: controller.signal }));
    expect(error.message).to.equal('drill interrupted');
  });

  it('gives SshConnectError naming the host when nothing listens on the port', async () => {
    const port = await unusedPort(cp.address);
    const error = await rejection(fresh().run({ ...cp, port }, ['true']));
    expect(error).to.be.instanceOf(SshConnectError);
    expect(error).to.include({ code: 'SSH_CONNECT', host: cp.name });
    expect(error.message).to.include(`${cp.address}:${port}`).and.include(`is sshd running on ${cp.name}`);
  });

  it('reuses one connection for sequential and concurrent commands', async () => {
    const reused = fresh();
    for (let i = 0; i < 20; i++) expect((await reused.check(worker, ['echo', String(i)])).stdout).to.equal(`${i}\n`);
    expect(reused.connectionsOpened).to.equal(1);
    const outputs = await Promise.all(Array.from({ length: 25 }, (_, i) => reused.check(worker, ['echo', String(i)])));
    expect(outputs.map((result) => result.stdout)).to.deep.equal(Array.from({ length: 25 }, (_, i) => `${i}\n`));
    expect(reused.connectionsOpened).to.equal(1);
  });

  it('opens one connection for concurrent first commands, and reopens a dropped one', async () => {
    const shared = fresh();
    await Promise.all([1, 2, 3, 4, 5].map(() => shared.check(worker, ['true'])));
    expect(shared.connectionsOpened).to.equal(1);
    // Kill this connection's sshd process: the session's parent.
    await rejection(shared.run({ ...worker, sudo: false }, ['sh', '-c', 'kill -KILL $PPID; sleep 5'])).catch(() => undefined);
    expect((await shared.check(worker, ['echo', 'back'])).stdout).to.equal('back\n');
    expect(shared.connectionsOpened).to.equal(2);
  });

  it('closes every connection, and close can be called twice', async () => {
    const closing = fresh();
    await closing.check(cp, ['true']);
    await closing.close();
    await closing.close();
  });
});
