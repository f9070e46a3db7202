// drill() inside a real mocha run (in this process): teardown against failing hooks and timed-out steps, the bail
// after a failed step, a run stopped by a drill left not restored, and the step budget taken from the timings.
import { expect } from 'chai';
import Mocha from 'mocha';
import { drill, setDrillRuntime } from '../../../src/engine/drill.ts';
import { setDrillGate } from '../../../src/engine/drill-gate.ts';
import { resetDrillParams, setDrillParams } from '../../../src/engine/drill-params.ts';
import { installInterrupts, resetInterrupts, stopAndRestore } from '../../../src/engine/interrupts.ts';
import { onRunEvent, type RunEvent } from '../../../src/engine/run-events.ts';
import { stepBudgetMs } from '../../../src/engine/step-budget.ts';
import type { Target } from '../../../src/engine/target.ts';
import { ServiceStopFault } from '../../../src/faults/service-stop.ts';
import { HeldHost, heldTarget } from './held-host.ts';

const INTERFACE = ['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach', 'context', 'specify', 'xit', 'xdescribe', 'xcontext', 'xspecify', 'run', 'setup', 'suiteSetup', 'suiteTeardown', 'teardown', 'suite', 'test'];

const meta = (name: string) => ({ name, title: name, teaches: '', faults: [], expected: [], duration: '' });

interface Run {
  failures: number;
  events: RunEvent[];
  tests: { title: string; state: string | undefined }[];
}

/** Declares drills in a fresh mocha (its own describe/it for the duration of `declare`) and runs them. */
async function runDrills(declare: () => void): Promise<Run> {
  const global = globalThis as Record<string, unknown>;
  const saved = new Map(INTERFACE.map((name) => [name, global[name]]));
  const mocha = new Mocha({ reporter: Mocha.reporters.Base });
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'inline.drill.ts', mocha);
  try {
    declare();
  } finally {
    for (const [name, value] of saved) global[name] = value;
  }
  const events: RunEvent[] = [];
  const stop = onRunEvent((event) => events.push(event));
  const tests: Run['tests'] = [];
  const failures = await new Promise<number>((done) => {
    const runner = mocha.run(done);
    runner.on(Mocha.Runner.constants.EVENT_TEST_END, (test) => tests.push({ title: test.title, state: test.state ?? (test.isPending() ? 'pending' : undefined) }));
  });
  stop();
  return { failures, events, tests };
}

function nextEvent(match: (event: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const stop = onRunEvent((event) => {
      if (!match(event)) return;
      stop();
      resolve(event);
    });
  });
}

const drillEnd = (events: RunEvent[], name: string) => events.find((event) => event.kind === 'drill-end' && event.drill === name) as Extract<RunEvent, { kind: 'drill-end' }> | undefined;

