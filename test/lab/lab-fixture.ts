// Gives lab tests a running lab: the one in FIREDRILL_LAB_DIR (or the default folder), started if needed.
import { defaultLabDir } from '../../src/lab/dirs.ts';
import { labPaths } from '../../src/lab/lab-paths.ts';
import { readLabState } from '../../src/lab/lab-state.ts';
import { labUp } from '../../src/lab/lab-up.ts';
import type { LabTopology } from '../../src/lab/topology.ts';
import { loadProfile } from '../../src/profile/load-profile.ts';
import type { ClusterProfile } from '../../src/profile/profile-schema.ts';

export interface Lab {
  labDir: string;
  topology: LabTopology;
  profile: ClusterProfile;
  kubeconfig: string;
}

let started: Promise<Lab> | undefined;

/** Starts the lab once per test run (3 workers unless FIREDRILL_LAB_NODES says otherwise). */
export function useLab(): Promise<Lab> {
  started ??= (async () => {
    const labDir = defaultLabDir();
    const workers = Number(process.env.FIREDRILL_LAB_NODES ?? readLabState(labDir)?.topology.hosts.filter((host) => host.role === 'worker').length ?? 3);
    const { topology } = await labUp({ labDir, workers, subnet: process.env.FIREDRILL_LAB_SUBNET, timeoutMs: 120_000, log: (line) => process.stderr.write(`      lab: ${line}\n`) });
    const paths = labPaths(labDir);
    return { labDir, topology, profile: loadProfile(paths.profile), kubeconfig: paths.kubeconfig };
  })();
  return started;
}

/** The node of the profile's last worker host (the one tests change, away from the first worker drills pick). */
export function lastWorkerNode(profile: ClusterProfile): string {
  const worker = profile.hosts.filter((host) => host.role === 'worker').at(-1);
  if (!worker) throw new Error(`profile "${profile.name}" has no worker host`);
  return worker.node ?? worker.name;
}
