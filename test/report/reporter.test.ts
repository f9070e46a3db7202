// The reporter end to end: mocha runs a fixture drill file with it, and the run's files and console summary follow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLValidator } from 'fast-xml-parser';
import type { RunReport } from '../../src/report/report-types.ts';
import { expectValidReport } from '../unit/report/valid-report.ts';
import { fixtureRun, type FixtureRun } from './run-fixture.ts';

/** The pod name the fixture gives an event (importing the fixture would declare its suites here). */
const HOSTILE_POD = '<script>alert(1)</script>';

describe('reporter on a fixture run', () => {
  let run: FixtureRun;
  let report: RunReport;
  before(async () => {
    run = await fixtureRun('fixture');
    report = JSON.parse(readFileSync(join(run.folder, 'report.json'), 'utf8')) as RunReport;
  });

  it('prints spec output, then the verdict per drill and where the HTML is', () => {
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stdout).to.include('  scheduler-down\n    ✔ a new pod stays Pending while the scheduler is down\n');
    expect(run.stdout).to.include('  Fire drill verdict: NOT RESTORED\n');
    expect(run.stdout).to.match(/\n {4}✔ scheduler-down +passed +25\.9 s\n/);
    expect(run.stdout).to.match(/\n {4}‼ kubelet-stopped +not restored +52\.0 s {2}stop kubelet on worker-1: systemctl start kubelet failed on worker-1 \(exit 1: Job for kubelet.service failed\); fix by hand: ssh worker-1 sudo systemctl start kubelet\n/);
    expect(run.stdout).to.include(`  Report:  ${join(run.folder, 'index.html')}\n  History: ${join(run.reportsDir, 'index.html')}\n`);
    expect(run.stderr).to.equal('');
  });

  it('writes a report.json that matches the schema, with each drill as it went', () => {
    expectValidReport(report);
    expect(report).to.include({ runId: run.runId, verdict: 'not-restored', partial: false, profile: 'lab' });
    expect(report.drills.map((drill) => [drill.name, drill.outcome, drill.restored])).to.deep.equal([
      ['scheduler-down', 'passed', true],
      ['kubelet-stopped', 'not-restored', false],
      ['plain mocha suite', 'passed', true],
    ]);
    const kubelet = report.drills[1];
    expect(kubelet?.expectations[0]).to.include({ name: 'node NotReady', ok: false, seconds: 41, lowerSeconds: 20, upperSeconds: 30 });
    expect(kubelet?.tests.map((test) => [test.title, test.state, test.error?.name])).to.deep.equal([
      ['worker-1 goes NotReady within the bound', 'failed', 'ExpectationError'],
      ['"after all" hook for "worker-1 goes NotReady within the bound"', 'failed', 'Error'],
    ]);
    expect(kubelet?.faults[0]).to.include({ restored: false, manualFix: 'ssh worker-1 sudo systemctl start kubelet' });
  });

  it('writes a well-formed junit.xml with the failures', () => {
    const xml = readFileSync(join(run.folder, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).to.equal(true);
    expect(xml).to.include('<testsuites name="kube-firedrill ' + run.runId + '" tests="5" failures="1" errors="1" skipped="0"');
  });

  it('escapes the cluster’s data in the HTML and lists the run in the history', () => {
    const page = readFileSync(join(run.folder, 'index.html'), 'utf8');
    expect(page).not.to.include(HOSTILE_POD);
    expect(page).to.include('pod/default/&lt;script&gt;alert(1)&lt;/script&gt;');
    const history = readFileSync(join(run.reportsDir, 'index.html'), 'utf8');
    expect(history).to.include(`<a href="${run.runId}/index.html">${run.runId}</a>`);
  });
});