describe('drill() in a mocha run', () => {
  let host: HeldHost;
  let target: Target;
  let restoreRuntime: () => void;

  beforeEach(() => {
    resetInterrupts();
    installInterrupts({ exit: () => {}, write: () => {}, now: () => 0 });
    host = new HeldHost();
    host.active.add('etcd');
    target = heldTarget(host);
    restoreRuntime = setDrillRuntime({ target: async () => target, steadyState: async () => {}, recordEvents: () => () => {}, topology: async () => {} });
  });

  afterEach(() => {
    restoreRuntime();
    resetInterrupts();
    setDrillGate(undefined);
    resetDrillParams();
  });

  const etcd = () => new ServiceStopFault(target.profile.hosts[0]!, 'etcd');

  it('restores even when the drill’s own after hook throws', async () => {
    const run = await runDrills(() => {
      drill(meta('own-after-fails'), (d) => {
        after(() => {
          throw new Error('the drill’s own cleanup failed');
        });
        it('stops etcd', async () => {
          await d.inject(etcd());
        });
      });
    });
    expect(host.active.has('etcd'), 'etcd started again').to.equal(true);
    expect(target.journal.pending()).to.deep.equal([]);
    expect(drillEnd(run.events, 'own-after-fails')).to.include({ restored: true });
    expect(run.failures, 'the failing hook is reported').to.equal(1);
  });

  it('a step that times out during d.restore: teardown waits for that restore, and the next drill starts only after it', async () => {
    const start = host.hold((argv) => argv.join(' ') === 'systemctl start -- etcd');
    let laterStepRan = false;
    const teardownRestore = nextEvent((event) => event.kind === 'observation' && event.drill === 'slow-restore' && event.text.includes('skipped "a later step"'));
    const running = runDrills(() => {
      drill(meta('slow-restore'), (d) => {
        const fault = etcd();
        it('stops etcd', async () => {
          await d.inject(fault);
        });
        it('restores etcd', async function () {
          const restoring = d.restore(fault);
          this.timeout(20); // the step's budget runs out while the restore is held
          await restoring;
        });
        it('a later step', () => {
          laterStepRan = true;
        });
      });
      drill(meta('next-drill'), () => {
        it('runs', () => {});
      });
    });
    await start.reached;
    await teardownRestore;
    const events: RunEvent[] = [];
    const stop = onRunEvent((event) => events.push(event));
    // The step has failed and its successor was skipped; the restore is still held: nothing may move on.
    for (let turn = 0; turn < 20; turn++) await new Promise((done) => setImmediate(done));
    expect(events.filter((event) => event.kind === 'drill-end' || event.kind === 'drill-start')).to.deep.equal([]);
    expect(target.journal.pending().map((entry) => entry.fault)).to.deep.equal(['stop etcd on cp-1']);
    start.release();
    const run = await running;
    stop();
    const order = events.map((event) => `${event.kind}:${event.drill}`).filter((line) => /^(fault-restored|drill-end|drill-start)/.test(line));
    expect(order).to.deep.equal(['fault-restored:slow-restore', 'drill-end:slow-restore', 'drill-start:next-drill', 'drill-end:next-drill']);
    expect(drillEnd(run.events, 'slow-restore')).to.include({ result: 'failed', restored: true });
    expect(drillEnd(run.events, 'slow-restore')?.error).to.include('Timeout of 20ms exceeded');
    expect(laterStepRan).to.equal(false);
    expect(run.tests.find((test) => test.title === 'a later step')?.state).to.equal('pending');
    expect(target.journal.pending()).to.deep.equal([]);
  });

  it('after a failed step the later steps are skipped and teardown restores', async () => {
    let ran = false;
    const run = await runDrills(() => {
      drill(meta('step-fails'), (d) => {
        it('stops etcd', async () => {
          await d.inject(etcd());
        });
        it('expects something that does not hold', () => {
          throw new Error('boom');
        });
        it('never runs', () => {
          ran = true;
        });
      });
    });
    expect(ran).to.equal(false);
    expect(run.tests.map((test) => `${test.title}: ${test.state}`)).to.deep.equal(['stops etcd: passed', 'expects something that does not hold: failed', 'never runs: pending']);
    expect(drillEnd(run.events, 'step-fails')).to.include({ result: 'failed', restored: true, error: 'boom' });
    expect(host.active.has('etcd')).to.equal(true);
  });

  it('a drill left not restored stops the run: the drills after it are reported as not run, with the reason', async () => {
    host.broken.add('etcd');
    let injectedAgain = false;
    const run = await runDrills(() => {
      drill(meta('breaks-for-good'), (d) => {
        it('stops etcd', async () => {
          await d.inject(etcd());
        });
      });
      drill(meta('after-broken'), (d) => {
        it('would stop etcd again', async () => {
          injectedAgain = true;
          await d.inject(etcd());
        });
      });
    });
    expect(drillEnd(run.events, 'breaks-for-good')).to.include({ result: 'not-restored', restored: false });
    const notRun = drillEnd(run.events, 'after-broken');
    expect(notRun).to.include({ result: 'failed', restored: true });
    expect(notRun?.error).to.match(/^not run: /).and.to.include('breaks-for-good left the cluster not restored').and.to.include('npm run restore');
    expect(run.events.some((event) => event.kind === 'drill-start' && event.drill === 'after-broken')).to.equal(true);
    expect(injectedAgain).to.equal(false);
    expect(run.tests.find((test) => test.title === 'would stop etcd again')?.state).to.equal('pending');
    expect(target.journal.pending().map((entry) => entry.fault)).to.deep.equal(['stop etcd on cp-1']);
  });

  it('gives each step the budget of the profile’s timings (default Kubernetes timings: over 6 minutes)', async () => {
    let budget = 0;
    await runDrills(() => {
      drill(meta('budgeted'), () => {
        it('reads its budget', function () {
          budget = this.timeout();
        });
      });
    });
    expect(budget).to.equal(stepBudgetMs(target.profile.timings));
    // kubelet-stopped's eviction step with 50 s grace and 300 s tolerations: taint 30 s + eviction 330 s + replacement 60 s.
    expect(budget).to.be.greaterThan((30 + 330 + 60) * 1000);
  });

  it('a gate that fails skips its drill with the reason, before anything is injected; the next drill passes it and runs', async () => {
    const gated: string[] = [];
    setDrillGate(async (drillMeta) => {
      gated.push(drillMeta.name);
      return drillMeta.name === 'gated-out' ? 'the steady state does not hold' : undefined;
    });
    let ran = false;
    const run = await runDrills(() => {
      drill(meta('gated-out'), (d) => {
        it('stops etcd', async () => {
          await d.inject(etcd());
        });
      });
      drill(meta('gated-in'), () => {
        it('runs', () => {
          ran = true;
        });
      });
    });
    expect(gated).to.deep.equal(['gated-out', 'gated-in']);
    expect(drillEnd(run.events, 'gated-out')).to.include({ result: 'failed', error: 'not run: the steady state does not hold' });
    expect(host.commands, 'nothing was injected').to.deep.equal([]);
    expect(ran).to.equal(true);
    expect(run.failures).to.equal(0);
  });

  it('stopAndRestore (a stop condition) stops the running drill, restores at once, and the later drills are not run', async () => {
    let injectedDone = () => {};
    const injected = new Promise<void>((resolve) => (injectedDone = resolve));
    const running = runDrills(() => {
      drill(meta('breached'), (d) => {
        it('stops etcd, then waits until stopped', async () => {
          const stopped = new Promise<void>((resolve) => d.signal.addEventListener('abort', () => resolve()));
          await d.inject(etcd());
          injectedDone();
          await stopped;
        });
        it('a later step', () => {
          throw new Error('must not run');
        });
      });
      drill(meta('after-breach'), () => {
        it('must not run', () => {
          throw new Error('must not run');
        });
      });
    });
    await injected;
    expect(host.active.has('etcd')).to.equal(false);
    const errors = await stopAndRestore('the game day was aborted: condition x breached', 'aborted: condition x breached');
    expect(errors).to.deep.equal([]);
    expect(host.active.has('etcd'), 'restored at once').to.equal(true);
    const run = await running;
    expect(run.tests.find((test) => test.title === 'a later step')?.state).to.equal('pending');
    expect(drillEnd(run.events, 'breached')).to.include({ restored: true });
    expect(drillEnd(run.events, 'after-breach')).to.include({ error: 'not run: the game day was aborted: condition x breached' });
    expect(target.journal.pending()).to.deep.equal([]);
  });

  it('d.param gives the value a plan set, else the declared default, and refuses an undeclared name', async () => {
    const seen: unknown[] = [];
    const params = { node: { description: 'the node', default: '' }, extra: { description: 'pods', default: 2 } };
    setDrillParams('with-params', { node: 'worker-2' });
    await runDrills(() => {
      drill({ ...meta('with-params'), params }, (d) => {
        it('reads its params', () => {
          seen.push(d.param('node'), d.param('extra'));
          expect(() => d.param('nodes')).to.throw('drill with-params has no parameter "nodes" (it declares: node, extra)');
        });
      });
    });
    expect(seen).to.deep.equal(['worker-2', 2]);
  });
});
