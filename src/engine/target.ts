// The cluster a run acts on: its validated profile, API client, SSH transport and restore journal.
import type { KubeConfig } from '@kubernetes/client-node';
import { defaultLabDir } from '../lab/dirs.ts';
import { labPaths } from '../lab/lab-paths.ts';
import { labUp } from '../lab/lab-up.ts';
import { runningSupervisor } from '../lab/lab-state.ts';
import { existsSync } from 'node:fs';
import { ClusterUnreachableError, readClusterIdentity, type ClusterIdentity } from '../kube/cluster-identity.ts';
import { loadKubeConfig } from '../kube/kube-config.ts';
import { listNodeAddresses } from '../kube/node-addresses.ts';
import { withDiscoveredHosts } from '../profile/discover-hosts.ts';
import { loadProfile } from '../profile/load-profile.ts';
import { profileSecrets } from '../profile/profile-secrets.ts';
import type { ClusterProfile } from '../profile/profile-schema.ts';
import { DryRunTransport } from '../transport/dry-run-transport.ts';
import { SshTransport } from '../transport/ssh-transport.ts';
import type { CommandResult, Transport } from '../transport/transport.ts';
import { SafetyError } from './errors.ts';
import { identityFromHosts } from './host-identity.ts';
import { HostJournal } from './host-journal.ts';
import { hostNodeProblems, resolveHostAddresses } from './host-nodes.ts';
import { Journal } from './journal.ts';
import { productionReason } from './production-guard.ts';
import { rememberSecrets } from './redact.ts';

export interface TargetOptions {
  /** Cluster profile file; without one, the built-in lab (started if needed). */
  profilePath?: string;
  dryRun: boolean;
  allowProduction: boolean;
  /**
   * Go on when the API server does not answer (restore: undoing a stopped etcd needs only SSH). The cluster's
   * identity and nodes are then not checked; target.unreachable says why.
   */
  allowUnreachable?: boolean;
  log: (line: string) => void;
  onCommand?: (result: CommandResult) => void;
}

export interface Target {
  profile: ClusterProfile;
  kube: KubeConfig;
  /** Who the cluster is (kube-system UID, server, effective context), read before anything else. */
  identity: ClusterIdentity;
  /** How many nodes the cluster has (every profile host is one of them); set by openTarget. */
  nodeCount?: number;
  /** Set when the API server did not answer and the target was opened anyway (allowUnreachable): why. */
  unreachable?: string;
  transport: Transport;
  journal: Journal;
  dryRun: boolean;
  close(): Promise<void>;
}

/** Settings the drill CLI hands to the mocha process that runs the drills. */
export function targetOptionsFromEnv(log: (line: string) => void): TargetOptions {
  return {
    profilePath: process.env.FIREDRILL_PROFILE || undefined,
    dryRun: process.env.FIREDRILL_DRY_RUN === '1',
    allowProduction: process.env.FIREDRILL_ALLOW_PRODUCTION === '1',
    log,
  };
}

export async function resolveProfile(options: Pick<TargetOptions, 'profilePath' | 'log'>): Promise<ClusterProfile> {
  if (options.profilePath) return loadProfile(options.profilePath);
  const labDir = defaultLabDir();
  // A running lab is used as it is: whether it is healthy is for the journal restore and the steady-state check.
  if (runningSupervisor(labDir) && existsSync(labPaths(labDir).profile)) {
    options.log(`no --profile given: using the built-in lab (${labDir})`);
    return loadProfile(labPaths(labDir).profile);
  }
  options.log('no --profile given: starting the built-in lab');
  const workers = Number(process.env.FIREDRILL_LAB_NODES ?? 3);
  await labUp({ labDir, workers, subnet: process.env.FIREDRILL_LAB_SUBNET, log: options.log });
  return loadProfile(labPaths(labDir).profile);
}

/** One line naming what the run acts on, printed and logged before the first fault. */
export function describeTarget(target: Pick<Target, 'identity' | 'profile' | 'nodeCount'>): string {
  const { identity, profile } = target;
  const hosts = profile.hosts.map((host) => `${host.name} (${host.address}${host.node && host.node !== host.name ? `, node ${host.node}` : ''})`).join(', ');
  return `target: context "${identity.context}", server ${identity.server}, cluster UID ${identity.uid}, ${target.nodeCount ?? '?'} nodes; hosts: ${hosts}`;
}

function clusterCheckFailed(profile: ClusterProfile, identity: ClusterIdentity, problems: string[]): SafetyError {
  return new SafetyError(
    `the hosts of profile "${profile.name}" are not nodes of the cluster the kubeconfig points at (context "${identity.context}", ` +
      `server ${identity.server}, UID ${identity.uid}):\n  ${problems.join('\n  ')}\n` +
      'The profile\'s hosts and its kubeconfig context must describe the same cluster. Nothing was changed.',
  );
}

