// Races between injects, restores and signals, each interleaving forced with held commands and an injected clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DrillStoppedError, RestoreError } from '../../../src/engine/errors.ts';
import { installInterrupts, resetInterrupts, trackDrill, type InterruptHandler } from '../../../src/engine/interrupts.ts';
import { Journal, type JournalMirror } from '../../../src/engine/journal.ts';
import { RestoreStack } from '../../../src/engine/restore-stack.ts';
import { backupPath, ManifestMoveFault } from '../../../src/faults/manifest-move.ts';
import { ServiceStopFault } from '../../../src/faults/service-stop.ts';
import type { Target } from '../../../src/engine/target.ts';
import { HeldHost, heldTarget, MANIFEST, openHandle } from './held-host.ts';

/** Lets every pending promise callback and I/O callback run (no timer, no sleep). */
const settle = async () => {
  for (let turn = 0; turn < 20; turn++) await new Promise((done) => setImmediate(done));
};


describe('interleavings of injects, restores and signals', () => {
  let host: HeldHost;
  let target: Target;
  let handler: InterruptHandler;
  let exits: number[];
  let output: string;
  let clock: number;

  beforeEach(() => {
    resetInterrupts();
    host = new HeldHost();
    host.files.add(MANIFEST);
    host.active.add('etcd');
    target = heldTarget(host);
    exits = [];
    output = '';
    clock = 0;
    handler = installInterrupts({ exit: (code) => exits.push(code), write: (text) => (output += text), now: () => clock });
  });

  afterEach(() => resetInterrupts());

  const cp = () => target.profile.hosts[0]!;
  const schedulerFault = () => new ManifestMoveFault(cp(), MANIFEST, 'kube-scheduler');
  const etcdFault = () => new ServiceStopFault(cp(), 'etcd');

  it('SIGINT while an inject is in flight: the restore waits for the inject to land, then undoes it; exit 130', async () => {
    const handle = openHandle(target);
    trackDrill(handle);
    const fault = schedulerFault();
    await handle.preflight(fault);
    const mv = host.hold((argv) => argv[0] === 'mv');
    const injected = handle.inject(fault).then(() => undefined, (error: Error) => error);
    await mv.reached;
    handler.handle('SIGINT');
    await settle();
    expect(host.commands.filter((command) => command.startsWith('cp-1: sh -c if test -f')), 'no restore before the inject settled').to.deep.equal([]);
    expect(exits).to.deep.equal([]);
    expect(handle.pendingRestores).to.equal(1);
    mv.release(); // the mv lands only now, as it would over a slow SSH connection
    await handler.finished;
    expect(exits).to.deep.equal([130]);
    expect(host.files.has(MANIFEST), 'manifest back in place').to.equal(true);
    expect(host.files.has(backupPath(MANIFEST))).to.equal(false);
    expect(target.journal.pending()).to.deep.equal([]);
    expect(await injected).to.be.instanceOf(DrillStoppedError);
    const again = await handle.inject(fault).then(() => undefined, (error: Error) => error);
    expect(again).to.be.instanceOf(DrillStoppedError);
    expect((again as Error).message).to.include('interrupted by SIGINT').and.to.include('not injecting move kube-scheduler.yaml out');
    expect(target.journal.pending(), 'a refused inject journals nothing').to.deep.equal([]);
    expect(host.commands.filter((command) => command.startsWith('cp-1: mv -n')), 'the refused inject ran nothing').to.have.length(1);
  });

  it('SIGINT while the undo record is being copied to the host: the inject never acts, the record ends restored; exit 130', async () => {
    let reached!: () => void;
    let release!: () => void;
    const copying = new Promise<void>((resolve) => (reached = resolve));
    const copied = new Promise<void>((resolve) => (release = resolve));
    const mirror: JournalMirror = {
      where: 'cp-1:/var/lib/kube-firedrill/journal.jsonl',
      append: async () => {
        reached();
        await copied; // a slow SSH connection to the control-plane host
      },
      read: async () => ({ text: '', warnings: [] }),
    };
    target = { ...target, journal: new Journal(join(mkdtempSync(join(tmpdir(), 'kfd-mirror-')), 'journal.jsonl'), { mirror }) };
    const handle = openHandle(target);
    trackDrill(handle);
    const fault = schedulerFault();
    await handle.preflight(fault);
    const injected = handle.inject(fault).then(() => undefined, (error: Error) => error);
    await copying;
    handler.handle('SIGINT');
    await settle();
    expect(exits, 'the signal waits for the record being written').to.deep.equal([]);
    release();
    await handler.finished;
    expect(exits).to.deep.equal([130]);
    expect(await injected).to.be.instanceOf(DrillStoppedError);
    expect(host.commands.filter((command) => command.startsWith('cp-1: mv -n')), 'the manifest never moved').to.deep.equal([]);
    expect(host.files.has(MANIFEST)).to.equal(true);
    expect(target.journal.pending(), 'the record is marked restored').to.deep.equal([]);
  });

  it('SIGINT during a filtered restore: the signal waits for it and for everything else before exiting 130', async () => {
    const handle = openHandle(target);
    trackDrill(handle);
    const scheduler = schedulerFault();
    const etcd = etcdFault();
    await handle.inject(scheduler);
    await handle.inject(etcd);
    const start = host.hold((argv) => argv.join(' ') === 'systemctl start -- etcd');
    const own = handle.restore(etcd);
    await start.reached;
    handler.handle('SIGINT');
    await settle();
    expect(exits, 'no exit while the restore of etcd runs').to.deep.equal([]);
    expect(output).to.not.include('restored everything');
    expect(target.journal.pending().map((entry) => entry.fault)).to.deep.equal(['move kube-scheduler.yaml out on cp-1', 'stop etcd on cp-1']);
    expect(host.commands.some((command) => command.startsWith('cp-1: sh -c if test -f')), 'nothing else restored while etcd is being restored').to.equal(false);
    start.release();
    await own;
    await handler.finished;
    expect(exits).to.deep.equal([130]);
    expect(output).to.include('SIGINT received').and.to.include('restored everything test-drill had broken');
    expect(target.journal.pending()).to.deep.equal([]);
    expect(host.active.has('etcd')).to.equal(true);
    expect(host.files.has(MANIFEST)).to.equal(true);
  });

  it('a copy of the signal within 1.5 s is the same Ctrl-C; a deliberate second one abandons the restores with exit 3', async () => {
    const handle = openHandle(target);
    trackDrill(handle);
    await handle.inject(etcdFault());
    const start = host.hold((argv) => argv.join(' ') === 'systemctl start -- etcd');
    handler.handle('SIGINT');
    await start.reached;
    expect(output).to.include('press Ctrl-C again to abandon');
    clock = 40; // the launcher's relayed copy
    handler.handle('SIGINT');
    clock = 1_400; // still the same keypress
    handler.handle('SIGINT');
    await settle();
    expect(exits, 'copies within the window are ignored').to.deep.equal([]);
    clock = 3_000;
    handler.handle('SIGINT');
    await settle();
    expect(exits).to.deep.equal([3]);
    expect(output).to.include('SIGINT again: abandoning the restores').and.to.include('stop etcd on cp-1').and.to.include('npm run restore');
    expect(target.journal.pending().map((entry) => entry.fault)).to.deep.equal(['stop etcd on cp-1']);
    start.release();
    await handler.finished;
    expect(exits, 'one exit only').to.deep.equal([3]);
  });

  it('SIGTERM and SIGHUP restore and exit 143 and 129; a different signal while restoring does not abandon', async () => {
    const handle = openHandle(target);
    trackDrill(handle);
    await handle.inject(etcdFault());
    const start = host.hold((argv) => argv.join(' ') === 'systemctl start -- etcd');
    handler.handle('SIGHUP');
    await start.reached;
    clock = 5_000;
    handler.handle('SIGTERM');
    await settle();
    expect(exits).to.deep.equal([]);
    expect(output).to.include('SIGTERM received while restoring after SIGHUP');
    start.release();
    await handler.finished;
    expect(exits).to.deep.equal([129]);

    resetInterrupts();
    const exitsTerm: number[] = [];
    const term = installInterrupts({ exit: (code) => exitsTerm.push(code), write: () => {}, now: () => 0 });
    host.active.add('etcd');
    const second = openHandle(target);
    trackDrill(second);
    await second.inject(etcdFault());
    term.handle('SIGTERM');
    await term.finished;
    expect(exitsTerm).to.deep.equal([143]);
    expect(target.journal.pending()).to.deep.equal([]);
  });

  it('exits 3 after a signal when a restore fails, naming what is still broken', async () => {
    const handle = openHandle(target);
    trackDrill(handle);
    await handle.inject(etcdFault());
    host.broken.add('etcd');
    handler.handle('SIGINT');
    await handler.finished;
    expect(exits).to.deep.equal([3]);
    expect(output).to.include('RESTORE FAILED for stop etcd on cp-1').and.to.include('Still broken, pending in the journal: stop etcd on cp-1').and.to.include('npm run restore');
    expect(handle.ended).to.include({ result: 'not-restored', restored: false });
  });
});

