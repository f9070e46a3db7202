// `lab status`: which state the lab is in (running, half-started, stopped, supervisor not answering), each host's
// services, and whether the API answers. It always prints an answer, also just after the supervisor crashed.
import type { V1Node } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import { apiGet, loadKubeConfig } from '../kube/kube-config.ts';
import { apiServerLines, etcdStatusLines, leaseLines } from './control-plane-status.ts';
import { labProcesses } from './lab-processes.ts';
import { labPaths } from './lab-paths.ts';
import { readLabState, runningSupervisor } from './lab-state.ts';
import { systemctl } from './supervisor-client.ts';

export type LabState = 'running' | 'half-started' | 'not-answering' | 'stopped';

export interface LabStatus {
  state: LabState;
  lines: string[];
}

/** Exit codes of `lab status`, one per state (documented in the CLI's usage). */
export const STATUS_EXIT_CODES: Record<LabState, number> = { running: 0, stopped: 1, 'half-started': 5, 'not-answering': 6 };

const SUPERVISOR_ANSWER_MS = 3_000;

export async function labStatus(labDir: string): Promise<LabStatus> {
  const state = readLabState(labDir);
  const pid = runningSupervisor(labDir);
  if (!pid || !state) return stoppedOrHalfStarted(labDir);
  const lines = [`running: supervisor pid ${pid}, lab folder ${labDir}`];
  for (const host of state.topology.hosts) {
    const units = host.role === 'control-plane' && state.topology.etcdMode !== 'static-pod' ? ['etcd', 'kubelet'] : ['kubelet'];
    let states: string[];
    try {
      states = (await systemctl(state.topology, host.name, ['is-active', ...units], SUPERVISOR_ANSWER_MS)).stdout.trim().split('\n');
    } catch (error) {
      return notAnswering(labDir, pid, (error as Error).message);
    }
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
    lines.push(...(await leaseLines(config)));
  } catch (error) {
    lines.push(`  API unreachable: ${(error as Error).message}`);
  }
  lines.push(...(await apiServerLines(state.topology)), ...(await etcdStatusLines(state.topology)));
  lines.push(`  kubeconfig: ${paths.kubeconfig}`, `  profile:    ${paths.profile}`);
  return { state: 'running', lines };
}

function stoppedOrHalfStarted(labDir: string): LabStatus {
  const leftovers = labProcesses(labDir);
  if (leftovers.length === 0) return { state: 'stopped', lines: [`not running (lab folder ${labDir})`] };
  return {
    state: 'half-started',
    lines: [`half-started: the supervisor is not running but ${leftovers.length} lab processes are; run \`npm run lab -- down\` (or \`up\`, which cleans them up first)`],
  };
}

/** The supervisor's process exists but its socket does not answer: it is dying, or stuck. */
function notAnswering(labDir: string, pid: number, why: string): LabStatus {
  if (!runningSupervisor(labDir)) return stoppedOrHalfStarted(labDir); // it finished dying while we asked
  return {
    state: 'not-answering',
    lines: [
      `supervisor not answering: pid ${pid} exists but ${why}; ${labProcesses(labDir).length} lab processes are running.`,
      `  If it was just stopped, ask again in a moment; otherwise run \`npm run lab -- down\`, then \`up\`.`,
    ],
  };
}
