// `lab up`: builds what is missing, lays out the hosts, starts the supervisor and waits until the cluster is usable.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1Deployment, V1Node } from '@kubernetes/client-node';
import { apiGet, loadKubeConfig } from '../kube/kube-config.ts';
import { DEPLOYMENTS, NODES } from '../kube/resources.ts';
import { eventually } from '../probes/eventually.ts';
import { waitForObjects } from '../probes/watch-objects.ts';
import { ensureBinaries } from './binaries.ts';
import { bindClusterAdmins, deployGuestbook, grantKwokReads, GUESTBOOK, registerNodes } from './bootstrap.ts';
import { apiServerUrl } from './components.ts';
import { LAB_TIMING_PRESETS, type LabTimingsName } from './lab-timings.ts';
import { logDir, supervisorSocket, writeHosts } from './host-setup.ts';
import { LabError } from './lab-error.ts';
import { alive, killProcesses, labProcesses } from './lab-processes.ts';
import { ec2InstancesPath, readLabState, runningSupervisor, statePath, supervisorLogPath, supervisorPidPath, writeLabState } from './lab-state.ts';
import { ensureEc2Emulator } from './ec2-emulator.ts';
import { labPaths } from './lab-paths.ts';
import { ensurePki, writeKubeconfig } from './pki.ts';
import { checkEndpointsFree, ensureHostTools } from './preflight.ts';
import { writeLabProfile } from './lab-profile.ts';
import { ensureSsh } from './ssh-setup.ts';
import { writeHaproxyConfig } from './haproxy-config.ts';
import { CONTROL_PLANE_COUNTS, controlPlaneHosts, labTopology, MAX_WORKERS, workerHosts, type EtcdMode, type LabTopology } from './topology.ts';
import { systemctl } from './supervisor-client.ts';

export interface UpOptions {
  labDir: string;
  workers: number;
  subnet?: string;
  /** 1 (default) or 3: an HA control plane with stacked etcd, leader election and HAProxy in front of the API servers. */
  controlPlanes?: number;
  /** etcd as a systemd service (default) or as a static pod, as kubeadm runs it. */
  etcdMode?: EtcdMode;
  log: (line: string) => void;
  /** Deadline for the cluster to become ready once the supervisor runs. */
  timeoutMs?: number;
  /** Shortened timings (default) or Kubernetes' own; a running lab keeps its own unless this asks for others. */
  timings?: LabTimingsName;
}

export interface UpResult {
  topology: LabTopology;
  alreadyRunning: boolean;
  /** Milliseconds from starting the supervisor to every node Ready and guestbook available. */
  readyMs: number;
}

