// The lab's state file: its topology and how to reach the supervisor, read by down, status and the supervisor.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabTimingsName } from './lab-timings.ts';
import type { LoadBalancerSpec } from './supervisor/load-balancer.ts';
import type { LabTopology } from './topology.ts';

export interface LabState {
  topology: LabTopology;
  sshd: string;
  loadBalancer: LoadBalancerSpec;
  /** moto_server, run through a link in the lab folder so that `down` recognises the process as the lab's. */
  ec2Emulator: string;
  /** The timing preset the cluster runs with (absent in labs started before presets existed: short). */
  timings?: LabTimingsName;
  /** HAProxy, for the HA lab's API load balancer. */
  haproxy?: string;
}

export const statePath = (labDir: string) => join(labDir, 'lab.json');
export const supervisorPidPath = (labDir: string) => join(labDir, 'run', 'supervisor.pid');
export const supervisorLogPath = (labDir: string) => join(labDir, 'supervisor.log');
/** Written by the supervisor once every host has its EC2 instance: host name → instance ID. */
export const ec2InstancesPath = (labDir: string) => join(labDir, 'run', 'ec2-instances.json');
/** The lab's AWS credentials file: its EC2 API accepts any key, the AWS SDK wants one. */
export const awsCredentialsPath = (labDir: string) => join(labDir, 'aws-credentials');

export function readLabState(labDir: string): LabState | undefined {
  return existsSync(statePath(labDir)) ? (JSON.parse(readFileSync(statePath(labDir), 'utf8')) as LabState) : undefined;
}

export function writeLabState(state: LabState): void {
  mkdirSync(state.topology.labDir, { recursive: true });
  writeFileSync(statePath(state.topology.labDir), JSON.stringify(state, null, 2) + '\n');
}

/**
 * The supervisor's pid if it is running. A killed supervisor that is not yet reaped (a zombie) is not running:
 * `kill -0` still succeeds on it, but it will never answer its socket again.
 */
export function runningSupervisor(labDir: string): number | undefined {
  if (!existsSync(supervisorPidPath(labDir))) return undefined;
  const pid = Number(readFileSync(supervisorPidPath(labDir), 'utf8'));
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^\d+ \(.*\) [ZX]/.test(stat) ? undefined : pid;
  } catch {
    return undefined;
  }
}
