// Checks made before the lab starts anything: host tools present (installed if we can), addresses and ports free.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { which } from './binaries.ts';
import { LabError } from './lab-error.ts';
import { controlPlaneHosts, type LabTopology } from './topology.ts';

const TOOLS: Record<string, string> = {
  'ssh-keygen': 'openssh-client',
  openssl: 'openssl',
  // Restores ask each component's health endpoint with it, on the host.
  curl: 'curl',
  pgrep: 'procps',
  sudo: 'sudo',
};

/** sshd of Debian's openssh-server, or FIREDRILL_SSHD. */
export function findSshd(): string | undefined {
  if (process.env.FIREDRILL_SSHD) return existsSync(process.env.FIREDRILL_SSHD) ? process.env.FIREDRILL_SSHD : undefined;
  return ['/usr/sbin/sshd', which('sshd')].find((path): path is string => !!path && existsSync(path));
}

/** HAProxy of Debian's haproxy package (in /usr/sbin, which is not always on PATH). */
function findHaproxy(): string | undefined {
  return ['/usr/sbin/haproxy', which('haproxy')].find((path): path is string => !!path && existsSync(path));
}

/** Installs missing Debian packages when running as root with apt-get; otherwise says exactly what to run. */
export function ensureHostTools(log: (line: string) => void, needs: { haproxy?: boolean } = {}): { sshd: string; haproxy?: string } {
  const missing = new Set<string>();
  for (const [tool, pkg] of Object.entries(TOOLS)) if (!which(tool)) missing.add(pkg);
  if (needs.haproxy && !findHaproxy()) missing.add('haproxy');
  if (!findSshd() && !process.env.FIREDRILL_SSHD) missing.add('openssh-server');
  if (missing.size > 0) {
    const packages = [...missing].sort();
    const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
    if (userInfo().uid !== 0 || !which('apt-get')) {
      throw new LabError(`The lab needs ${packages.join(', ')}, which are not installed. Install them, e.g.: sudo ${command}`, 3);
    }
    log(`installing ${packages.join(', ')} (Debian packages the lab needs)`);
    try {
      execFileSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '').slice(-800);
      throw new LabError(`Could not install ${packages.join(', ')} with apt-get:\n${stderr}\nInstall them by hand: ${command}`, 3);
    }
  }
  // sshd, started as root, insists on its privilege separation folder (made by systemd's tmpfiles on a real host).
  if (userInfo().uid === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const sshd = findSshd();
  if (!sshd) {
    throw new LabError(
      `sshd not found at FIREDRILL_SSHD=${process.env.FIREDRILL_SSHD}: point FIREDRILL_SSHD at OpenSSH's sshd, or unset it to use /usr/sbin/sshd (Debian package openssh-server).`,
      3,
    );
  }
  if (!needs.haproxy) return { sshd };
  const haproxy = findHaproxy();
  if (!haproxy) throw new LabError('haproxy was not found after installing it; install Debian\'s haproxy package by hand.', 3);
  return { sshd, haproxy };
}

function listenable(address: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, address, () => server.close(() => resolve(undefined)));
  });
}

/** Every address and port the lab binds: it refuses to start if any is taken, before starting anything. */
export function labEndpoints(topology: LabTopology): { address: string; port: number; what: string }[] {
  return [
    ...controlPlaneHosts(topology).flatMap((cp) => [
      { address: cp.address, port: topology.apiPort, what: `kube-apiserver of ${cp.name}` },
      { address: cp.address, port: topology.etcdClientPort, what: `etcd (clients) of ${cp.name}` },
      { address: cp.address, port: topology.etcdPeerPort, what: `etcd (peers) of ${cp.name}` },
      { address: cp.address, port: topology.controllerManagerPort, what: `kube-controller-manager of ${cp.name}` },
      { address: cp.address, port: topology.schedulerPort, what: `kube-scheduler of ${cp.name}` },
    ]),
    ...(topology.apiLoadBalancer ? [{ ...topology.apiLoadBalancer, what: 'the API load balancer (HAProxy)' }] : []),
    { ...topology.loadBalancer, what: 'the guestbook load balancer' },
    { address: topology.ec2Api.address, port: topology.ec2Api.port, what: 'the EC2 API emulator' },
    ...topology.hosts.map((host) => ({ address: host.address, port: topology.sshPort, what: `sshd of ${host.name}` })),
  ];
}

/** Refuses (LabError) if an endpoint is taken; `graceMs` gives just-killed processes time to let go of theirs. */
export async function checkEndpointsFree(topology: LabTopology, graceMs = 0): Promise<void> {
  const endpoints = labEndpoints(topology);
  const deadline = Date.now() + graceMs;
  let errors = await Promise.all(endpoints.map((endpoint) => listenable(endpoint.address, endpoint.port)));
  while (errors.some(Boolean) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    errors = await Promise.all(endpoints.map((endpoint) => listenable(endpoint.address, endpoint.port)));
  }
  const taken = endpoints.flatMap((endpoint, index) => {
    const error = errors[index];
    if (!error) return [];
    const reason = error.code === 'EADDRINUSE' ? 'is already in use by another process' : `cannot be bound (${error.code ?? error.message})`;
    return [`  ${endpoint.address}:${endpoint.port} (${endpoint.what}) ${reason}`];
  });
  if (taken.length > 0) {
    throw new LabError(
      `The lab cannot start: addresses it needs are not free:\n${taken.join('\n')}\n` +
        `Stop whatever holds them (ss -ltnp shows it), or give the lab other loopback addresses with --subnet 127.0.N.`,
      2,
    );
  }
}
