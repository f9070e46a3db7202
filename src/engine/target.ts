// The cluster a run acts on: its validated profile, API client, SSH transport and restore journal.
import type { KubeConfig } from '@kubernetes/client-node';
import { defaultLabDir } from '../lab/dirs.ts';
import { labPaths } from '../lab/lab-paths.ts';
import { labUp } from '../lab/lab-up.ts';
import { runningSupervisor } from '../lab/lab-state.ts';
import { existsSync } from 'node:fs';
import { readClusterIdentity, type ClusterIdentity } from '../kube/cluster-identity.ts';
import { loadKubeConfig } from '../kube/kube-config.ts';
import { withDiscoveredHosts } from '../profile/discover-hosts.ts';
import { loadProfile } from '../profile/load-profile.ts';
import { profileSecrets } from '../profile/profile-secrets.ts';
import type { ClusterProfile } from '../profile/profile-schema.ts';
import { DryRunTransport } from '../transport/dry-run-transport.ts';
import { SshTransport } from '../transport/ssh-transport.ts';
import type { CommandResult, Transport } from '../transport/transport.ts';
import { SafetyError } from './errors.ts';
import { Journal } from './journal.ts';
import { rememberSecrets } from './redact.ts';

export interface TargetOptions {
  /** Cluster profile file; without one, the built-in lab (started if needed). */
  profilePath?: string;
  dryRun: boolean;
  allowProduction: boolean;
  log: (line: string) => void;
  onCommand?: (result: CommandResult) => void;
}

export interface Target {
  profile: ClusterProfile;
  kube: KubeConfig;
  /** Who the cluster is (kube-system UID, server, effective context), read before anything else. */
  identity: ClusterIdentity;
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

export function looksLikeProduction(profile: ClusterProfile): string | undefined {
  if (profile.cluster.production) return 'its cluster.production is true';
  const named = [profile.name, profile.cluster.context ?? ''].find((name) => /prod/i.test(name));
  return named ? `its name or context "${named}" says prod` : undefined;
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

export async function openTarget(options: TargetOptions): Promise<Target> {
  let profile = await resolveProfile(options);
  // The kubeconfig's tokens and keys and the AWS secret keys are masked in every output from here on.
  rememberSecrets(profileSecrets(profile));
  const production = looksLikeProduction(profile);
  if (production && !options.allowProduction && !options.dryRun) {
    throw new SafetyError(
      `profile "${profile.name}" looks like production (${production}). Drills break things on purpose: ` +
        'pass --i-know-this-is-production to run them there, or --dry-run to see what they would do.',
    );
  }
  const kube = loadKubeConfig(profile.cluster.kubeconfig, profile.cluster.context);
  const identity = await readClusterIdentity(kube);
  profile = await withDiscoveredHosts(profile, kube, options.profilePath ?? 'lab profile');
  const transport = options.dryRun ? new DryRunTransport(options.onCommand) : new SshTransport(profile.hosts, options.onCommand);
  return {
    profile,
    kube,
    identity,
    transport,
    journal: Journal.forProfile(profile.name),
    dryRun: options.dryRun,
    close: () => transport.close(),
  };
}
