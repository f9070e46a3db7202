// The stop conditions' samples stay bounded: what is recorded, what is left out, and what stop() adds.
import { expect } from 'chai';
import { MAX_SAMPLES_PER_CONDITION, MIN_GAP_MS, SampleLog } from '../../../src/gameday/sample-log.ts';

const T0 = Date.parse('2026-12-03T10:00:00Z');

describe('stop-condition sample log', () => {
  it('records the first sample, every change of ok, and a changed value at most every MIN_GAP_MS', () => {
    const log = new SampleLog();
    log.record('app', T0, true, 'success 100.0 % (5/5)');
    log.record('app', T0 + 1000, true, 'success 100.0 % (5/5)');
    log.record('app', T0 + 2000, true, 'success 100.0 % (6/6)');
    log.record('app', T0 + 3000, false, 'success 50.0 % (3/6)');
    log.record('app', T0 + 4000, false, 'success 40.0 % (2/5)');
    log.record('app', T0 + 3000 + MIN_GAP_MS, false, 'success 20.0 % (1/5)');
    expect(log.samples().map((sample) => [sample.at, sample.ok, sample.value])).to.deep.equal([
      ['2026-12-03T10:00:00.000Z', true, 'success 100.0 % (5/5)'],
      ['2026-12-03T10:00:03.000Z', false, 'success 50.0 % (3/6)'],
      ['2026-12-03T10:00:08.000Z', false, 'success 20.0 % (1/5)'],
    ]);
  });

  it('finish() records the latest evaluation left out, so the timeline reaches the end', () => {
    const log = new SampleLog();
    log.record('nodes', T0, true, '0 NotReady of 3 nodes');
    log.record('nodes', T0 + 60_000, true, '0 NotReady of 3 nodes');
    log.finish();
    log.finish();
    expect(log.samples().map((sample) => sample.at)).to.deep.equal(['2026-12-03T10:00:00.000Z', '2026-12-03T10:01:00.000Z']);
  });

  it('keeps at most MAX_SAMPLES_PER_CONDITION per condition, the first one included, and merges conditions by time', () => {
    const log = new SampleLog();
    for (let i = 0; i < MAX_SAMPLES_PER_CONDITION + 50; i++) log.record('flapping', T0 + i, i % 2 === 0, `value ${i}`);
    log.record('nodes', T0 + 10, true, '0 NotReady of 3 nodes');
    const flapping = log.samples().filter((sample) => sample.condition === 'flapping');
    expect(flapping).to.have.length(MAX_SAMPLES_PER_CONDITION);
    expect(flapping[0]!.value).to.equal('value 0');
    expect(flapping.at(-1)!.value).to.equal(`value ${MAX_SAMPLES_PER_CONDITION + 49}`);
    const all = log.samples();
    expect(all.map((sample) => sample.at)).to.deep.equal([...all.map((sample) => sample.at)].sort());
  });
});
