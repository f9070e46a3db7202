// `npm run drill -- --profile bad.yaml` as a user runs it: exit 2, every bad field named, and nothing contacted.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { validProfile } from '../profile/profile-fixture.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type Profile = ReturnType<typeof validProfile> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function drill(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/drill.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('drill CLI with a bad profile', function () {
  this.timeout(60_000);
  let dir: string;
  let server: Server;
  let connections = 0;
  let port = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kfd-bad-profile-'));
    // Stands where the cluster and the hosts would be: any connection to it means something was contacted.
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());

  /** The fixture profile aimed at the listener (kubeconfig, hosts and known_hosts real files), then mutated. */
  function write(mutate: (profile: Profile) => void): string {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { token: 'abc' } }],
        contexts: [{ name: 'staging', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'staging',
      }),
    );
    writeFileSync(join(dir, 'known_hosts'), '');
    const profile = validProfile() as Profile;
    profile.cluster.kubeconfig = kubeconfig;
    for (const host of profile.hosts) {
      host.address = '127.0.0.1';
      host.knownHosts = join(dir, 'known_hosts');
      delete host.identityFile;
    }
    profile.hosts[0].port = port;
    profile.hosts[1].port = port + 1;
    mutate(profile);
    const file = join(dir, `profile-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(profile));
    return file;
  }

  const env = () => ({ FIREDRILL_REPORTS_DIR: join(dir, 'reports'), FIREDRILL_LAB_DIR: join(dir, 'lab'), FIREDRILL_JOURNAL_DIR: join(dir, 'journal') });

  it('refuses an address carrying an ssh option and a process name starting with "-", naming both', async () => {
    const file = write((p) => {
      p.hosts[1].address = '10.0.0.10 -oProxyCommand=touch /tmp/x';
      p.components.etcd.process = '-uroot';
    });
    const result = await drill(['--profile', file, 'scheduler-down'], env());
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.include(`${file}: invalid cluster profile:`);
    expect(result.stderr).to.include('hosts[1].address: an IP address or DNS name');
    expect(result.stderr).to.include('components.etcd.process: a process name');
    expect(connections).to.equal(0);
  });

  it('refuses missing files by field, without a raw ENOENT, before contacting the cluster', async () => {
    const file = write((p) => {
      p.cluster.kubeconfig = join(dir, 'no-such-kubeconfig');
      p.hosts[0].knownHosts = join(dir, 'no-such-known-hosts');
    });
    const result = await drill(['--profile', file, 'scheduler-down'], env());
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.include(`cluster.kubeconfig: file ${join(dir, 'no-such-kubeconfig')} does not exist`);
    expect(result.stderr).to.include(`hosts[0].knownHosts: file ${join(dir, 'no-such-known-hosts')} does not exist`);
    expect(result.stderr).to.not.include('ENOENT');
    expect(connections).to.equal(0);
  });

  it('reaches the cluster once the profile is valid (the listener does see a connection)', async () => {
    const file = write(() => {});
    const result = await drill(['--profile', file, 'scheduler-down'], env());
    expect(result.code).to.not.equal(0);
    expect(connections).to.be.greaterThan(0);
  });
});
