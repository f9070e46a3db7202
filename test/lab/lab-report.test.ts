// Reports of real lab runs, checked in headless Chromium: a passing drill, and a run whose restore failed.
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { backupPath } from '../../src/faults/manifest-move.ts';
import { eventually } from '../../src/probes/eventually.ts';
import { checkReport } from '../../src/report/report-schema.ts';
import { inspectPage } from '../report/chromium.ts';
import { drillCli, reportsDir, restoreCli, startDrill } from './drill-cli.ts';
import { useLab } from './lab-fixture.ts';

const SCREENSHOTS = join('test-output', 'lab-report');

function readRun(runId: string) {
  const folder = join(reportsDir, runId);
  const checked = checkReport(JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')));
  if ('error' in checked) throw new Error(`report.json of ${runId} does not match the schema: ${checked.error}`);
  return { folder, report: checked.report, html: join(folder, 'index.html') };
}

describe('reports of real lab runs', function () {
  this.timeout(300_000);

  it('renders a passing scheduler-down run: timeline, expectations, commands, no network, no console error', async () => {
    await useLab();
    const runId = `lab-scheduler-down-${Date.now()}`;
    const result = await drillCli(['scheduler-down'], { FIREDRILL_RUN_ID: runId });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include(join(reportsDir, runId, 'index.html'));
    const { report, html } = readRun(runId);
    expect(report.partial).to.equal(false);
    expect(existsSync(join(reportsDir, runId, 'junit.xml'))).to.equal(true);
    const facts = await inspectPage(html, join(SCREENSHOTS, 'scheduler-down.png'), async (page) => ({
      timelines: await page.locator('svg.timeline').count(),
      expectations: await page.locator('table.expectations tbody tr').allInnerTexts(),
      text: await page.locator('body').innerText(),
      banners: await page.locator('.banner[role="alert"]').count(),
    }));
    expect(facts.foreignRequests).to.deep.equal([]);
    expect(facts.consoleErrors).to.deep.equal([]);
    expect(facts.result.timelines).to.equal(1);
    expect(facts.result.expectations.join('\n')).to.include('scheduler stopped').and.to.include('pods stay Pending');
    expect(facts.result.text).to.include('mv -n').and.to.include('kube-scheduler.yaml');
    expect(facts.result.banners).to.equal(0);
    expect(existsSync(facts.screenshot)).to.equal(true);
  });

  it('shows the not-restored banner, with the manual fix, for a run whose restore failed', async () => {
    const lab = await useLab();
    const scheduler = lab.profile.components['kube-scheduler'];
    if (scheduler.kind !== 'static-pod') throw new Error('the lab runs the scheduler as a static pod');
    const runId = `lab-not-restored-${Date.now()}`;
    const saved = join(mkdtempSync(join(tmpdir(), 'kfd-saved-')), 'kube-scheduler.yaml');
    const run = startDrill(['scheduler-down'], { FIREDRILL_RUN_ID: runId });
    await eventually(async () => expect(existsSync(backupPath(scheduler.manifest))).to.equal(true), { description: 'manifest moved out', timeoutMs: 120_000 });
    renameSync(backupPath(scheduler.manifest), saved);
    const result = await run.done;
    renameSync(saved, scheduler.manifest);
    expect(result.code).to.equal(3);
    expect((await restoreCli()).code).to.equal(0);
    const { report, html } = readRun(runId);
    expect(report.drills[0]?.outcome).to.equal('not-restored');
    expect(report.drills[0]?.restored).to.equal(false);
    const facts = await inspectPage(html, join(SCREENSHOTS, 'not-restored.png'), async (page) => ({
      banner: await page.locator('.banner[role="alert"]').innerText(),
    }));
    expect(facts.foreignRequests).to.deep.equal([]);
    expect(facts.consoleErrors).to.deep.equal([]);
    expect(facts.result.banner).to.include('Not restored');
    expect(facts.result.banner).to.include(`mv -n -- ${backupPath(scheduler.manifest)} ${scheduler.manifest}`);
  });
});
