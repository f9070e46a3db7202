// Faults undone together: every part's restore starts at once, all are awaited, failures are all reported.
import { setTimeout as delay } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { restoreTimeoutMs } from '../../../src/engine/restore-deadline.ts';
import type { UndoRecord } from '../../../src/engine/journal.ts';
import type { FaultContext } from '../../../src/faults/fault.ts';
import { ManifestMoveFault } from '../../../src/faults/manifest-move.ts';
import { restoreUndo } from '../../../src/faults/restorers.ts';
import { restoreTogether, TogetherFault } from '../../../src/faults/together.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import type { ProfileHost } from '../../../src/profile/profile-schema.ts';
import { DryRunTransport } from '../../../src/transport/dry-run-transport.ts';
import { stringify } from 'yaml';
import { validProfile } from '../profile/profile-fixture.ts';

const profile = parseProfile(stringify(validProfile()), 'p.yaml');
const cp = profile.hosts[0] as ProfileHost;
const context = (transport = new DryRunTransport()): FaultContext => ({ profile, transport, kube: new KubeConfig(), dryRun: true, signal: new AbortController().signal, announceApiChange: () => {} });

describe('faults undone together', () => {
  it('journals one undo holding each part’s, and injects the parts in order', async () => {
    const parts = ['etcd', 'kube-apiserver'].map((name) => new ManifestMoveFault(cp, `/etc/kubernetes/manifests/${name}.yaml`, name));
    const together = new TogetherFault('stop etcd and the API server', parts);
    const undo = together.undo();
    expect(undo.type).to.equal('together');
    expect((undo.parts as UndoRecord[]).map((part) => [part.type, part.manifest])).to.deep.equal([
      ['manifest-back', '/etc/kubernetes/manifests/etcd.yaml'],
      ['manifest-back', '/etc/kubernetes/manifests/kube-apiserver.yaml'],
    ]);
    const transport = new DryRunTransport();
    await together.inject(context(transport));
    const moves = transport.commands.filter((command) => command.argv[0] === 'mv').map((command) => command.argv[3]);
    expect(moves).to.deep.equal(['/etc/kubernetes/manifests/etcd.yaml', '/etc/kubernetes/manifests/kube-apiserver.yaml']);
    expect(together.manualFix().split(' ; ')).to.have.length(2);
  });

  it('starts every part’s restore before any has finished, and waits for all', async () => {
    const events: string[] = [];
    const restoreOne = async (part: UndoRecord) => {
      events.push(`start ${String(part.name)}`);
      await delay(part.name === 'a' ? 30 : 5);
      events.push(`end ${String(part.name)}`);
    };
    await restoreTogether({ type: 'together', parts: [{ type: 'x', name: 'a' }, { type: 'x', name: 'b' }] }, context(), restoreOne);
    expect(events).to.deep.equal(['start a', 'start b', 'end b', 'end a']);
  });

  it('throws the one failure, or every failure at once, after all parts have settled', async () => {
    let settled = 0;
    const failing = (names: string[]) => async (part: UndoRecord) => {
      await delay(5);
      settled++;
      if (names.includes(String(part.name))) throw new Error(`${String(part.name)} not back`);
    };
    const undo = { type: 'together', parts: ['a', 'b', 'c'].map((name) => ({ type: 'x', name })) };
    const one = await restoreTogether(undo, context(), failing(['b'])).catch((error: Error) => error);
    expect(one).to.be.an('error').with.property('message', 'b not back');
    expect(settled).to.equal(3);
    const two = await restoreTogether(undo, context(), failing(['a', 'c'])).catch((error: Error) => error);
    expect(two).to.be.instanceOf(AggregateError);
    expect((two as AggregateError).message).to.equal('2 of 3 restores done together failed: a not back; c not back');
  });

  it('refuses a malformed record from the journal, naming what it needs', async () => {
    const error = await restoreUndo({ type: 'together', parts: [] }, context()).catch((caught: Error) => caught);
    expect(error).to.be.an('error').with.property('message', 'undo record "together" needs parts: a non-empty list of undo records');
  });

  it('gets the longest of its parts’ restore deadlines', () => {
    expect(restoreTimeoutMs({ type: 'together', parts: [{ type: 'manifest-back' }, { type: 'service-start' }] })).to.equal(120_000);
    expect(restoreTimeoutMs({ type: 'together', parts: [{ type: 'manifest-back', restoreTimeoutMs: 200_000 }, { type: 'service-start' }] })).to.equal(200_000);
  });
});
