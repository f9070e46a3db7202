// Command lines of the lab's control plane and node agents, with the flags that shorten the failure timeline.
import { join } from 'node:path';
import type { LabBinaries } from './binaries.ts';
import type { LabPki } from './pki.ts';
import { apiEndpoint, controlPlaneHost, controlPlaneHosts, type LabHost, type LabTopology } from './topology.ts';

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
  /** Leader election of the scheduler and controller-manager (HA lab only; their --leader-elect-* flags). */
  leaderElectionLeaseDurationSeconds: number;
  leaderElectionRenewDeadlineSeconds: number;
  leaderElectionRetryPeriodSeconds: number;
  /** etcd's --heartbeat-interval and --election-timeout, in milliseconds. */
  etcdHeartbeatIntervalMs: number;
  etcdElectionTimeoutMs: number;
  /** HAProxy's checks (HA lab): a failing API server is out after inter × fall, back after inter × rise. */
  apiLoadBalancerOutSeconds: number;
  apiLoadBalancerInSeconds: number;
  /** How long a new pod of the app takes from creation to Running once the scheduler and controllers work. */
  podStartSeconds: number;
}

export const LAB_TIMINGS: LabTimings = {
  nodeMonitorPeriodSeconds: 1,
  nodeMonitorGracePeriodSeconds: 12,
  nodeLeaseDurationSeconds: 10,
  notReadyTolerationSeconds: 10,
  unreachableTolerationSeconds: 10,
  staticPodMaxBackoffSeconds: 10,
  staticPodStopSeconds: 2,
  // Kubernetes' defaults are 15 s, 10 s and 2 s; shortened like the node timings, in the same proportions.
  leaderElectionLeaseDurationSeconds: 6,
  leaderElectionRenewDeadlineSeconds: 4,
  leaderElectionRetryPeriodSeconds: 1,
  // etcd's own defaults, given as flags: shorter ones make elections flap on a busy machine.
  etcdHeartbeatIntervalMs: 100,
  etcdElectionTimeoutMs: 1000,
  // haproxy-config.ts: inter 500ms, fastinter 250ms, fall 2, rise 2 (under a second each way, rounded up to whole
  // seconds; a /readyz that hangs until its 2 s check timeout takes longer).
  apiLoadBalancerOutSeconds: 1,
  apiLoadBalancerInSeconds: 1,
  // kwok marks a bound pod Running at once; this leaves room for scheduling and the controllers on a busy machine.
  podStartSeconds: 60,
};

export const SERVICE_CIDR = '10.96.0.0/16';

export function kubeconfigPath(topology: LabTopology, component: string, host = controlPlaneHost(topology)): string {
  return join(host.dir, 'etc', 'kubernetes', `${component}.conf`);
}

/** What clients use: the API load balancer on HA, else the one API server. */
export function apiServerUrl(topology: LabTopology): string {
  const { address, port } = apiEndpoint(topology);
  return `https://${address}:${port}`;
}

/** A control-plane host's own API server (kubeadm points that host's scheduler and controller-manager at it). */
export function localApiServerUrl(topology: LabTopology, host: LabHost): string {
  return `https://${host.address}:${topology.apiPort}`;
}

export const etcdPeerUrl = (topology: LabTopology, host: LabHost) => `https://${host.address}:${topology.etcdPeerPort}`;
export const etcdClientUrl = (topology: LabTopology, host: LabHost) => `https://${host.address}:${topology.etcdClientPort}`;

/** One member per control-plane host; on HA they form one cluster with peer TLS (kubeadm's stacked etcd). */
export function etcdCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki, cp = controlPlaneHost(topology)): string[] {
  const client = etcdClientUrl(topology, cp);
  const peer = etcdPeerUrl(topology, cp);
  const members = controlPlaneHosts(topology).map((host) => `${host.name}=${etcdPeerUrl(topology, host)}`);
  return [
    bin.etcd,
    `--name=${cp.name}`,
    `--data-dir=${join(cp.dir, 'var', 'lib', 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${members.join(',')}`,
    '--initial-cluster-state=new',
    '--initial-cluster-token=kube-firedrill-lab',
    `--cert-file=${pki.etcdServer.cert}`,
    `--key-file=${pki.etcdServer.key}`,
    `--trusted-ca-file=${pki.ca.cert}`,
    '--client-cert-auth=true',
    `--peer-cert-file=${pki.etcdServer.cert}`,
    `--peer-key-file=${pki.etcdServer.key}`,
    `--peer-trusted-ca-file=${pki.ca.cert}`,
    '--peer-client-cert-auth=true',
    '--snapshot-count=10000',
    `--heartbeat-interval=${LAB_TIMINGS.etcdHeartbeatIntervalMs}`,
    `--election-timeout=${LAB_TIMINGS.etcdElectionTimeoutMs}`,
  ];
}

/** Each API server talks to its own host's etcd member, as kubeadm's stacked topology does. */
export function apiServerCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki, timings: LabTimings, cp = controlPlaneHost(topology)): string[] {
  return [
    bin.kubeApiserver,
    `--advertise-address=${cp.address}`,
    `--bind-address=${cp.address}`,
    `--secure-port=${topology.apiPort}`,
    `--etcd-servers=${etcdClientUrl(topology, cp)}`,
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

/**
 * Leader election: off with one control plane (one replica, and a restart must not wait for a stale lease); on with
 * several, with the lab's shortened lease timings, as on a kubeadm HA cluster.
 */
function leaderElection(topology: LabTopology, timings: LabTimings): string[] {
  if (controlPlaneHosts(topology).length === 1) return ['--leader-elect=false'];
  return [
    '--leader-elect=true',
    `--leader-elect-lease-duration=${timings.leaderElectionLeaseDurationSeconds}s`,
    `--leader-elect-renew-deadline=${timings.leaderElectionRenewDeadlineSeconds}s`,
    `--leader-elect-retry-period=${timings.leaderElectionRetryPeriodSeconds}s`,
  ];
}

export function controllerManagerCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki, timings: LabTimings, cp = controlPlaneHost(topology)): string[] {
  const kubeconfig = kubeconfigPath(topology, 'controller-manager', cp);
  return [
    bin.kubeControllerManager,
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    // Its client CA is given as a flag: no need to read it from a ConfigMap, which RBAC denies for the first
    // seconds after the API server starts (the controller-manager would exit and crash-loop at every boot).
    '--authentication-skip-lookup=true',
    `--bind-address=${cp.address}`,
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
    ...leaderElection(topology, timings),
    `--node-monitor-period=${timings.nodeMonitorPeriodSeconds}s`,
    `--node-monitor-grace-period=${timings.nodeMonitorGracePeriodSeconds}s`,
    '--profiling=false',
  ];
}

export function schedulerCommand(topology: LabTopology, bin: LabBinaries, pki: LabPki, timings: LabTimings, cp = controlPlaneHost(topology)): string[] {
  const kubeconfig = kubeconfigPath(topology, 'scheduler', cp);
  return [
    bin.kubeScheduler,
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${cp.address}`,
    `--secure-port=${topology.schedulerPort}`,
    `--tls-cert-file=${pki.schedulerServing.cert}`,
    `--tls-private-key-file=${pki.schedulerServing.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    ...leaderElection(topology, timings),
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
