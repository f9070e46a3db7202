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
  /**
   * With more than one control plane: HAProxy in front of the API servers (kubeadm's HA shape); every kubeconfig
   * points here. Absent with one control plane, whose API server is reached directly.
   */
  apiLoadBalancer?: { address: string; port: number };
  /** How etcd runs on the control-plane hosts: a service (systemd unit) or a static pod (as kubeadm runs it). */
  etcdMode?: EtcdMode;
  /** The EC2 API (moto's server) where each host has an instance; stopping one stops that host's kubelet. */
  ec2Api: { address: string; port: number; region: string; zone: string };
  hosts: LabHost[];
}

export type EtcdMode = 'service' | 'static-pod';

export const DEFAULT_SUBNET = '127.0.10';
export const MAX_WORKERS = 200;
/** One control plane (workshops), or three as kubeadm's HA guide describes. */
export const CONTROL_PLANE_COUNTS = [1, 3] as const;

/** The first control-plane host (the only one, unless the lab is HA). */
export function controlPlaneHost(topology: LabTopology): LabHost {
  const host = controlPlaneHosts(topology)[0];
  if (!host) throw new Error('lab topology has no control-plane host');
  return host;
}

export function controlPlaneHosts(topology: LabTopology): LabHost[] {
  return topology.hosts.filter((host) => host.role === 'control-plane');
}

/** Where clients reach the API: the load balancer on HA, else the one API server. */
export function apiEndpoint(topology: LabTopology): { address: string; port: number } {
  return topology.apiLoadBalancer ?? { address: controlPlaneHost(topology).address, port: topology.apiPort };
}

export function workerHosts(topology: LabTopology): LabHost[] {
  return topology.hosts.filter((host) => host.role === 'worker');
}

/**
 * Addresses: control planes at .1 (then .4, .5 on HA), the app's load balancer at .2, the EC2 API at .3, the API load
 * balancer at .6 (HA only), workers from .11.
 */
export function labTopology(labDir: string, workers: number, subnet = DEFAULT_SUBNET, controlPlanes = 1, etcdMode: EtcdMode = 'service'): LabTopology {
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
    ...(controlPlanes > 1 ? { apiLoadBalancer: { address: `${subnet}.6`, port: 6443 } } : {}),
    etcdMode,
    hosts: [
      ...(controlPlanes === 1
        ? [host('control-plane', 'control-plane', 1, 0)]
        : Array.from({ length: controlPlanes }, (_, index) => host(`control-plane-${index + 1}`, 'control-plane', index === 0 ? 1 : 3 + index, index === 0 ? 0 : 200 + index))),
      ...Array.from({ length: workers }, (_, index) => host(`worker-${index + 1}`, 'worker', 11 + index, index + 1)),
    ],
  };
}
