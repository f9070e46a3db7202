// Command lines of the lab's control plane and node agents, with the flags that shorten the failure timeline.
import { join } from 'node:path';
import type { LabBinaries } from './binaries.ts';
import type { LabPki } from './pki.ts';
import { controlPlaneHost, type LabHost, type LabTopology } from './topology.ts';

/** The lab's timings; written into the cluster profile so drills read them instead of hard-coding numbers. */
export interface LabTimings {
  nodeMonitorPeriodSeconds: number;
  nodeMonitorGracePeriodSeconds: number;
  nodeLeaseDurationSeconds: number;
  notReadyTolerationSeconds: number;
  unreachableTolerationSeconds: number;
  /** Longest crash-loop backoff of the lab kubelet's static pods. */
  staticPodMaxBackoffSeconds: number;
  /** The lab kubelet stops a static pod within this long after its manifest leaves the folder. */
  staticPodStopSeconds: number;
}

export const LAB_TIMINGS: LabTimings = {
  nodeMonitorPeriodSeconds: 1,
  nodeMonitorGracePeriodSeconds: 12,
  nodeLeaseDurationSeconds: 10,
  notReadyTolerationSeconds: 10,
  unreachableTolerationSeconds: 10,
  staticPodMaxBackoffSeconds: 10,
  staticPodStopSeconds: 2,
};

export const SERVICE_CIDR = '10.96.0.0/16';

export function kubeconfigPath(topology: LabTopology, component: string): string {
  return join(controlPlaneHost(topology).dir, 'etc', 'kubernetes', `${component}.conf`);
}

export function apiServerUrl(topology: LabTopology): string {
  return `https://${controlPlaneHost(topology).address}:${topology.apiPort}`;
}

export function etcdCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki): string[] {
  const cp = controlPlaneHost(topology);
  const client = `https://${cp.address}:${topology.etcdClientPort}`;
  const peer = `https://${cp.address}:${topology.etcdPeerPort}`;
  return [
    bin.etcd,
    `--name=${cp.name}`,
    `--data-dir=${join(cp.dir, 'var', 'lib', 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${cp.name}=${peer}`,
    `--cert-file=${pki.etcdServer.cert}`,
    `--key-file=${pki.etcdServer.key}`,
    `--trusted-ca-file=${pki.ca.cert}`,
    '--client-cert-auth=true',
    `--peer-cert-file=${pki.etcdServer.cert}`,
    `--peer-key-file=${pki.etcdServer.key}`,
    `--peer-trusted-ca-file=${pki.ca.cert}`,
    '--peer-client-cert-auth=true',
    '--snapshot-count=10000',
  ];
}

export function apiServerCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki, timings: LabTimings): string[] {
  const cp = controlPlaneHost(topology);
  return [
    bin.kubeApiserver,
    `--advertise-address=${cp.address}`,
    `--bind-address=${cp.address}`,
    `--secure-port=${topology.apiPort}`,
    `--etcd-servers=https://${cp.address}:${topology.etcdClientPort}`,
    `--etcd-cafile=${pki.ca.cert}`,
    `--etcd-certfile=${pki.apiserverEtcdClient.cert}`,
    `--etcd-keyfile=${pki.apiserverEtcdClient.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    `--tls-cert-file=${pki.apiserver.cert}`,
    `--tls-private-key-file=${pki.apiserver.key}`,
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    // Loopback addresses cannot be the endpoints of the `kubernetes` Service.
    '--endpoint-reconciler-type=none',
    `--default-not-ready-toleration-seconds=${timings.notReadyTolerationSeconds}`,
    `--default-unreachable-toleration-seconds=${timings.unreachableTolerationSeconds}`,
    '--profiling=false',
    `--cert-dir=${join(cp.dir, 'var', 'run', 'kubernetes')}`,
  ];
}

/** Leader election is off: there is one replica of each, and a restart must not wait for a stale lease. */
export function controllerManagerCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki, timings: LabTimings): string[] {
  const kubeconfig = kubeconfigPath(topology, 'controller-manager');
  return [
    bin.kubeControllerManager,
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    // Its client CA is given as a flag: no need to read it from a ConfigMap, which RBAC denies for the first
    // seconds after the API server starts (the controller-manager would exit and crash-loop at every boot).
    '--authentication-skip-lookup=true',
    `--bind-address=${controlPlaneHost(topology).address}`,
    `--secure-port=${topology.controllerManagerPort}`,
    `--tls-cert-file=${pki.controllerManagerServing.cert}`,
    `--tls-private-key-file=${pki.controllerManagerServing.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    `--root-ca-file=${pki.ca.cert}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--cluster-signing-cert-file=${pki.ca.cert}`,
    `--cluster-signing-key-file=${pki.ca.key}`,
    '--use-service-account-credentials=true',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--leader-elect=false',
    `--node-monitor-period=${timings.nodeMonitorPeriodSeconds}s`,
    `--node-monitor-grace-period=${timings.nodeMonitorGracePeriodSeconds}s`,
    '--profiling=false',
  ];
}

export function schedulerCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki): string[] {
  const kubeconfig = kubeconfigPath(topology, 'scheduler');
  return [
    bin.kubeScheduler,
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${controlPlaneHost(topology).address}`,
    `--secure-port=${topology.schedulerPort}`,
    `--tls-cert-file=${pki.schedulerServing.cert}`,
    `--tls-private-key-file=${pki.schedulerServing.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    '--leader-elect=false',
    '--profiling=false',
  ];
}

/** A node's kubelet is a kwok process that manages exactly that node: its status, Lease heartbeats and pods. */
export function kubeletCommand(host: LabHost, bin: LabBinaries, timings: LabTimings): string[] {
  return [
    bin.kwok,
    `--kubeconfig=${join(host.dir, 'etc', 'kubernetes', 'kubelet.conf')}`,
    `--config=${bin.kwokStages}`,
    '--manage-all-nodes=false',
    `--manage-single-node=${host.name}`,
    `--node-ip=${host.address}`,
    `--node-name=${host.name}`,
    `--cidr=${host.podCidr}`,
    `--node-lease-duration-seconds=${timings.nodeLeaseDurationSeconds}`,
  ];
}
