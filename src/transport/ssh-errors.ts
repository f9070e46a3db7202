// Typed SSH transport errors with stable codes; each names the host and says what to do about it.
import { constants } from 'node:os';
import type { ProfileHost } from '../profile/profile-schema.ts';
import { hostKeyName } from './known-hosts.ts';
import { shellQuote } from './shell-quote.ts';
import type { CommandResult } from './transport.ts';

const STDERR_EXCERPT = 500;

function endpoint(host: ProfileHost): string {
  return `${host.address}:${host.port}`;
}

/** Could not open (or keep) an SSH connection: network, sshd, authentication or key file. */
export class SshConnectError extends Error {
  readonly code = 'SSH_CONNECT';
  readonly host: string;
  readonly endpoint: string;
  constructor(host: ProfileHost, reason: string, options?: { cause?: unknown }) {
    super(`cannot connect to ${host.name} (${host.user}@${endpoint(host)}${host.jumpHost ? ` via ${host.jumpHost}` : ''}): ${reason}`, options);
    this.name = 'SshConnectError';
    this.host = host.name;
    this.endpoint = endpoint(host);
  }

  /** Turns what ssh2 or the socket reported into advice. */
  static from(host: ProfileHost, error: unknown): SshConnectError {
    return new SshConnectError(host, connectAdvice(host, error as Error & { code?: string; level?: string }), { cause: error });
  }
}

function connectAdvice(host: ProfileHost, error: Error & { code?: string; level?: string }): string {
  const where = `${endpoint(host)}${host.jumpHost ? ` (as seen from ${host.jumpHost})` : ''}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused: is sshd running on ${host.name} and listening on ${where}?`;
    case 'ETIMEDOUT':
      return `timed out: is ${where} reachable (network, firewall, security group) and is the port right?`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${host.address}: is the host up and the address right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${host.address}: check the address in the profile`;
  }
  if (error.level === 'client-timeout') return `no SSH handshake within the connect timeout: is ${where} an sshd, and reachable?`;
  if (/no matching host key/i.test(error.message)) {
    return `the server offers none of the key types ${host.knownHosts} has for it: did its host keys change? Compare with ssh-keyscan -p ${host.port} ${host.address}`;
  }
  if (error.level === 'agent') return `the ssh-agent at SSH_AUTH_SOCK (${process.env.SSH_AUTH_SOCK}) failed (${error.message}): is it running? (ssh-add -l)`;
  if (error.level === 'client-authentication') {
    const credentials = host.identityFile ? `the key ${host.identityFile}` : `the keys of the ssh-agent at SSH_AUTH_SOCK`;
    return `the server refused ${credentials} for user ${host.user}: check ~${host.user}/.ssh/authorized_keys on ${host.name} / the agent (ssh-add -l)`;
  }
  return error.message;
}

export interface HostKeyProblem {
  kind: 'unknown' | 'mismatch' | 'revoked';
  /** Fingerprint of the key the server presented, e.g. ssh-ed25519 SHA256:xxxx. */
  presented: string;
  /** Fingerprints of the keys known_hosts expects for this host. */
  expected: string[];
}

/** The server's host key is not the one known_hosts expects: the connection is refused. */
export class HostKeyError extends Error {
  readonly code = 'SSH_HOST_KEY';
  readonly host: string;
  readonly kind: HostKeyProblem['kind'];
  constructor(host: ProfileHost, problem: HostKeyProblem) {
    super(hostKeyMessage(host, problem));
    this.name = 'HostKeyError';
    this.host = host.name;
    this.kind = problem.kind;
  }
}

function hostKeyMessage(host: ProfileHost, { kind, presented, expected }: HostKeyProblem): string {
  const who = `${host.name} (${endpoint(host)})`;
  if (kind === 'unknown') {
    return (
      `${who} is not in ${host.knownHosts}; its key is ${presented}; verify it and add it with: ` +
      `ssh-keyscan -p ${host.port} ${host.address} >> ${host.knownHosts}`
    );
  }
  if (kind === 'revoked') return `${who} presented the key ${presented}, which ${host.knownHosts} marks @revoked; refusing to connect`;
  return (
    `the host key of ${who} CHANGED: it presented ${presented} but ${host.knownHosts} expects ${expected.join(' or ')}. ` +
    'Refusing to connect: this is either a reinstalled host or someone in the middle. ' +
    `If the change is legitimate, remove the old entry (ssh-keygen -R '${hostKeyName(host.address, host.port)}' -f ${host.knownHosts}) and add the new key after verifying it`
  );
}

/** What an exit code usually means, as a shell reports it. */
export function exitCodeMeaning(code: number, stderr: string, sudo: boolean): string {
  if (sudo && /a password is required/i.test(stderr)) return 'the user needs passwordless sudo for this command';
  if (code === 1) return 'general failure';
  if (code === 2) return 'misuse: wrong arguments or usage';
  if (code === 126) return 'found but not executable';
  if (code === 127) return 'command not found';
  if (code > 128 && code < 128 + 65) {
    const signal = Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0];
    return `killed by signal ${code - 128}${signal ? ` (${signal})` : ''}`;
  }
  return 'failed';
}

function excerpt(stderr: string): string {
  const text = stderr.trim();
  return text.length > STDERR_EXCERPT ? `…${text.slice(-STDERR_EXCERPT)}` : text;
}

/** The command ran but exited non-zero. */
export class SshCommandError extends Error {
  readonly code = 'SSH_COMMAND';
  readonly host: string;
  readonly exitCode: number;
  readonly result: CommandResult;
  constructor(result: CommandResult) {
    const command = shellQuote(result.sudo ? ['sudo', '-n', '--', ...result.argv] : result.argv);
    const stderr = excerpt(result.stderr);
    super(
      `\`${command}\` failed on ${result.host} with exit code ${result.code} (${exitCodeMeaning(result.code, result.stderr, result.sudo)})` +
        (stderr ? `; stderr: ${stderr}` : '; no stderr'),
    );
    this.name = 'SshCommandError';
    this.host = result.host;
    this.exitCode = result.code;
    this.result = result;
  }
}

/** The command did not finish in time; its channel was closed. */
export class SshTimeoutError extends Error {
  readonly code = 'SSH_TIMEOUT';
  readonly host: string;
  readonly command: string;
  readonly limitSeconds: number;
  constructor(host: string, command: string, limitSeconds: number) {
    super(
      `\`${command}\` on ${host} did not finish within ${limitSeconds} s; its channel was closed, ` +
        'but the command may still be running on the host (sshd does not always pass the stop signal on)',
    );
    this.name = 'SshTimeoutError';
    this.host = host;
    this.command = command;
    this.limitSeconds = limitSeconds;
  }
}
