// The steady state of an HA control plane: each API server ready on its own host (not only through the load
// balancer, which hides one that is down) and every etcd member healthy. One control plane: nothing more to check.
import type { ComponentHealth, ProfileHost } from '../profile/profile-schema.ts';
import { notBackBecause, type ProcessSelector } from '../faults/component-health.ts';
import type { FaultContext } from '../faults/fault.ts';
import { controlPlaneHosts } from '../faults/hosts.ts';
import { componentOn } from '../profile/component-on.ts';
import { etcdClusterProblems } from '../probes/etcd-health.ts';
import { eventually } from '../probes/eventually.ts';
import type { Target } from './target.ts';

type HealthTarget = Pick<Target, 'kube' | 'profile'> & Partial<Pick<Target, 'transport'>>;

export interface ApiServerOnHost {
  host: ProfileHost;
  selector: ProcessSelector;
  /** Its /readyz as the profile names it, asked on its own host. */
  health?: ComponentHealth;
}

/** Each control-plane host's API server: how to find its process and its own health endpoint. */
export function apiServersOf(profile: Target['profile']): ApiServerOnHost[] {
  return controlPlaneHosts(profile).map((host) => {
    const how = componentOn(profile, host, 'kube-apiserver');
    return { host, selector: how.kind === 'static-pod' ? { process: how.process } : { unit: how.unit }, health: how.health };
  });
}

/** Why this host's API server is not ready (asked on the host itself), or undefined if it is. */
export async function apiServerProblem(context: FaultContext, server: ApiServerOnHost, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const verdict = await notBackBecause(context, server.host, { selector: server.selector, health: server.health, signal });
    return verdict && `kube-apiserver on ${server.host.name}: ${verdict}`;
  } catch (error) {
    return `kube-apiserver on ${server.host.name}: not checked (${(error as Error).message})`;
  }
}

async function etcdProblems(context: FaultContext, host: ProfileHost, signal: AbortSignal): Promise<string[]> {
  try {
    return (await etcdClusterProblems(context, context.profile, host, signal)) ?? [];
  } catch (error) {
    return [`etcd health not checked from ${host.name} (${(error as Error).message})`];
  }
}

function contextOf(target: HealthTarget): FaultContext {
  if (!target.transport) throw new TypeError('the HA steady-state check asks each control-plane host over SSH: pass the target with its transport');
  return { profile: target.profile, kube: target.kube, transport: target.transport, dryRun: false, signal: new AbortController().signal, announceApiChange: () => {} };
}

/**
 * On more than one control-plane host: waits until every API server answers its own /readyz (components.kube-apiserver.health;
 * without one, its process must run) and etcd reports every member healthy (if the profile has etcdSnapshot).
 * Rejects at the deadline naming each host or member that is not.
 */
export async function waitForControlPlaneHealth(target: HealthTarget, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const servers = apiServersOf(target.profile);
  const [first] = servers;
  if (!first || servers.length < 2) return;
  const context = contextOf(target);
  await eventually(
    async (attemptSignal) => {
      const problems = (await Promise.all(servers.map((server) => apiServerProblem(context, server, attemptSignal)))).filter((problem) => problem !== undefined);
      problems.push(...(await etcdProblems(context, first.host, attemptSignal)));
      // Cut off at its time limit, every host still being asked reads "not checked (aborted)", healthy or not: say the
      // attempt was cut off instead, so the deadline's message keeps what the last complete attempt found.
      attemptSignal.throwIfAborted();
      if (problems.length > 0) throw new Error(problems.join('; '));
    },
    { description: `every API server ready on its own host (${servers.map((server) => server.host.name).join(', ')}) and every etcd member healthy`, timeoutMs, signal, attemptTimeoutMs: 20_000 },
  );
}
