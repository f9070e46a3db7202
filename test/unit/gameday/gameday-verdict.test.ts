// A game day's verdict and exit code from its drills' outcomes and what stopped it; what a planned drill affects.
import { expect } from 'chai';
import type { DrillMeta } from '../../../src/engine/run-events.ts';
import { drillFootprint } from '../../../src/gameday/drill-footprint.ts';
import { gameDayExitCode, gameDayVerdict, type Stops } from '../../../src/gameday/gameday-verdict.ts';
import { checkPlanDrills } from '../../../src/gameday/plan-drills.ts';
import type { GameDayDrillOutcome, GameDayPlan } from '../../../src/gameday/plan-types.ts';
import type { ClusterProfile } from '../../../src/profile/profile-schema.ts';

const none: Stops = { notRestored: false, aborted: false, refused: false, windowClosed: false };
const outcome = (result: GameDayDrillOutcome['result']): GameDayDrillOutcome => ({ name: result, result, timings: {} });
const meta = (name: string, extra: Partial<DrillMeta> = {}): DrillMeta => ({ name, title: name, teaches: '', faults: [], expected: [], duration: '', ...extra });

describe('game-day verdict and exit code', () => {
  const judge = (results: GameDayDrillOutcome['result'][], stops: Partial<Stops> = {}) => {
    const verdict = gameDayVerdict(results.map(outcome), { ...none, ...stops });
    return [verdict, gameDayExitCode(verdict, { ...none, ...stops })];
  };

  it('passed only when every drill passed (0); a deviation or failure is deviated (1)', () => {
    expect(judge(['passed', 'passed'])).to.deep.equal(['passed', 0]);
    expect(judge(['passed', 'deviated'])).to.deep.equal(['deviated', 1]);
    expect(judge(['failed', 'passed'])).to.deep.equal(['deviated', 1]);
  });

  it('aborted by a stop condition (6), even with the rest not run', () => {
    expect(judge(['aborted', 'not-run'], { aborted: true })).to.deep.equal(['aborted', 6]);
  });

  it('drills left out by a closed window: refused with the window’s own code (7); by a gate: refused (5)', () => {
    expect(judge(['passed', 'not-run'], { windowClosed: true })).to.deep.equal(['refused', 7]);
    expect(judge(['skipped', 'passed'])).to.deep.equal(['refused', 5]);
    expect(judge(['not-run'], { refused: true })).to.deep.equal(['refused', 5]);
  });

  it('not restored outranks everything (3); an interrupt gives the signal’s code', () => {
    expect(judge(['aborted', 'not-restored'], { aborted: true, signal: 'SIGTERM' })).to.deep.equal(['not-restored', 3]);
    expect(judge(['aborted', 'not-run'], { signal: 'SIGTERM', aborted: true })).to.deep.equal(['interrupted', 143]);
    expect(judge(['aborted'], { signal: 'SIGHUP' })).to.deep.equal(['interrupted', 129]);
  });
});

describe('what a planned drill affects', () => {
  const host = (name: string, role: 'control-plane' | 'worker', node?: string) => ({ name, role, ...(node ? { node } : {}) });
  const profile = { name: 'lab', hosts: [host('cp-1', 'control-plane'), host('w-1', 'worker', 'node-a'), host('w-2', 'worker')] } as unknown as ClusterProfile;

  it('a one-worker drill: one node, the worker its node param names, else any worker', () => {
    expect(drillFootprint(meta('node-drain', { affects: 'one-worker' }), profile, { node: 'node-a' })).to.deep.equal({ nodes: ['node-a'], hosts: ['w-1'] });
    expect(drillFootprint(meta('kubelet-stopped', { affects: 'one-worker' }), profile, {})).to.deep.equal({ nodes: ['one worker, chosen at run time'], hosts: ['w-1', 'w-2'] });
  });

  it('any other drill: the control-plane hosts, no node', () => {
    expect(drillFootprint(meta('scheduler-down'), profile, {})).to.deep.equal({ nodes: [], hosts: ['cp-1'] });
  });
});

describe('a plan’s drills', () => {
  const plan = (drills: GameDayPlan['drills']) => ({ drills }) as GameDayPlan;
  const metas = [meta('node-drain', { params: { node: { description: 'the node', default: '' } } }), meta('scheduler-down')];
  const available = new Set(['node-drain', 'scheduler-down']);
  const check = (drills: GameDayPlan['drills']) => () => checkPlanDrills('plan.yaml', plan(drills), available, metas);

  it('refuses an unknown drill, naming the field and the nearest name (exit 2)', () => {
    expect(check([{ name: 'node-drian', params: {} }])).to.throw('plan.yaml: drills[0].name: unknown drill "node-drian" — did you mean "node-drain"?').with.property('exitCode', 2);
  });

  it('refuses a parameter the drill does not declare, or of another type, naming it', () => {
    expect(check([{ name: 'scheduler-down', params: {} }, { name: 'node-drain', params: { nodes: 'w' } }])).to.throw('plan.yaml: drills[1].params.nodes: unknown parameter of drill node-drain (it has node)');
    expect(check([{ name: 'node-drain', params: { node: 3 } }])).to.throw('plan.yaml: drills[0].params.node: must be a string (got 3)');
  });

  it('refuses a drill planned twice, and accepts known drills with declared parameters', () => {
    expect(check([{ name: 'scheduler-down', params: {} }, { name: 'scheduler-down', params: {} }])).to.throw('drills[1].name: drill "scheduler-down" is planned twice');
    expect(check([{ name: 'node-drain', params: { node: 'w-1' } }, { name: 'scheduler-down', params: {} }])).not.to.throw();
  });
});