export async function openTarget(options: TargetOptions): Promise<Target> {
  let profile = await resolveProfile(options);
  // The kubeconfig's tokens and keys and the AWS secret keys are masked in every output from here on.
  rememberSecrets(profileSecrets(profile));
  const kube = loadKubeConfig(profile.cluster.kubeconfig, profile.cluster.context);
  // The guard looks at what the run will really talk to: the effective context and its server, known before any request.
  const effective = { context: kube.getCurrentContext(), server: kube.getCurrentCluster()?.server ?? '' };
  const production = productionReason(profile, effective);
  if (production && !options.allowProduction && !options.dryRun) {
    throw new SafetyError(
      `profile "${profile.name}" looks like production (${production}). Drills break things on purpose: ` +
        'pass --i-know-this-is-production to run them there, or --dry-run to see what they would do.',
    );
  }
  let identity: ClusterIdentity;
  try {
    identity = await readClusterIdentity(kube);
  } catch (error) {
    if (!(error instanceof ClusterUnreachableError)) throw error;
    if (!options.allowUnreachable || profile.hosts.length === 0) throw withRestoreHint(error, profile);
    options.log(`the API server ${error.server} (context "${error.context}") did not answer (${error.why}); going on over SSH only: the cluster's UID and nodes cannot be checked, and restores that need the API will fail`);
    // The journal copies on its control-plane hosts name the cluster (its kube-system UID), so entries of another
    // cluster are still told apart while the API is down.
    const transport = new SshTransport(profile.hosts, options.onCommand);
    const unknown = { uid: profile.cluster.uid ?? 'unknown (the API server did not answer)', server: effective.server, context: effective.context };
    const identity = await identityFromHosts(profile, kube, transport, error).then(
      (found) => {
        options.log(`the API server did not answer; the cluster is ${found.uid}, as the journal copy on its control-plane host(s) says`);
        return found;
      },
      (why: unknown) => {
        options.log(`the cluster's UID could not be read from its control-plane hosts either (${(why as Error).message})`);
        return unknown;
      },
    );
    return assemble(profile, kube, identity, undefined, options, error.message, transport);
  }
  const pinned = profile.cluster.uid;
  if (pinned && pinned !== identity.uid) {
    throw new SafetyError(
      `profile "${profile.name}" is pinned to the cluster with UID ${pinned} (cluster.uid), but the kubeconfig context ` +
        `"${identity.context}" (server ${identity.server}) reaches the cluster with UID ${identity.uid}. ` +
        'Check cluster.context and the kubeconfig\'s current context. Nothing was changed.',
    );
  }
  profile = await withDiscoveredHosts(profile, kube, options.profilePath ?? 'lab profile');
  let nodes;
  try {
    nodes = await listNodeAddresses(kube);
  } catch (error) {
    throw new ClusterUnreachableError(identity.server, identity.context, `listing the nodes failed: ${(error as Error).message}`);
  }
  const problems = hostNodeProblems(profile.hosts, nodes, await resolveHostAddresses(profile.hosts));
  if (problems.length > 0) throw clusterCheckFailed(profile, identity, problems);
  return assemble(profile, kube, identity, nodes.length, options);
}

/** An earlier run killed while etcd or the API server was stopped leaves the API down: say how to get out of it. */
function withRestoreHint(error: ClusterUnreachableError, profile: ClusterProfile): ClusterUnreachableError {
  const pending = Journal.forProfile(profile.name).pending();
  if (pending.length === 0) return error;
  const faults = pending.map((entry) => entry.fault).join('; ');
  return new ClusterUnreachableError(
    error.server,
    error.context,
    `${error.why}; the journal lists ${pending.length} fault(s) an earlier run did not restore (${faults}): ` +
      '`npm run restore` restores them over SSH even while the API server is down',
  );
}

function assemble(
  profile: ClusterProfile,
  kube: KubeConfig,
  identity: ClusterIdentity,
  nodeCount: number | undefined,
  options: TargetOptions,
  unreachable?: string,
  opened?: Transport,
): Target {
  const transport = opened ?? (options.dryRun ? new DryRunTransport(options.onCommand) : new SshTransport(profile.hosts, options.onCommand));
  const target: Target = {
    profile,
    kube,
    identity,
    nodeCount,
    ...(unreachable ? { unreachable } : {}),
    transport,
    journal: Journal.forProfile(profile.name, undefined, {
      identity: { uid: identity.uid, server: identity.server },
      mirror: options.dryRun ? undefined : targetJournal(profile, transport, identity.uid),
      warn: options.log,
    }),
    dryRun: options.dryRun,
    close: () => transport.close(),
  };
  options.log(describeTarget(target));
  return target;
}

/** The target's copy of the journal, on every control-plane host. */
function targetJournal(profile: ClusterProfile, transport: Transport, uid: string): HostJournal {
  const hosts = profile.hosts.filter((host) => host.role === 'control-plane');
  return new HostJournal(transport, hosts, profile.safety.journalDir, uid);
}
