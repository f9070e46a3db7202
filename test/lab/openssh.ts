// Runs a command on a lab host with the OpenSSH client, strict host-key checking on (independent of our transport).
import { spawnSync } from 'node:child_process';
import type { ProfileHost } from '../../src/profile/profile-schema.ts';

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function openssh(host: ProfileHost, command: string, knownHosts = host.knownHosts): SshResult {
  const args = [
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=5',
    '-i', host.identityFile ?? '',
    '-p', String(host.port),
    `${host.user}@${host.address}`,
    command,
  ];
  const result = spawnSync('ssh', args, { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
