// Runs commands on profile hosts over SSH (ssh2): one verified, reused connection per host, optionally through a jump host.
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import ssh2, { type ClientChannel, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import type { ProfileHost } from '../profile/profile-schema.ts';
import { containsKey, fingerprint, keyType, readExpectedKeys, type ExpectedKeys, type KnownKey } from './known-hosts.ts';
import { HostKeyError, SshCommandError, SshConnectError, SshTimeoutError } from './ssh-errors.ts';
import { shellQuote } from './shell-quote.ts';
import type { CommandOptions, CommandResult, Transport } from './transport.ts';

const { Client, utils } = ssh2;
type SshClient = InstanceType<typeof Client>;

const DEFAULT_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** A dead connection is noticed after this many unanswered keepalives, this far apart. */
const KEEPALIVE_MS = 5_000;
const KEEPALIVE_MAX = 3;
/** OpenSSH's default MaxSessions: more concurrent commands than this on one connection wait for a free session. */
const MAX_SESSIONS = 10;
const SUPPORTED_HOST_KEY_ALGORITHMS = new Set([
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss',
]);

type Output = Pick<CommandResult, 'code' | 'stdout' | 'stderr'>;

/** A command in flight: the channel it runs on once open, and whether it was abandoned (timeout or abort). */
interface Running {
  channel?: ClientChannel;
  abandoned: boolean;
}

/** One open SSH connection and its session slots (a slot is freed when the server closes the session). */
class Connection {
  private closed = false;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly client: SshClient) {
    client.on('close', () => (this.closed = true));
  }

  async acquire(): Promise<void> {
    if (this.active < MAX_SESSIONS) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting command, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  end(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.client.once('close', resolve);
      this.client.end();
    });
  }
}

export class SshTransport implements Transport {
  private readonly hosts: Map<string, ProfileHost>;
  private readonly connections = new Map<string, Promise<Connection>>();
  private opened = 0;

  constructor(
    hosts: ProfileHost[],
    private readonly onCommand: (result: CommandResult) => void = () => {},
  ) {
    this.hosts = new Map(hosts.map((host) => [host.name, host]));
  }

  /** How many SSH connections were opened so far (jump host connections included). */
  get connectionsOpened(): number {
    return this.opened;
  }

  async run(host: ProfileHost, argv: string[], options: CommandOptions = {}): Promise<CommandResult> {
    const started = Date.now();
    const command = shellQuote(host.sudo ? ['sudo', '-n', '--', ...argv] : argv);
    const output = await this.execute(host, command, options);
    const result: CommandResult = { host: host.name, argv, sudo: host.sudo, ...output, durationMs: Date.now() - started };
    this.onCommand(result);
    return result;
  }

  async check(host: ProfileHost, argv: string[], options?: CommandOptions): Promise<CommandResult> {
    const result = await this.run(host, argv, options);
    if (result.code !== 0) throw new SshCommandError(result);
    return result;
  }

  async close(): Promise<void> {
    const pending = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(pending.map((connection) => connection.then((open) => open.end(), () => {})));
  }

  /** Runs command under the deadline and the abort signal; abandoning it closes its channel. */
  private execute(host: ProfileHost, command: string, { timeoutMs = DEFAULT_TIMEOUT_MS, signal, stdin }: CommandOptions): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      const running: Running = { abandoned: false };
      const abandon = (error: unknown) => {
        if (running.abandoned) return;
        running.abandoned = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (running.channel) stop(running.channel);
        reject(error);
      };
      const onAbort = () => abandon(signal?.reason);
      const timer = setTimeout(() => abandon(new SshTimeoutError(host.name, command, timeoutMs / 1000)), timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.exec(host, command, running, stdin).then((output) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(output);
      }, abandon);
    });
  }

  /** Opens a session on the host's connection, runs command in it and collects its output and exit code. */
  private async exec(host: ProfileHost, command: string, running: Running, stdin?: string): Promise<Output> {
    const connection = await this.connection(host);
    await connection.acquire();
    try {
      if (running.abandoned) throw new Error('abandoned');
      return await new Promise<Output>((resolve, reject) => {
        const opened = (error: Error | undefined, channel: ClientChannel) => {
          if (error) return reject(sessionError(host, error));
          running.channel = channel;
          if (running.abandoned) stop(channel);
          collect(host, channel, stdin).then(resolve, reject);
        };
        try {
          connection.client.exec(command, opened);
        } catch (error) {
          reject(sessionError(host, error as Error)); // ssh2 throws "Not connected" when the connection just dropped
        }
      });
    } finally {
      connection.release();
    }
  }

  /** The host's connection: the open one, the one being opened, or a new one. */
  private connection(host: ProfileHost, via: string[] = []): Promise<Connection> {
    const key = JSON.stringify([host.name, host.address, host.port, host.user, host.identityFile, host.knownHosts, host.jumpHost]);
    const existing = this.connections.get(key);
    if (existing) return existing;
    const forget = () => {
      if (this.connections.get(key) === pending) this.connections.delete(key);
    };
    const pending: Promise<Connection> = this.connect(host, via).then((connection) => {
      connection.client.on('close', forget);
      return connection;
    });
    pending.catch(forget);
    this.connections.set(key, pending);
    return pending;
  }

  private async connect(host: ProfileHost, via: string[]): Promise<Connection> {
    const credentials = credentialsFor(host);
    const expected = expectedKeysFor(host);
    const sock = host.jumpHost ? await this.forward(host, via) : undefined;
    const client = new Client();
    this.opened++;
    let refused: HostKeyError | undefined;
    const hostVerifier = (key: Buffer): boolean => {
      refused = checkHostKey(host, expected, key);
      return refused === undefined;
    };
    try {
      await new Promise<void>((resolve, reject) => {
        // 'error' stays listened to: a later error (e.g. keepalive timeout) is followed by 'close', which drops the connection.
        client.on('ready', resolve).on('error', reject);
        client.connect({
          host: host.address,
          port: host.port,
          username: host.user,
          sock,
          readyTimeout: CONNECT_TIMEOUT_MS,
          keepaliveInterval: KEEPALIVE_MS,
          keepaliveCountMax: KEEPALIVE_MAX,
          hostVerifier,
          algorithms: { serverHostKey: hostKeyAlgorithms(expected.keys) },
          ...credentials,
        });
      });
    } catch (error) {
      client.end();
      sock?.close();
      throw refused ?? SshConnectError.from(host, error);
    }
    return new Connection(client);
  }

  /** A TCP stream to the host, opened by its jump host (ProxyJump). */
  private async forward(host: ProfileHost, via: string[]): Promise<ClientChannel> {
    const name = host.jumpHost as string;
    const jump = this.hosts.get(name);
    if (!jump) throw new SshConnectError(host, `its jumpHost "${name}" is not a host of the profile`);
    const chain = [...via, host.name];
    if (chain.includes(jump.name)) throw new SshConnectError(host, `its jump hosts form a loop: ${[...chain, jump.name].join(' → ')}`);
    const connection = await this.connection(jump, chain);
    return new Promise((resolve, reject) => {
      const failed = (error: Error) =>
        reject(
          new SshConnectError(
            host,
            `${jump.name} could not open a TCP connection to ${host.address}:${host.port} (${error.message}): ` +
              `is sshd running on ${host.name}, and does ${jump.name}'s sshd allow forwarding (AllowTcpForwarding)?`,
            { cause: error },
          ),
        );
      try {
        connection.client.forwardOut('127.0.0.1', 0, host.address, host.port, (error, channel) => (error ? failed(error) : resolve(channel)));
      } catch (error) {
        failed(error as Error);
      }
    });
  }
}

