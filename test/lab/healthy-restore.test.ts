// Restored means healthy, against the lab's real control plane over real SSH: a restore refuses the process from
// before the fault and a process that does not answer its health endpoint, and accepts a new one that answers.
import { expect } from 'chai';
import { KubeConfig } from '@kubernetes/client-node';
import { notBackBecause, snapshotProcesses, waitUntilBackHealthy } from '../../src/faults/component-health.ts';
import { killComponent, stopComponent } from '../../src/faults/component-faults.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { restoreUndo } from '../../src/faults/restorers.ts';
import { ServiceStopFault } from '../../src/faults/service-stop.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { waitForApi } from '../../src/probes/api-availability.ts';
import type { ProfileHost } from '../../src/profile/profile-schema.ts';
import { SshTransport } from '../../src/transport/ssh-transport.ts';
import { useLab, type Lab } from './lab-fixture.ts';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('restored means healthy (lab)', function () {
  this.timeout(240_000);
  let lab: Lab;
  let transport: SshTransport;
  let context: FaultContext;
  let cp: ProfileHost;

  before(async () => {
    lab = await useLab();
    transport = new SshTransport(lab.profile.hosts);
    context = { profile: lab.profile, transport, kube: new KubeConfig(), dryRun: false, signal: new AbortController().signal, announceApiChange: () => {} };
    cp = lab.profile.hosts.find((host) => host.role === 'control-plane') as ProfileHost;
  });

  after(async () => {
    await transport.close();
  });

  it('kube-scheduler killed: the old process is refused, a new one answering /healthz on its secure port accepted', async () => {
    const fault = killComponent(lab.profile, 'kube-scheduler', 60_000);
    await fault.preflight(context);
    const [old] = fault.before?.processes ?? [];
    expect(old, 'a scheduler process recorded at preflight').to.not.equal(undefined);
    expect(fault.health?.url).to.equal(`https://${cp.address}:10259/healthz`);
    const options = { selector: { process: 'kube-scheduler' }, before: fault.before, health: fault.health };

    expect(await notBackBecause(context, cp, options)).to.equal(`still the process from before the fault (pid ${old!.pid})`);

    await fault.inject(context);
    const back = await waitUntilBackHealthy(context, cp, { ...options, timeoutMs: 60_000 });
    expect(back.pid).to.not.equal(old!.pid);
    expect(back.summary).to.equal(`kube-scheduler on control-plane: new pid ${back.pid} (was ${old!.pid}) answers https://${cp.address}:10259/healthz`);
    // The restorer from the journal's undo record agrees, and again (idempotent).
    await restoreUndo(fault.undo(), context);
    await restoreUndo(fault.undo(), context);
  });

  it('a new process whose health endpoint does not answer is not restored', async () => {
    const fault = killComponent(lab.profile, 'kube-controller-manager', 60_000);
    await fault.preflight(context);
    await fault.inject(context);
    const wrongPort = { url: `https://${cp.address}:1/healthz` };
    const error = await rejection(waitUntilBackHealthy(context, cp, { selector: { process: 'kube-controller' }, before: fault.before, health: wrongPort, timeoutMs: 20_000 }));
    expect(error.message, error.message).to.match(new RegExp(`last seen: (pid \\d+ runs but ${wrongPort.url.replaceAll('.', '\\.')} gives no answer|no process running)`));
    await restoreUndo(fault.undo(), context);
    const now = await snapshotProcesses(context, cp, { process: 'kube-controller' });
    expect(now.processes.map((process) => process.pid)).to.not.include(fault.before?.processes[0]?.pid);
  });

  it('kube-apiserver killed: the restore reports failure while it is dead, then the new pid answering /readyz', async () => {
    const fault = killComponent(lab.profile, 'kube-apiserver', 90_000);
    await fault.preflight(context);
    const old = fault.before?.processes[0]?.pid;
    await fault.inject(context);
    // Right after a SIGKILL: gone, or restarted but not ready yet; either way not back.
    const dead = await notBackBecause(context, cp, { selector: { process: 'kube-apiserver' }, before: fault.before, health: fault.health });
    expect(dead).to.match(/no process running|gives (no answer|HTTP 5\d\d)|still the process from before the fault/);
    const back = await waitUntilBackHealthy(context, cp, { selector: { process: 'kube-apiserver' }, before: fault.before, health: fault.health, timeoutMs: 90_000 });
    expect(back.pid).to.not.equal(old);
    expect(back.summary).to.include(`(was ${old}) answers https://${cp.address}:6443/readyz`);
    await restoreUndo(fault.undo(), context);
    await waitForApi(loadKubeConfig(lab.kubeconfig), 'up', 30_000);
  });

  it('etcd (a service) stopped and started: a new main process answers /health with the client certificate', async () => {
    const fault = stopComponent(lab.profile, 'etcd') as ServiceStopFault;
    expect(fault).to.be.instanceOf(ServiceStopFault);
    await fault.preflight(context);
    const old = fault.before?.processes[0]?.pid;
    expect(old).to.be.a('number');
    // The undo record first, as a drill journals it: it names the self-heal timer the inject arms and the restore disarms.
    const undo = fault.undo();
    await fault.inject(context);
    await restoreUndo(undo, context);
    const now = await snapshotProcesses(context, cp, { unit: 'etcd' });
    expect(now.processes).to.have.length(1);
    expect(now.processes[0]?.pid).to.not.equal(old);
    await waitForApi(loadKubeConfig(lab.kubeconfig), 'up', 60_000);
  });

  it('a manifest restore whose manifest never left accepts the running process (the fault never took effect)', async () => {
    const fault = stopComponent(lab.profile, 'kube-scheduler');
    await fault.preflight(context);
    // Restore without inject, as after a crash between journaling and the move: nothing to move back, nothing broken.
    await restoreUndo(fault.undo(), context);
    const running = await snapshotProcesses(context, cp, { process: 'kube-scheduler' });
    expect(running.processes.map((process) => process.pid)).to.deep.equal((fault as unknown as { before: { processes: { pid: number }[] } }).before.processes.map((process) => process.pid));
  });
});
