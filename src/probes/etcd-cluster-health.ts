// etcd's own view of its health: `etcdctl endpoint health --cluster` (every member it lists) over SSH from one host.
import type { FaultContext } from '../faults/fault.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';

export interface ClusterHealth {
  healthy: boolean;
  /** One line per member, as etcdctl prints them (or why nothing was printed). */
  lines: string[];
}

/** Asks every member etcd lists; healthy only if etcdctl exits 0 (each member answered a read). */
export async function etcdClusterHealth(context: FaultContext, profile: ClusterProfile, host: ProfileHost): Promise<ClusterHealth> {
  const settings = profile.etcdSnapshot;
  if (!settings) throw new Error(`profile ${profile.name} has no etcdSnapshot section`);
  const argv = ['etcdctl', `--endpoints=${settings.endpoint}`, `--cacert=${settings.caFile}`, `--cert=${settings.certFile}`, `--key=${settings.keyFile}`, '--dial-timeout=2s', '--command-timeout=5s', 'endpoint', 'health', '--cluster'];
  const result = await context.transport.run(host, argv, { timeoutMs: 20_000, signal: context.signal });
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((line) => line.trim()).filter(Boolean);
  return { healthy: result.code === 0, lines: lines.length ? lines : [`etcdctl exited ${result.code} and printed nothing`] };
}