/**
 * Asks the command to stop and closes its channel. OpenSSH ignores the signal for root logins ("requires privilege
 * separation") and keeps the session, and so its MaxSessions slot, until the command exits.
 */
function stop(channel: ClientChannel): void {
  try {
    channel.signal('TERM');
  } catch {
    // the channel is already closing
  }
  channel.close();
}

function collect(host: ProfileHost, channel: ClientChannel, stdin?: string): Promise<Output> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let code: number | undefined;
    channel.on('data', (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    channel.on('exit', (exitCode: number | null, signal?: string) => {
      code = exitCode ?? 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
    });
    channel.on('close', () => {
      if (code === undefined) return reject(new SshConnectError(host, 'the connection closed before the command finished'));
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    // The command reads stdin to its end: what it is given, else nothing.
    if (stdin === undefined) channel.end();
    else channel.end(stdin);
  });
}

function sessionError(host: ProfileHost, error: Error): SshConnectError {
  return new SshConnectError(host, `could not open a session: ${error.message}`, { cause: error });
}

/** The key file of the host (checked to be usable), or the ssh-agent when it has none. */
function credentialsFor(host: ProfileHost): Pick<ConnectConfig, 'privateKey' | 'agent'> {
  if (!host.identityFile) {
    const agent = process.env.SSH_AUTH_SOCK;
    if (!agent) {
      throw new SshConnectError(host, 'the profile gives no identityFile and SSH_AUTH_SOCK is not set: set identityFile, or start an ssh-agent and ssh-add the key');
    }
    return { agent };
  }
  let privateKey: Buffer;
  try {
    privateKey = readFileSync(host.identityFile);
  } catch (error) {
    throw new SshConnectError(host, `cannot read the key file ${host.identityFile}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    const reason = /passphrase|encrypted/i.test(parsed.message)
      ? `the key ${host.identityFile} is encrypted with a passphrase: add it to an ssh-agent (ssh-add ${host.identityFile}) and leave identityFile out of the profile`
      : `the key ${host.identityFile} is not a private key this client can read (${parsed.message})`;
    throw new SshConnectError(host, reason);
  }
  return { privateKey };
}

function expectedKeysFor(host: ProfileHost): ExpectedKeys {
  try {
    return readExpectedKeys(host.knownHosts, host.address, host.port);
  } catch (error) {
    throw new SshConnectError(host, `cannot read the known_hosts file ${host.knownHosts}: ${(error as Error).message}`, { cause: error });
  }
}

/** Strict checking: the presented key must be in known_hosts for this address and port, and not revoked. */
function checkHostKey(host: ProfileHost, expected: ExpectedKeys, key: Buffer): HostKeyError | undefined {
  const kind = containsKey(expected.revoked, key) ? 'revoked' : containsKey(expected.keys, key) ? undefined : expected.keys.length ? 'mismatch' : 'unknown';
  if (!kind) return undefined;
  return new HostKeyError(host, {
    kind,
    presented: `${keyType(key)} ${fingerprint(key)}`,
    expected: expected.keys.map((known) => `${known.type} ${fingerprint(known.key)}`),
  });
}

/** Like OpenSSH, ask for the key types known_hosts has for the host, so a server with several keys shows a known one. */
function hostKeyAlgorithms(keys: KnownKey[]): ServerHostKeyAlgorithm[] | undefined {
  const algorithms = keys.flatMap(({ type }) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]));
  const supported = [...new Set(algorithms)].filter((algorithm) => SUPPORTED_HOST_KEY_ALGORITHMS.has(algorithm));
  return supported.length ? (supported as ServerHostKeyAlgorithm[]) : undefined;
}
