// The steady-state check against the lab: a node a drill cordoned, a scale or a ConfigMap a drill left, and a journal
// entry not restored each fail it, named, with `npm run restore`; a node someone else cordoned does not.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { LeftoversError } from '../../src/engine/drill-leftovers.ts';
import { Journal } from '../../src/engine/journal.ts';
import { waitForSteadyState } from '../../src/engine/steady-state.ts';
import { ConfigMapChange } from '../../src/faults/configmap-change.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { NodeDrainFault } from '../../src/faults/node-drain.ts';
import { restoreUndo } from '../../src/faults/restorers.ts';
import { ScaleDeploymentChange } from '../../src/faults/scale-deployment.ts';
import { readClusterIdentity } from '../../src/kube/cluster-identity.ts';
import { CORDONED_BY, SCALED_BY } from '../../src/kube/drill-marks.ts';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { setUnschedulable } from '../../src/kube/node-schedulable.ts';
import { SshTransport } from '../../src/transport/ssh-transport.ts';
import { lastWorkerNode, useLab, type Lab } from './lab-fixture.ts';

const NS = 'default';

describe('the steady-state check finds what a drill left behind (lab)', function () {
  this.timeout(300_000);
  let lab: Lab;
  let kube: KubeConfig;
  let transport: SshTransport;
  let worker: string;
  const context = (): FaultContext => ({
    profile: lab.profile,
    transport,
    kube,
    dryRun: false,
    signal: new AbortController().signal,
    announceApiChange: () => {},
  });
  /** The check as the engine runs it; resolves to its LeftoversError, or undefined when the steady state holds. */
  const leftovers = async (journal?: Journal): Promise<LeftoversError | undefined> => {
    try {
      await waitForSteadyState({ kube, profile: lab.profile, journal }, 120_000);
      return undefined;
    } catch (error) {
      if (error instanceof LeftoversError) return error;
      throw error;
    }
  };
  const labels = async (node: string) => (await kube.makeApiClient(CoreV1Api).readNode({ name: node })).metadata?.labels ?? {};

  before(async () => {
    lab = await useLab();
    kube = loadKubeConfig(lab.kubeconfig);
    transport = new SshTransport(lab.profile.hosts);
    worker = lastWorkerNode(lab.profile);
    expect(await leftovers(), 'the lab starts in its steady state').to.equal(undefined);
  });
  after(async () => {
    await setUnschedulable(kube, worker, false, { [CORDONED_BY]: null });
    await transport.close();
  });

  it('a node the drain fault cordoned fails it, naming the node and run; its restore clears it', async () => {
    const drain = new NodeDrainFault(worker);
    await drain.preflight(context());
    await drain.inject(context());
    try {
      expect((await labels(worker))[CORDONED_BY]).to.be.a('string');
      const found = await leftovers();
      expect(found?.message).to.match(new RegExp(`node ${worker} left cordoned by run \\S+ \\(kubectl uncordon -- ${worker}\\)`)).and.include('Run `npm run restore`');
    } finally {
      await restoreUndo(drain.undo(), context());
    }
    expect(await labels(worker)).to.not.have.property(CORDONED_BY);
    expect(await leftovers()).to.equal(undefined);
  });

  it('a node someone else cordoned is not blamed on a drill', async () => {
    await setUnschedulable(kube, worker, true);
    try {
      expect(await leftovers()).to.equal(undefined);
    } finally {
      await setUnschedulable(kube, worker, false);
    }
  });

  it('a scale a drill left fails it, with the count before; the mark goes once the count is back where it was', async () => {
    const grow = new ScaleDeploymentChange(NS, 'guestbook', { by: 1 });
    const growMore = new ScaleDeploymentChange(NS, 'guestbook', { by: 2 });
    await grow.preflight(context());
    const before = grow.originalReplicas;
    await grow.inject(context());
    await growMore.preflight(context());
    await growMore.inject(context());
    const markOf = async () => (await kube.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name: 'guestbook' })).metadata?.labels?.[SCALED_BY];
    try {
      expect((await leftovers())?.message).to.include(`deployment ${NS}/guestbook left scaled by run`).and.include(`: ${before + 3} replicas, ${before} before the drill`);
      await restoreUndo(growMore.undo(), context()); // back to before + 1: still the drill's
      expect(await markOf()).to.be.a('string');
    } finally {
      await restoreUndo(growMore.undo(), context());
      await restoreUndo(grow.undo(), context());
    }
    expect(await markOf()).to.equal(undefined);
    expect(await leftovers()).to.equal(undefined);
  });

  it('a ConfigMap a drill created and a journal entry not restored fail it, each named', async () => {
    const canary = new ConfigMapChange(NS, `leftover-${Date.now()}`, { note: 'left by a drill' });
    const { uid, server } = await readClusterIdentity(kube);
    const journal = Journal.forProfile(lab.profile.name, mkdtempSync(join(tmpdir(), 'kfd-leftovers-')), { identity: { uid, server } });
    const entry = { id: `left-${Date.now()}`, drill: 'leftovers-test', fault: canary.name, undo: canary.undo(), manualFix: canary.manualFix(), recordedAt: new Date().toISOString() };
    await journal.recordPending(entry);
    await canary.inject(context());
    try {
      const message = (await leftovers(journal))?.message;
      expect(message).to.include(`journal entry "${canary.name}" (drill leftovers-test, run `);
      expect(message).to.include(`configmap ${NS}/${canary.configMap} left by run `).and.include(`kubectl -n ${NS} delete configmap -- ${canary.configMap}`);
      expect(message).to.include('Run `npm run restore`');
    } finally {
      await restoreUndo(entry.undo, context());
      await journal.markRestored(entry.id);
      journal.release();
    }
    expect(await leftovers(journal)).to.equal(undefined);
  });
});
