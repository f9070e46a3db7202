// The HA lab's API load balancer: HAProxy (Debian's package) in TCP mode with HTTPS health checks of each API server,
// configured the way kubeadm's HA guide describes (checking /readyz: a server without etcd, or still starting, gets no traffic), with shorter checks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiEndpoint, controlPlaneHosts, type LabTopology } from './topology.ts';

export const haproxyConfigPath = (topology: LabTopology) => join(topology.labDir, 'run', 'haproxy.cfg');

export function haproxyConfig(topology: LabTopology): string {
  const { address, port } = apiEndpoint(topology);
  const servers = controlPlaneHosts(topology).map((host) => `    server ${host.name} ${host.address}:${topology.apiPort} check verify none`);
  return [
    '# API load balancer of the kube-firedrill HA lab, written by `npm run lab -- up --control-planes N`.',
    'global',
    '    maxconn 4096',
    'defaults',
    '    mode tcp',
    '    timeout connect 5s',
    '    timeout client 35s',
    '    timeout server 35s',
    // Watches are long-lived; HAProxy closes idle tunnels after this (clients re-establish them).
    '    timeout tunnel 1h',
    // As kubeadm's guide: a connection refused by a server not yet marked down is retried once, on another server.
    '    retries 1',
    '    option redispatch',
    'frontend apiserver',
    `    bind ${address}:${port}`,
    '    default_backend apiserverbackend',
    'backend apiserverbackend',
    '    option httpchk',
    '    http-check connect ssl',
    '    http-check send meth GET uri /readyz',
    '    http-check expect status 200',
    '    balance roundrobin',
    // A check's connect and TLS handshake get min(inter, timeout connect) = 500 ms; its answer up to 2 s more.
    '    timeout check 2s',
    // kubeadm's guide checks every 2 s; the lab checks every 500 ms, and 250 ms apart (fastinter) once one failed, and
    // takes a server out after 2 failures: a killed API server is out (in under a second) before its restarted process
    // listens. That process answers 403 until its authorizer has synced, and would get reads meanwhile.
    '    default-server inter 500ms fastinter 250ms fall 2 rise 2',
    ...servers,
    '',
  ].join('\n');
}

export function writeHaproxyConfig(topology: LabTopology): string {
  const path = haproxyConfigPath(topology);
  writeFileSync(path, haproxyConfig(topology));
  return path;
}
