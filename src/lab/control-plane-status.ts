// For `lab status`: the etcd members with their health and the leader (etcdctl, as an operator would ask), each API
// server's /readyz, and who holds each leader-election Lease.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { etcdClientUrl } from './components.ts';
import { labPaths } from './lab-paths.ts';
import { controlPlaneHosts, type LabTopology } from './topology.ts';

const run = promisify(execFile);

interface EtcdEndpointStatus {
  Endpoint: string;
  Status?: { header?: { member_id?: number | string }; leader?: number | string; dbSize?: number };
}

export async function etcdStatusLines(topology: LabTopology): Promise<string[]> {
  const cps = controlPlaneHosts(topology);
  const first = cps[0];
  if (!first) return [];
  const pki = join(topology.labDir, 'pki');
  const etcdctl = join(first.dir, 'bin', 'etcdctl');
  const tls = [`--cacert=${join(pki, 'ca.crt')}`, `--cert=${join(pki, 'etcd-admin.crt')}`, `--key=${join(pki, 'etcd-admin.key')}`, '--command-timeout=2s', '--dial-timeout=2s'];
  const lines = ['  etcd members:'];
  const statuses = await Promise.all(
    cps.map(async (host) => {
      const endpoint = etcdClientUrl(topology, host);
      try {
        const { stdout } = await run(etcdctl, ['endpoint', 'status', `--endpoints=${endpoint}`, '-w', 'json', ...tls], { timeout: 5_000 });
        const [status] = JSON.parse(stdout) as EtcdEndpointStatus[];
        const member = String(status?.Status?.header?.member_id ?? '');
        const leader = member !== '' && member === String(status?.Status?.leader ?? '');
        return `    ${host.name.padEnd(16)} ${endpoint}  healthy${leader ? ', leader' : ''}`;
      } catch (error) {
        const why = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').pop();
        return `    ${host.name.padEnd(16)} ${endpoint}  unhealthy: ${why}`;
      }
    }),
  );
  return [...lines, ...statuses];
}

export async function leaseLines(kube: KubeConfig): Promise<string[]> {
  const leases = kube.makeApiClient(CoordinationV1Api);
  const lines: string[] = [];
  for (const name of ['kube-scheduler', 'kube-controller-manager']) {
    try {
      const lease = await leases.readNamespacedLease({ name, namespace: 'kube-system' });
      lines.push(`  Lease kube-system/${name}: held by ${lease.spec?.holderIdentity ?? 'nobody'}, renewed ${lease.spec?.renewTime ?? 'never'}`);
    } catch (error) {
      lines.push(`  Lease kube-system/${name}: ${(error as { code?: number }).code === 404 ? 'none (leader election off)' : (error as Error).message}`);
    }
  }
  return lines;
}

/** /readyz of each API server directly, not through the load balancer (HA only). */
export async function apiServerLines(topology: LabTopology): Promise<string[]> {
  if (!topology.apiLoadBalancer) return [];
  const { loadKubeConfig, apiGet } = await import('../kube/kube-config.ts');
  const lines = [`  API load balancer: https://${topology.apiLoadBalancer.address}:${topology.apiLoadBalancer.port} (HAProxy)`];
  for (const host of controlPlaneHosts(topology)) {
    const config = loadKubeConfig(labPaths(topology.labDir).kubeconfig);
    const cluster = config.getCurrentCluster();
    if (cluster) config.clusters = config.clusters.map((each) => (each.name === cluster.name ? { ...each, server: `https://${host.address}:${topology.apiPort}` } : each));
    try {
      const response = await apiGet(config, '/readyz', AbortSignal.timeout(3_000));
      lines.push(`    kube-apiserver on ${host.name}: /readyz ${response.status === 200 ? 'ok' : response.status}`);
    } catch (error) {
      lines.push(`    kube-apiserver on ${host.name}: unreachable (${(error as Error).message})`);
    }
  }
  return lines;
}
