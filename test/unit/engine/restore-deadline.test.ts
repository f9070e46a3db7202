// Each restore's deadline: the fault's own figure (journaled with its undo), else a default per kind of undo.
import { expect } from 'chai';
import { restoreTimeoutMs } from '../../../src/engine/restore-deadline.ts';
import { ServiceStopFault } from '../../../src/faults/service-stop.ts';
import { HeldHost, heldTarget, openHandle } from './held-host.ts';

describe('restore deadlines', () => {
  it('defaults by kind of undo: minutes for an EC2 start, short for a manifest move, the kubelet’s wait for a killed process', () => {
    expect(restoreTimeoutMs({ type: 'ec2-start' })).to.be.at.least(20 * 60_000);
    expect(restoreTimeoutMs({ type: 'manifest-back' })).to.equal(90_000);
    expect(restoreTimeoutMs({ type: 'process-back', withinMs: 345_000 })).to.equal(375_000);
    expect(restoreTimeoutMs({ type: 'something-newer' })).to.equal(120_000);
  });

  it('takes the fault’s restoreTimeoutMs, journaled with its undo', async () => {
    const host = new HeldHost();
    host.active.add('etcd');
    const target = heldTarget(host);
    const handle = openHandle(target);
    const fault = Object.assign(new ServiceStopFault(target.profile.hosts[0]!, 'etcd'), { restoreTimeoutMs: 7_000 });
    await handle.inject(fault);
    const [entry] = target.journal.pending();
    expect(entry?.undo).to.deep.include({ type: 'service-start', unit: 'etcd', restoreTimeoutMs: 7_000 });
    expect(restoreTimeoutMs(entry!.undo)).to.equal(7_000);
    await handle.restore(fault);
    expect(target.journal.pending()).to.deep.equal([]);
  });
});
