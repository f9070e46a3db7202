// Partial reports: a drill without drill-end marks the report partial; writePartialReports writes what was collected.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import Mocha from 'mocha';
import { emitRunEvent } from '../../../src/engine/run-events.ts';
import { writePartialReports } from '../../../src/report/active-report.ts';
import { RunCollector } from '../../../src/report/collector.ts';
import FiredrillReporter from '../../../src/report/reporter.ts';
import type { RunReport } from '../../../src/report/report-types.ts';
import { meta } from './sample-run.ts';
import { expectValidReport } from './valid-report.ts';

describe('partial reports', () => {
  it('marks a run partial when a drill has no drill-end, with the drill unfinished and its running test', () => {
    const collector = new RunCollector(new Date('2026-01-10T10:00:00.000Z'));
    collector.record({ kind: 'drill-start', drill: 'etcd-down', at: '2026-01-10T10:00:01.000Z', meta: meta('etcd-down') });
    collector.record({ kind: 'fault-injected', drill: 'etcd-down', at: '2026-01-10T10:00:02.000Z', fault: 'stop etcd', description: 'systemctl stop etcd' });
    collector.testStarted(['etcd-down', 'the API fails'], new Date('2026-01-10T10:00:02.000Z'));
    const report = collector.snapshot(new Date('2026-01-10T10:00:30.000Z'));
    expect(report.partial).to.equal(true);
    expect(report.partialReasons).to.deep.equal(['drill etcd-down did not end (no drill-end event): it was still running']);
    expect(report.verdict).to.equal('failed');
    expect(report.drills[0]).to.include({ outcome: 'incomplete', restored: null, durationMs: 29_000 });
    expect(report.drills[0]?.endedAt).to.equal(undefined);
    expect(report.drills[0]?.tests).to.deep.equal([{ title: 'the API fails', fullTitle: 'etcd-down the API fails', state: 'unfinished' }]);
  });

  describe('writePartialReports', () => {
    it('does nothing when no run is being reported', () => {
      expect(writePartialReports('interrupted by SIGINT')).to.equal(undefined);
    });

    it('writes what the active reporter collected, marked partial with the reason, then the run ends normally', () => {
      const dir = mkdtempSync(join(tmpdir(), 'kfd-partial-'));
      const exitListeners = process.listenerCount('exit');
      const runner = new Mocha.Runner(new Mocha.Suite('', new Mocha.Context()));
      // What mocha's stats collector gives a runner in a real run; the spec epilogue reads it.
      runner.stats = { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0, duration: 0 };
      const reporter = new FiredrillReporter(runner, { reporterOptions: { dir } });
      emitRunEvent({ kind: 'run-info', drill: '', info: { runId: 'partial-run', profile: 'lab', cluster: { name: 'lab' }, runnerVersion: '0.1.0', dryRun: false } });
      emitRunEvent({ kind: 'drill-start', drill: 'etcd-down', meta: meta('etcd-down') });
      emitRunEvent({ kind: 'drill-end', drill: 'etcd-down', result: 'failed', restored: true, error: 'interrupted by SIGINT' });

      const htmlFile = quietly(() => writePartialReports('interrupted by SIGINT'));
      expect(htmlFile).to.equal(join(dir, 'partial-run', 'index.html'));
      const partial = JSON.parse(readFileSync(join(dir, 'partial-run', 'report.json'), 'utf8')) as RunReport;
      expectValidReport(partial);
      expect(partial).to.include({ partial: true, verdict: 'failed' });
      expect(partial.partialReasons).to.deep.equal(['interrupted by SIGINT']);
      expect(readFileSync(htmlFile as string, 'utf8')).to.include('Partial report.');

      quietly(() => runner.emit(Mocha.Runner.constants.EVENT_RUN_END));
      expect(reporter.written?.json).to.equal(join(dir, 'partial-run', 'report.json'));
      expect(writePartialReports('later'), 'unregistered at the end of the run').to.equal(undefined);
      expect(process.listenerCount('exit'), 'no exit listener left behind').to.equal(exitListeners);
    });
  });
});

/** Runs fn with mocha's console output muted: the inner reporter's summary would interleave with this run's. */
function quietly<T>(fn: () => T): T {
  const consoleLog = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = () => {};
  try {
    return fn();
  } finally {
    Mocha.reporters.Base.consoleLog = consoleLog;
  }
}
