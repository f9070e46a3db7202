// The lab's own lifecycle on a second, one-worker lab: bad input changes nothing, a half-started lab is cleaned, down leaves nothing.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { labProcesses } from '../../src/lab/lab-processes.ts';
import { runningSupervisor, supervisorPidPath } from '../../src/lab/lab-state.ts';
import { lab } from './lab-cli.ts';

const SUBNET = '127.0.30';

/** Waits for a condition (polled every 50 ms), failing after 10 s with what it waited for. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after 10 s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('lab lifecycle', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'kfd-lifecycle-'));
  const args = (command: string, ...more: string[]) => [command, '--dir', dir, '--subnet', SUBNET, ...more];

  after(async () => {
    await lab(args('down'));
  });

  it('refuses to start when an address it needs is taken, naming it, and starts nothing', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(6443, `${SUBNET}.1`, resolve));
    try {
      const result = await lab(args('up', '--nodes', '1'));
      expect(result.code).to.equal(2);
      expect(result.stderr).to.include(`${SUBNET}.1:6443 (kube-apiserver of control-plane) is already in use`);
      expect(result.stderr).to.include('--subnet');
      expect(labProcesses(dir)).to.deep.equal([]);
    } finally {
      blocker.close();
    }
  });

  it('says clearly when sshd is missing, and starts nothing', async () => {
    const result = await lab(args('up', '--nodes', '1'), { FIREDRILL_SSHD: '/nonexistent/sshd' });
    expect(result.code).to.equal(3);
    expect(result.stderr).to.include('sshd not found at FIREDRILL_SSHD=/nonexistent/sshd');
    expect(labProcesses(dir)).to.deep.equal([]);
  });

  it('rejects a bad node count and a bad subnet with exit code 2', async () => {
    expect((await lab(args('up', '--nodes', '0'))).stderr).to.include('--nodes must be an integer from 1 to 200');
    const subnet = await lab(['up', '--dir', dir, '--subnet', '10.0.0']);
    expect(subnet.code).to.equal(2);
    expect(subnet.stderr).to.include('--subnet must be three octets of a loopback address');
  });

  it('cleans up a half-started lab (supervisor killed, children left) and starts again', async () => {
    const first = await lab(args('up', '--nodes', '1'));
    expect(first.code, first.stderr).to.equal(0);
    const supervisor = Number(readFileSync(supervisorPidPath(dir), 'utf8'));
    process.kill(supervisor, 'SIGKILL');
    // Right after the kill, status names a state: the supervisor may still be dying (not answering) or gone.
    const early = await lab(args('status'));
    expect(early.stdout).to.match(/^(half-started|supervisor not answering):/);
    expect(early.code).to.be.oneOf([5, 6]);
    await until(() => !runningSupervisor(dir), 'the killed supervisor to be gone');
    expect(labProcesses(dir).length).to.be.greaterThan(3);
    const status = await lab(args('status'));
    expect(status.stdout).to.match(/^half-started:/);
    expect(status.code).to.equal(5);
    const again = await lab(args('up', '--nodes', '1'));
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.include('found a half-started lab');
  });

  it('is idempotent: up on a running lab only checks it', async () => {
    const result = await lab(args('up', '--nodes', '1'));
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include('lab already running');
  });

  it('down leaves no lab process behind', async () => {
    expect(labProcesses(dir).length).to.be.greaterThan(0);
    const result = await lab(args('down'));
    expect(result.code, result.stderr).to.equal(0);
    expect(labProcesses(dir)).to.deep.equal([]);
    const status = await lab(args('status'));
    expect(status.stdout).to.include('not running');
    expect(status.code).to.equal(1);
  });
});
