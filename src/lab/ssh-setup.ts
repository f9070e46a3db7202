// The lab's SSH: a host key and an sshd config per host, one client key, an authorized_keys and a known_hosts file.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LabHost, LabTopology } from './topology.ts';

const run = promisify(execFile);

export interface LabSsh {
  user: string;
  identityFile: string;
  knownHosts: string;
}

export function sshDir(topology: LabTopology): string {
  return join(topology.labDir, 'ssh');
}

async function keygen(path: string, comment: string): Promise<void> {
  if (!existsSync(path)) await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

/** The PATH a session on this host gets: the host's own bin first, so its systemctl and sudo answer. */
export function hostPath(host: LabHost): string {
  return `${join(host.dir, 'bin')}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
}

/**
 * The session's home: the host's own folder, so a login on a lab host reads that host's (empty) dotfiles, not those
 * of the machine's user. sshd's SetEnv comes after the account's HOME, so it wins.
 */
export function hostHome(host: LabHost): string {
  return join(host.dir, 'home');
}

export function sshdConfigPath(host: LabHost): string {
  return join(host.dir, 'etc', 'ssh', 'sshd_config');
}

export async function ensureSsh(topology: LabTopology): Promise<LabSsh> {
  const dir = sshDir(topology);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const user = userInfo().username;
  const identityFile = join(dir, 'id_ed25519');
  await keygen(identityFile, 'kube-firedrill-lab');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${identityFile}.pub`), { mode: 0o600 });
  const knownHosts: string[] = [];
  await Promise.all(
    topology.hosts.map(async (host) => {
      const etcSsh = join(host.dir, 'etc', 'ssh');
      mkdirSync(etcSsh, { recursive: true });
      mkdirSync(hostHome(host), { recursive: true });
      const hostKey = join(etcSsh, 'ssh_host_ed25519_key');
      await keygen(hostKey, `root@${host.name}`);
      const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
      knownHosts.push(`[${host.address}]:${topology.sshPort} ${type} ${key}`);
      writeFileSync(sshdConfigPath(host), sshdConfig(topology, host, hostKey, user));
    }),
  );
  const known = join(dir, 'known_hosts');
  writeFileSync(known, knownHosts.sort().join('\n') + '\n');
  return { user, identityFile, knownHosts: known };
}

function sshdConfig(topology: LabTopology, host: LabHost, hostKey: string, user: string): string {
  return [
    `# sshd of the lab host ${host.name}; written by kube-firedrill lab up`,
    `ListenAddress ${host.address}:${topology.sshPort}`,
    `HostKey ${hostKey}`,
    `PidFile ${join(host.dir, 'run', 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(sshDir(topology), 'authorized_keys')}`,
    `AllowUsers ${user}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PrintMotd no',
    'MaxStartups 200:30:400',
    'MaxSessions 100',
    `SetEnv PATH=${hostPath(host)} HOME=${hostHome(host)} LAB_HOST=${host.name}`,
    '',
  ].join('\n');
}