describe('restore stack under concurrent drains', () => {
  const entry = (unit: string, undo: Record<string, unknown> = {}) => ({
    id: unit,
    drill: 'test',
    fault: `stop ${unit}`,
    undo: { type: 'service-start', host: 'cp-1', unit, ...undo },
    recordedAt: new Date().toISOString(),
    manualFix: `systemctl start ${unit}`,
  });

  const setup = () => {
    const host = new HeldHost();
    const target = heldTarget(host);
    const context = { profile: target.profile, transport: host, kube: target.kube, dryRun: false, signal: new AbortController().signal, announceApiChange: () => {} };
    const stack = new RestoreStack(target.journal, context);
    return { host, target, stack };
  };

  it('keeps an entry owed while it is restored; a full drain waits for a filtered one in progress, then does the rest', async () => {
    const { host, target, stack } = setup();
    for (const unit of ['etcd', 'kubelet']) {
      target.journal.recordPending(entry(unit));
      stack.push(entry(unit));
    }
    const start = host.hold((argv) => argv.join(' ') === 'systemctl start -- etcd');
    const filtered = stack.drain((owed) => owed.id === 'etcd');
    await start.reached;
    expect(stack.size, 'still owed while its restore runs').to.equal(2);
    let fullDone = false;
    const full = stack.drain().then(() => (fullDone = true));
    await settle();
    expect(fullDone).to.equal(false);
    expect(host.commands.some((command) => command.includes('start kubelet')), 'one restore at a time').to.equal(false);
    start.release();
    await filtered;
    await full;
    expect(stack.size).to.equal(0);
    expect(target.journal.pending()).to.deep.equal([]);
    expect(host.commands.filter((command) => command.includes('systemctl start'))).to.deep.equal(['cp-1: systemctl start -- etcd', 'cp-1: systemctl start -- kubelet']);
  });

  it('a drain that waited for another caller’s failed attempt reports that failure instead of trying again at once', async () => {
    const { host, target, stack } = setup();
    target.journal.recordPending(entry('etcd'));
    stack.push(entry('etcd'));
    host.broken.add('etcd');
    const start = host.hold((argv) => argv.join(' ') === 'systemctl start -- etcd');
    const first = stack.drain().then(() => undefined, (error: Error) => error);
    await start.reached;
    const second = stack.drain().then(() => undefined, (error: Error) => error);
    start.release();
    expect(await first).to.be.instanceOf(RestoreError);
    expect(await second).to.be.instanceOf(RestoreError);
    expect(host.commands.filter((command) => command.includes('systemctl start'))).to.have.length(1);
    expect(stack.size).to.equal(1);
  });

  it('gives up on a restore at its own deadline (restoreTimeoutMs), keeping it owed and pending in the journal', async () => {
    const { host, target, stack } = setup();
    const timed = entry('etcd', { restoreTimeoutMs: 30 });
    target.journal.recordPending(timed);
    stack.push(timed);
    const start = host.hold((argv) => argv.join(' ') === 'systemctl start -- etcd');
    const error = await stack.drain().then(() => undefined, (caught: Error) => caught);
    expect(error).to.be.instanceOf(RestoreError);
    expect((error as Error).message).to.include('did not finish within its deadline of 30 ms').and.to.include('fix it by hand: systemctl start etcd');
    expect(stack.size).to.equal(1);
    expect(target.journal.pending().map((pending) => pending.id)).to.deep.equal(['etcd']);
    start.release();
  });

  it('a restore waits for its inject still in flight, and fails at its deadline if the inject never settles', async () => {
    const { host, target, stack } = setup();
    const timed = entry('etcd', { restoreTimeoutMs: 30 });
    target.journal.recordPending(timed);
    stack.push(timed, new Promise(() => {}));
    const error = await stack.drain().then(() => undefined, (caught: Error) => caught);
    expect((error as Error).message).to.include('its inject was still running after 30 ms, so what it changed is unknown');
    expect(host.commands, 'the restorer never ran').to.deep.equal([]);
    expect(stack.size).to.equal(1);
  });
});
