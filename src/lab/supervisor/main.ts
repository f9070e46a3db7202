// The lab supervisor: parent of every lab process. Runs each host's sshd, services and static pods, and the load balancer.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { logDir, manifestsDir, supervisorSocket, unitDir } from '../host-setup.ts';
import { ec2InstancesPath, readLabState, supervisorPidPath } from '../lab-state.ts';
import { haproxyConfigPath } from '../haproxy-config.ts';
import { hostHome, hostPath, sshdConfigPath } from '../ssh-setup.ts';
import { controlPlaneHosts } from '../topology.ts';
import { startControlServer } from './control-server.ts';
import { ServiceManager } from './service-manager.ts';
import { StaticPodRunner } from './static-pods.ts';
import { SupervisedProcess } from './supervised-process.ts';

const stateFile = process.argv[2] ?? '';
if (!stateFile) throw new Error('usage: supervisor LAB_DIR/lab.json');
const labDir = dirname(stateFile);
const state = readLabState(labDir);
if (!state) throw new Error(`no lab state in ${labDir}`);
const { topology } = state;
const log = (message: string) => process.stdout.write(`${new Date().toISOString()} ${message}\n`);

/** Each control-plane host's kubelet runs that host's static pods. */
const staticPods = new Map(controlPlaneHosts(topology).map((host) => [host.name, new StaticPodRunner(manifestsDir(host), logDir(host), log)]));
const services = new Map<string, ServiceManager>();
const sshds: SupervisedProcess[] = [];
for (const host of topology.hosts) {
  const onChange = (unit: string, active: boolean) => {
    if (unit === 'kubelet') staticPods.get(host.name)?.setPaused(!active);
  };
  const hostEnv = { PATH: hostPath(host), HOME: hostHome(host), LAB_HOST: host.name };
  services.set(host.name, new ServiceManager(host.name, unitDir(host), logDir(host), log, onChange, hostEnv));
  sshds.push(
    new SupervisedProcess(
      {
        name: `${host.name}/sshd`,
        command: [state.sshd, '-D', '-e', '-f', sshdConfigPath(host)],
        logFile: join(logDir(host), 'sshd.log'),
        restart: 'always',
        initialBackoffMs: 1_000,
        maxBackoffMs: 5_000,
      },
      log,
    ),
  );
}

const { ec2Api } = topology;
const ec2Emulator = new SupervisedProcess(
  {
    name: 'ec2-api',
    command: [state.ec2Emulator, '-H', ec2Api.address, '-p', String(ec2Api.port)],
    logFile: join(labDir, 'ec2-api.log'),
    restart: 'always',
    initialBackoffMs: 1_000,
    maxBackoffMs: 5_000,
  },
  log,
);

/** HA only: HAProxy in front of the API servers. */
const apiLoadBalancer =
  topology.apiLoadBalancer &&
  new SupervisedProcess(
    {
      name: 'api-load-balancer',
      command: [state.haproxy ?? 'haproxy', '-db', '-f', haproxyConfigPath(topology)],
      logFile: join(labDir, 'haproxy.log'),
      restart: 'always',
      initialBackoffMs: 1_000,
      maxBackoffMs: 5_000,
    },
    log,
  );

// The pid file first: whoever sees the control socket can then find this process by it.
writeFileSync(supervisorPidPath(labDir), String(process.pid));
rmSync(supervisorSocket(topology), { force: true });
const control = await startControlServer(supervisorSocket(topology), async (request) => {
  const manager = services.get(request.host);
  if (!manager) return { code: 1, stdout: '', stderr: `unknown lab host ${request.host}\n` };
  log(`${request.host}: ${request.command} ${request.args.join(' ')}`);
  return request.command === 'systemd-run' ? manager.timers.systemdRun(request.args) : manager.systemctl(request.args);
});

/** Set once the load balancer has started (it starts last). */
const started: { loadBalancer?: { stop(): Promise<void> }; ec2Power?: { stop(): void } } = {};
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping every lab process`);
  control.close();
  started.ec2Power?.stop();
  await Promise.all([
    ec2Emulator.stop(),
    apiLoadBalancer?.stop(),
    ...[...staticPods.values()].map((runner) => runner.stop()),
    started.loadBalancer?.stop(),
    ...[...services.values()].map((manager) => manager.stopAll()),
    ...sshds.map((sshd) => sshd.stop()),
  ]);
  rmSync(supervisorPidPath(labDir), { force: true });
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

for (const sshd of sshds) sshd.start();
ec2Emulator.start();
apiLoadBalancer?.start();
if (topology.etcdMode !== 'static-pod') await Promise.all(controlPlaneHosts(topology).map((host) => services.get(host.name)?.start('etcd')));
for (const runner of staticPods.values()) runner.start();
// The Kubernetes client is heavy to load: the control plane starts first, the load balancer after.
const { LoadBalancer } = await import('./load-balancer.ts');
const balancer = new LoadBalancer(state.loadBalancer, log);
started.loadBalancer = balancer;
await balancer.start();
const { startEc2Power } = await import('./ec2-power.ts');
started.ec2Power = await startEc2Power({
  endpoint: `http://${ec2Api.address}:${ec2Api.port}`,
  region: ec2Api.region,
  zone: ec2Api.zone,
  hosts: topology.hosts,
  instancesFile: ec2InstancesPath(labDir),
  power: async (host, on) => void (await services.get(host)?.systemctl([on ? 'start' : 'stop', 'kubelet'])),
  log,
});
log(`supervisor ready (pid ${process.pid}): ${topology.hosts.length} hosts`);
