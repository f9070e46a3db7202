// The collector: events and test outcomes land in the right drill; secrets are masked; floods are capped.
import { expect } from 'chai';
import { NO_SUITE, RunCollector } from '../../../src/report/collector.ts';
import { worstVerdict } from '../../../src/report/verdict.ts';
import { meta, sampleReport } from './sample-run.ts';

const at = (second: number) => new Date(Date.parse('2026-01-10T10:00:00.000Z') + second * 1000).toISOString();

describe('report collector', () => {
  it('puts each test in its drill: the nearest enclosing drill suite, else the outermost suite', () => {
    const collector = new RunCollector();
    collector.record({ kind: 'drill-start', drill: 'etcd-down', at: at(1), meta: meta('etcd-down') });
    collector.testEnded({ titlePath: ['game day', 'etcd-down', 'step', 'the API fails'], state: 'passed', durationMs: 5 });
    collector.testEnded({ titlePath: ['plain', 'nested', 'works'], state: 'passed', durationMs: 1 });
    collector.testEnded({ titlePath: ['a root test'], state: 'failed', error: { message: 'boom' } });
    const report = collector.snapshot();
    expect(report.drills.map((drill) => [drill.name, drill.tests.map((test) => test.title)])).to.deep.equal([
      ['etcd-down', ['the API fails']],
      ['plain', ['works']],
      [NO_SUITE, ['a root test']],
    ]);
    expect(report.drills.map((drill) => drill.outcome)).to.deep.equal(['incomplete', 'passed', 'failed']);
  });

  it('masks secrets in command arguments', () => {
    const report = sampleReport();
    expect(report.drills[0]?.commands[0]?.argv).to.deep.equal(['systemctl', 'stop', 'etcd', '--token=***']);
    expect(JSON.stringify(report)).not.to.include('s3cret');
  });

  it('keeps at most 10,000 Kubernetes events per drill and counts the rest', () => {
    const report = sampleReport({ drills: 1, kubeEvents: 10_250 });
    expect(report.drills[0]?.kubeEvents).to.have.length(10_000);
    expect(report.drills[0]?.kubeEventsOmitted).to.equal(250);
  });

  it('records a restore against its fault, with the error and the manual fix when it failed', () => {
    const report = sampleReport({ drills: 2, notRestored: true });
    expect(report.drills[0]?.faults[0]).to.include({ restored: true, restoredAt: at(27) });
    expect(report.drills[1]?.faults[0]).to.include({ restored: false, manualFix: 'ssh cp-1 sudo systemctl start etcd' });
    expect(report.verdict).to.equal('not-restored');
  });

  it('takes the worst drill outcome as the verdict, an incomplete drill counting as failed', () => {
    expect(worstVerdict([])).to.equal('passed');
    expect(worstVerdict(['passed', 'deviated'])).to.equal('deviated');
    expect(worstVerdict(['deviated', 'incomplete'])).to.equal('failed');
    expect(worstVerdict(['incomplete', 'not-restored', 'passed'])).to.equal('not-restored');
  });
});
