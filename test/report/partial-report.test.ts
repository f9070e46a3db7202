// A report is written even when the run is interrupted (SIGINT) or the process dies: partial, and marked as such.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunReport } from '../../src/report/report-types.ts';
import { expectValidReport } from '../unit/report/valid-report.ts';
import { runFixture } from './run-fixture.ts';

const readReport = (folder: string) => JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as RunReport;

describe('partial reports of a real mocha run', () => {
  it('on SIGINT: the engine restores, the report is written as partial, the process exits 130', async () => {
    const run = await runFixture('interrupted');
    expect(run.code, run.stderr).to.equal(130);
    expect(run.stderr).to.include('SIGINT received: stopping the drills and restoring what they broke before exiting');
    expect(run.stdout).to.include(`  Fire drill verdict: FAILED  PARTIAL: interrupted by SIGINT\n`);
    const report = readReport(run.folder);
    expectValidReport(report);
    expect(report).to.include({ partial: true, verdict: 'failed' });
    expect(report.partialReasons).to.deep.equal(['interrupted by SIGINT']);
    const drill = report.drills[0];
    expect(report.drills).to.have.length(1);
    expect(drill).to.include({ name: 'etcd-down', outcome: 'failed', restored: true, error: 'interrupted by SIGINT' });
    expect(drill?.faults[0]).to.include({ fault: 'stop etcd on control-plane', restored: true });
    expect(drill?.tests).to.deep.equal([{ title: 'the API fails', fullTitle: 'etcd-down the API fails', state: 'unfinished' }]);
    expect(readFileSync(join(run.folder, 'index.html'), 'utf8')).to.include('<strong>Partial report.</strong> interrupted by SIGINT.');
  });

  it('when the process exits mid-drill: the report is partial, the drill incomplete, its restore unconfirmed', async () => {
    const run = await runFixture('crashed');
    expect(run.code, run.stderr).to.equal(7);
    const report = readReport(run.folder);
    expectValidReport(report);
    expect(report.partialReasons).to.deep.equal([
      'the process exited (code 7) before the run ended',
      'drill kubelet-stopped did not end (no drill-end event): it was still running',
    ]);
    expect(report.drills[0]).to.include({ outcome: 'incomplete', restored: null });
    const page = readFileSync(join(run.folder, 'index.html'), 'utf8');
    expect(page).to.include('Not restored: the cluster may still be broken.');
    expect(page).to.include('no restore was recorded (the run stopped before it)');
  });
});
