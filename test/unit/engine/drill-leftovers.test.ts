// What a drill left behind, as the steady-state check names it: pending journal entries and the objects a drill marked.
import { expect } from 'chai';
import { describeLeftovers, LeftoversError, type Leftovers } from '../../../src/engine/drill-leftovers.ts';
import { CORDONED_BY, CREATED_BY, markValue, REPLICAS_BEFORE, SCALED_BY } from '../../../src/kube/drill-marks.ts';

const none: Leftovers = { pending: [], nodes: [], deployments: [], configMaps: [] };

describe('what a drill left behind', () => {
  it('is nothing when the journal has nothing pending and no object carries a mark', () => {
    expect(describeLeftovers(none)).to.deep.equal([]);
  });

  it('names a pending journal entry with its drill and run', () => {
    const pending = [
      {
        id: 'e1',
        drill: 'node-drain',
        fault: 'drain worker-1',
        undo: { type: 'uncordon', node: 'worker-1' },
        manualFix: 'kubectl uncordon -- worker-1',
        recordedAt: '2026-12-03T10:00:00.000Z',
        runner: { runId: 'run-7', pid: 1, hostname: 'ci' },
      },
    ];
    expect(describeLeftovers({ ...none, pending })).to.deep.equal(['journal entry "drain worker-1" (drill node-drain, run run-7, recorded 2026-12-03T10:00:00.000Z) not restored']);
  });

  it('names a node still cordoned under a drill’s mark, with the fix, and not one uncordoned since', () => {
    const nodes = [
      { metadata: { name: 'worker-1', labels: { [CORDONED_BY]: 'run-7' } }, spec: { unschedulable: true } },
      { metadata: { name: 'worker-2', labels: { [CORDONED_BY]: 'run-6' } }, spec: {} },
    ];
    expect(describeLeftovers({ ...none, nodes })).to.deep.equal(['node worker-1 left cordoned by run run-7 (kubectl uncordon -- worker-1)']);
  });

  it('names a scaled deployment with its count before the drill, and a ConfigMap a drill created', () => {
    const deployments = [
      { metadata: { namespace: 'default', name: 'guestbook', labels: { [SCALED_BY]: 'run-7' }, annotations: { [REPLICAS_BEFORE]: '3' } }, spec: { replicas: 5, selector: {}, template: {} } },
    ];
    const configMaps = [{ metadata: { namespace: 'default', name: 'canary', labels: { [CREATED_BY]: 'run-7' } } }];
    expect(describeLeftovers({ ...none, deployments, configMaps })).to.deep.equal([
      'deployment default/guestbook left scaled by run run-7: 5 replicas, 3 before the drill (kubectl -n default scale deployment/guestbook --replicas=3)',
      'configmap default/canary left by run run-7 (kubectl -n default delete configmap -- canary)',
    ]);
  });

  it('fails the check naming each thing left and `npm run restore`', () => {
    const error = new LeftoversError(['node worker-1 left cordoned by run run-7 (kubectl uncordon -- worker-1)', 'configmap default/canary left by run run-7']);
    expect(error.code).to.equal('DRILL_LEFTOVERS');
    expect(error.message)
      .to.include('a drill left changes behind:\n  node worker-1 left cordoned by run run-7')
      .and.include('\n  configmap default/canary left by run run-7\n')
      .and.include('Run `npm run restore`');
  });
});

describe('a run id as a mark', () => {
  it('is kept when it is a valid label value', () => {
    expect(markValue('2026-12-03T11-20-58-306Z-5c8526')).to.equal('2026-12-03T11-20-58-306Z-5c8526');
  });

  it('is made one: other characters replaced, at most 63, starting and ending with a letter or digit', () => {
    expect(markValue('-my run/1:')).to.equal('my_run_1');
    const long = markValue('r'.repeat(70));
    expect(long).to.have.length(63);
    expect(markValue('___')).to.equal('unknown-run');
  });
});
