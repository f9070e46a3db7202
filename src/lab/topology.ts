// How the lab maps a cluster onto this machine: one loopback address per host, fixed ports, one folder per host.
import { join } from 'node:path';

export type HostRole = 'control-plane' | 'worker';

export interface LabHost {
  /** Host name; also the Kubernetes node name. */
  name: string;
  role: HostRole;
  /** Loopback address that is this host's own (its sshd, and for the control plane every component, bind here). */
  address: string;
  /** Folder standing for this host's filesystem: etc/kubernetes/manifests, bin, var/log, run. */
  dir: string;
  /** Pod CIDR kwok assigns pod IPs from. */
  podCidr: string;
}

export interface LabTopology {
  labDir: string;
  /** First three octets of the loopback addresses, e.g. "127.0.10". */
  subnet: string;
  sshPort: number;
  apiPort: number;
  etcdClientPort: number;
  etcdPeerPort: number;
  controllerManagerPort: number;
  schedulerPort: number;
  /** The address and port of the HTTP endpoint that stands for the app's load balancer. */
  loadBalancer: { address: string; port: number };
  /** The EC2 API (moto's server) where each host has an instance; stopping one stops that host's kubelet. */
  ec2Api: { address: string; port: number; region: string; zone: string };
  hosts: LabHost[];
}

export const DEFAULT_SUBNET = '127.0.10';
export const MAX_WORKERS = 200;

export function controlPlaneHost(topology: LabTopology): LabHost {
  const host = topology.hosts.find((candidate) => candidate.role === 'control-plane');
  if (!host) throw new Error('lab topology has no control-plane host');
  return host;
}

export function workerHosts(topology: LabTopology): LabHost[] {
  return topology.hosts.filter((host) => host.role === 'worker');
}

export function labTopology(labDir: string, workers: number, subnet = DEFAULT_SUBNET): LabTopology {
  const host = (name: string, role: HostRole, lastOctet: number, podSubnet: number): LabHost => ({
    name,
    role,
    address: `${subnet}.${lastOctet}`,
    dir: join(labDir, 'hosts', name),
    podCidr: `10.244.${podSubnet}.0/24`,
  });
  return {
    labDir,
    subnet,
    sshPort: 2222,
    apiPort: 6443,
    etcdClientPort: 2379,
    etcdPeerPort: 2380,
    controllerManagerPort: 10257,
    schedulerPort: 10259,
    loadBalancer: { address: `${subnet}.2`, port: 8080 },
    ec2Api: { address: `${subnet}.3`, port: 5000, region: 'us-east-1', zone: 'us-east-1a' },
    hosts: [
      host('control-plane', 'control-plane', 1, 0),
      ...Array.from({ length: workers }, (_, index) => host(`worker-${index + 1}`, 'worker', 11 + index, index + 1)),
    ],
  };
}
