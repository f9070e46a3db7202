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
    // A check's TLS handshake and answer may take up to 2 s on a loaded machine (its connect: min(inter, timeout connect)).
    '    timeout check 2s',
    // kubeadm's guide checks every 2 s; the lab checks every 250 ms and takes a server out after 2 failures, so a
    // killed API server is out (about 0.5 s) before its restarted process listens: that process answers 403 until its
    // authorizer has synced, and would get reads meanwhile. Sessions to a server marked down are closed, not left
    // pinned to it, so their clients reconnect to a server that is up.
    '    default-server inter 250ms fall 2 rise 2 on-marked-down shutdown-sessions',
    ...servers,
    '',
  ].join('\n');
}

export function writeHaproxyConfig(topology: LabTopology): string {
  const path = haproxyConfigPath(topology);
  writeFileSync(path, haproxyConfig(topology));
  return path;
}