const SUPERVISOR = fileURLToPath(new URL('./supervisor/main.ts', import.meta.url));
/** The repository root: `--import tsx` is resolved from the working directory, so the supervisor starts there. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function labUp(options: UpOptions): Promise<UpResult> {
  const { labDir, log } = options;
  if (!Number.isInteger(options.workers) || options.workers < 1 || options.workers > MAX_WORKERS) {
    throw new LabError(`--nodes must be an integer from 1 to ${MAX_WORKERS} (got ${options.workers})`, 2);
  }
  const controlPlanes = options.controlPlanes ?? 1;
  if (!(CONTROL_PLANE_COUNTS as readonly number[]).includes(controlPlanes)) {
    throw new LabError(`--control-planes must be ${CONTROL_PLANE_COUNTS.join(' or ')} (got ${controlPlanes})`, 2);
  }
  const etcdMode = options.etcdMode ?? 'service';
  const previous = readLabState(labDir);
  if (runningSupervisor(labDir) && previous) {
    const running = workerHosts(previous.topology).length;
    const runningCps = controlPlaneHosts(previous.topology).length;
    const runningEtcd = previous.topology.etcdMode ?? 'service';
    if (running !== options.workers || runningCps !== controlPlanes || runningEtcd !== etcdMode) {
      throw new LabError(
        `The lab in ${labDir} is running with ${runningCps} control plane(s), etcd as a ${runningEtcd} and ${running} worker nodes; ` +
          `run \`npm run lab -- down\` first to start it with ${controlPlanes}, etcd as a ${etcdMode} and ${options.workers}.`,
        2,
      );
    }
    const runningTimings = previous.timings ?? 'short';
    if (options.timings && options.timings !== runningTimings) {
      throw new LabError(`The lab in ${labDir} is running with ${runningTimings} timings; run \`npm run lab -- down\` first to start it with ${options.timings} timings.`, 2);
    }
    log(`lab already running (${running} workers); checking it is ready`);
    const readyMs = await waitUntilReady(previous.topology, options.timeoutMs ?? 60_000, log);
    return { topology: previous.topology, alreadyRunning: true, readyMs };
  }
  const leftovers = labProcesses(labDir);
  if (leftovers.length > 0) {
    log(`found a half-started lab in ${labDir}: its supervisor is not running but ${leftovers.length} of its processes are; stopping them:`);
    for (const leftover of leftovers) log(`  pid ${leftover.pid}: ${leftover.command}`);
    await killProcesses(leftovers);
  }
  // A killed supervisor leaves its pid file: gone now, so nothing reads the dead pid as the new supervisor's.
  rmSync(supervisorPidPath(labDir), { force: true });

  const topology = labTopology(labDir, options.workers, options.subnet ?? previous?.topology.subnet, controlPlanes, etcdMode);
  const { sshd, haproxy } = ensureHostTools(log, { haproxy: controlPlanes > 1 });
  const timingsName = options.timings ?? 'short';
  const timings = LAB_TIMING_PRESETS[timingsName];
  await checkEndpointsFree(topology, leftovers.length > 0 ? 10_000 : 0);
  const binaries = await ensureBinaries(log);
  const ec2Emulator = join(labDir, 'run', 'moto_server');

  // A fresh cluster each time: etcd data and host folders are rebuilt, keys and certificates are kept.
  rmSync(join(labDir, 'hosts'), { recursive: true, force: true });
  mkdirSync(join(labDir, 'run'), { recursive: true });
  rmSync(ec2Emulator, { force: true });
  symlinkSync(await ensureEc2Emulator(log), ec2Emulator);
  rmSync(ec2InstancesPath(labDir), { force: true });
  rmSync(supervisorSocket(topology), { force: true });
  const pki = await ensurePki(topology);
  const ssh = await ensureSsh(topology);
  writeHosts(topology, binaries, pki, timings);
  if (topology.apiLoadBalancer) writeHaproxyConfig(topology);
  const paths = labPaths(labDir);
  writeKubeconfig(paths.kubeconfig, apiServerUrl(topology), pki.ca.cert, 'kubernetes-admin', pki.admin);
  writeKubeconfig(paths.superAdminKubeconfig, apiServerUrl(topology), pki.ca.cert, 'kubernetes-super-admin', pki.superAdmin);
  writeKubeconfig(paths.loadBalancerKubeconfig, apiServerUrl(topology), pki.ca.cert, 'system:kube-proxy', pki.kubeProxy);
  writeLabState({
    topology,
    sshd,
    loadBalancer: { ...topology.loadBalancer, kubeconfig: paths.loadBalancerKubeconfig, namespace: GUESTBOOK.namespace, service: GUESTBOOK.name },
    ec2Emulator,
    timings: timingsName,
    ...(haproxy ? { haproxy } : {}),
  });

  const started = Date.now();
  const supervisor = startSupervisor(labDir);
  try {
    await eventually(
      async () => {
        if (!alive(supervisor)) throw Object.assign(new Error('the lab supervisor exited at start'), { permanent: true });
        if (!existsSync(supervisorSocket(topology))) throw new Error('control socket not there yet');
      },
      { description: 'the lab supervisor to start', timeoutMs: 30_000, intervalMs: 50, maxIntervalMs: 200 },
    );
    const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    log(`supervisor started (${at()}); waiting for the API server`);
    await waitForApi(topology, supervisor, paths.superAdminKubeconfig, options.timeoutMs ?? 60_000);
    log(`API server ready (${at()}); registering nodes, starting kubelets, deploying guestbook`);
    await Promise.all([bindClusterAdmins(paths.superAdminKubeconfig), grantKwokReads(paths.superAdminKubeconfig)]);
    // The app is created alongside the nodes: its pods are scheduled as soon as the first worker is Ready.
    const instances = await eventually(
      async () => {
        if (!existsSync(ec2InstancesPath(labDir))) throw new Error('no instances yet');
        return JSON.parse(readFileSync(ec2InstancesPath(labDir), 'utf8')) as Record<string, string>;
      },
      { description: 'every host to have its EC2 instance', timeoutMs: 60_000, intervalMs: 100, maxIntervalMs: 500 },
    );
    await Promise.all([
      registerNodes(paths.kubeconfig, topology, instances.value).then(() => Promise.all(topology.hosts.map((host) => systemctl(topology, host.name, ['start', 'kubelet'])))),
      deployGuestbook(paths.kubeconfig),
    ]);
    await waitUntilReady(topology, options.timeoutMs ?? 60_000, log);
  } catch (error) {
    const pid = runningSupervisor(labDir);
    if (pid) process.kill(pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await killProcesses(labProcesses(labDir));
    throw new LabError(`The lab did not come up: ${(error as Error).message}\n${logTails(topology)}\nNothing is left running.`, 4);
  }
  const readyMs = Date.now() - started;
  writeLabProfile(topology, ssh, timings, pki);
  return { topology, alreadyRunning: false, readyMs };
}

function startSupervisor(labDir: string): number {
  const log = openSync(supervisorLogPath(labDir), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', SUPERVISOR, statePath(labDir)], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  if (!child.pid) throw new LabError(`could not start the lab supervisor (${process.execPath})`, 4);
  return child.pid;
}

async function waitForApi(topology: LabTopology, supervisor: number, kubeconfig: string, timeoutMs: number): Promise<void> {
  const config = loadKubeConfig(kubeconfig);
  await eventually(
    async (signal) => {
      if (!alive(supervisor)) throw Object.assign(new Error('the lab supervisor exited'), { permanent: true });
      const response = await apiGet(config, '/readyz', signal);
      if (response.status !== 200) throw new Error(`/readyz answered ${response.status}: ${response.body.slice(0, 200)}`);
    },
    { description: `the API server at ${apiServerUrl(topology)} to answer /readyz`, timeoutMs, intervalMs: 100, maxIntervalMs: 500 },
  );
}

/** Every node Ready, guestbook fully available, and its load balancer answering. */
export async function waitUntilReady(topology: LabTopology, timeoutMs: number, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  const config = loadKubeConfig(labPaths(topology.labDir).kubeconfig);
  const ready = (node: V1Node) => node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True');
  await Promise.all([
    waitForObjects<V1Node>({
      kubeconfig: config,
      type: NODES,
      description: `${topology.hosts.length} nodes Ready`,
      timeoutMs,
      until: (nodes) => nodes.length >= topology.hosts.length && topology.hosts.every((host) => nodes.some((node) => node.metadata?.name === host.name && ready(node))),
      describe: (nodes) => `${nodes.filter(ready).length}/${topology.hosts.length} nodes Ready`,
    }).then(() => log(`every node Ready (${((Date.now() - started) / 1000).toFixed(1)} s after the API)`)),
    waitForObjects<V1Deployment>({
      kubeconfig: config,
      type: DEPLOYMENTS,
      namespace: GUESTBOOK.namespace,
      fieldSelector: `metadata.name=${GUESTBOOK.name}`,
      description: `deployment ${GUESTBOOK.name} ${GUESTBOOK.replicas}/${GUESTBOOK.replicas} available`,
      timeoutMs,
      until: ([deployment]) => (deployment?.status?.availableReplicas ?? 0) >= GUESTBOOK.replicas,
      describe: ([deployment]) => `${deployment?.status?.availableReplicas ?? 0}/${GUESTBOOK.replicas} available`,
    }),
  ]);
  const { address, port } = topology.loadBalancer;
  await eventually(
    async (signal) => {
      const response = await fetch(`http://${address}:${port}/`, { signal });
      if (response.status !== 200) throw new Error(`load balancer answered ${response.status}`);
    },
    { description: `the guestbook load balancer at http://${address}:${port}/ to answer 200`, timeoutMs, intervalMs: 100 },
  );
  log(`lab ready: ${topology.hosts.length} nodes Ready, guestbook ${GUESTBOOK.replicas}/${GUESTBOOK.replicas} available`);
  return Date.now() - started;
}

function logTails(topology: LabTopology): string {
  const files = [supervisorLogPath(topology.labDir), ...controlPlaneHosts(topology).flatMap((host) => ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((name) => join(logDir(host), `${name}.log`)))];
  return files
    .filter((file) => existsSync(file))
    .map((file) => `--- last lines of ${file}:\n${readFileSync(file, 'utf8').trim().split('\n').slice(-6).join('\n')}`)
    .join('\n');
}
