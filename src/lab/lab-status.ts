// `lab status`: is the supervisor up, what state is each host's service in, and does the API answer.
import type { V1Node } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import { apiGet, loadKubeConfig } from '../kube/kube-config.ts';
import { labProcesses } from './lab-processes.ts';
import { labPaths } from './lab-paths.ts';
import { readLabState, runningSupervisor } from './lab-state.ts';
import { systemctl } from './supervisor-client.ts';

export interface LabStatus {
  running: boolean;
  halfStarted: boolean;
  lines: string[];
}

export async function labStatus(labDir: string): Promise<LabStatus> {
  const state = readLabState(labDir);
  const pid = runningSupervisor(labDir);
  if (!pid || !state) {
    const leftovers = labProcesses(labDir);
    if (leftovers.length > 0) {
      return {
        running: false,
        halfStarted: true,
        lines: [`half-started: the supervisor is not running but ${leftovers.length} lab processes are; run \`npm run lab -- down\``],
      };
    }
    return { running: false, halfStarted: false, lines: [`not running (lab folder ${labDir})`] };
  }
  const lines = [`supervisor pid ${pid}, lab folder ${labDir}`];
  for (const host of state.topology.hosts) {
    const units = host.role === 'control-plane' ? ['etcd', 'kubelet'] : ['kubelet'];
    const result = await systemctl(state.topology, host.name, ['is-active', ...units]);
    const states = result.stdout.trim().split('\n');
    lines.push(`  ${host.name.padEnd(14)} ${host.address}:${state.topology.sshPort}  ${units.map((unit, index) => `${unit}=${states[index]}`).join(' ')}`);
  }
  const paths = labPaths(labDir);
  const config = loadKubeConfig(paths.kubeconfig);
  try {
    const readyz = await apiGet(config, '/readyz', AbortSignal.timeout(3_000));
    lines.push(`  API /readyz: ${readyz.status === 200 ? 'ok' : `${readyz.status}`}`);
    const nodes = await config.makeApiClient(CoreV1Api).listNode();
    const ready = (node: V1Node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    lines.push(`  nodes Ready: ${nodes.items.filter(ready).length}/${nodes.items.length}`);
  } catch (error) {
    lines.push(`  API unreachable: ${(error as Error).message}`);
  }
  lines.push(`  kubeconfig: ${paths.kubeconfig}`, `  profile:    ${paths.profile}`);
  return { running: true, halfStarted: false, lines };
}
