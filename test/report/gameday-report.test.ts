// The game-day page and the history in a real headless Chromium: a passed game day, an aborted one with its breach on
// the timeline, the comparison with the previous game day, hostile names shown as text; nothing fetched, no console
// error. Screenshots go to test-output/gameday-report/ for a person to look at.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { GameDayRecord } from '../../src/gameday/plan-types.ts';
import { findPreviousGameDay } from '../../src/report/gameday-read.ts';
import { writeGameDayReport } from '../../src/report/gameday-write.ts';
import { rebuildHistory } from '../../src/report/history.ts';
import { writeRun } from '../../src/report/write-run.ts';
import { HEALTHY_CONDITIONS, HOSTILE, sampleGameDay, type SampleDrill } from '../unit/report/sample-gameday.ts';
import { sampleReport } from '../unit/report/sample-run.ts';
import { inspectPage, type PageFacts } from './chromium.ts';

const OUTPUT = fileURLToPath(new URL('../../test-output/gameday-report/', import.meta.url));
const PLAN = `nightly ${HOSTILE}`;
const HOSTILE_DRILL = `kubelet-stopped ${HOSTILE}`;

/** Writes a game day as the runner does: each drill that ran has a real drill report in a subfolder. */
function writeGameDay(root: string, folder: string, record: GameDayRecord): string {
  const dir = join(root, folder);
  const drills = record.drills.map((drill) => {
    if (!drill.startedAt) return drill;
    const written = writeRun(sampleReport({ startedAt: drill.startedAt, drills: 1 }), dir, () => {});
    return { ...drill, reportPath: `${written.folder.slice(dir.length + 1)}/index.html` };
  });
  const full = { ...record, drills };
  return writeGameDayReport(dir, full, findPreviousGameDay(root, full.plan, full.runId)).html;
}

const drills = (apiRecovers: number, notReady: number): SampleDrill[] => [
  { name: 'etcd-down', result: 'passed', from: 5, to: 60, timings: { 'API recovers': apiRecovers } },
  { name: HOSTILE_DRILL, result: 'passed', from: 65, to: 140, timings: { 'node NotReady': notReady } },
  { name: 'scheduler-down', result: 'passed', from: 145, to: 190, timings: {} },
  { name: 'controller-manager-down', result: 'passed', from: 195, to: 240, timings: { 'leader elected': 15 } },
];

describe('game-day reports in Chromium', function () {
  this.timeout(90_000);
  let root: string;
  let passedPage: string;
  let abortedPage: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kfd-gameday-browser-'));
    writeRun(sampleReport({ startedAt: '2026-11-18T10:00:00.000Z' }), root, () => {});
    writeRun(sampleReport({ startedAt: '2026-11-19T10:00:00.000Z', deviated: true }), root, () => {});
    passedPage = writeGameDay(root, 'gd-1', sampleGameDay({ plan: PLAN, startedAt: '2026-11-20T02:00:00.000Z', drills: drills(20, 40), conditions: HEALTHY_CONDITIONS }));
    const aborted = drills(26, 40);
    aborted[1] = { name: HOSTILE_DRILL, result: 'aborted', from: 65, to: 130, timings: { 'node NotReady': 52 }, reason: `stop condition checkout-endpoint ${HOSTILE} breached; restored` };
    aborted[2] = { name: 'scheduler-down', result: 'skipped', reason: 'a stop condition was breached: the rest of the plan is skipped' };
    aborted[3] = { name: 'controller-manager-down', result: 'not-run', reason: 'a stop condition was breached: the rest of the plan is skipped' };
    abortedPage = writeGameDay(
      root,
      'gd-2',
      sampleGameDay({
        plan: PLAN,
        startedAt: '2026-11-21T02:00:00.000Z',
        verdict: 'aborted',
        reason: `stop condition checkout-endpoint ${HOSTILE} breached at 02:01:40 UTC`,
        drills: aborted,
        conditions: [
          { name: `checkout-endpoint ${HOSTILE}`, every: 5, breachAt: 100, threshold: 'success ≥ 95 %', value: (ok) => (ok ? 'success 100.0 % over 30 s' : 'success 62.5 % over 30 s') },
          { name: 'not-ready-nodes', every: 10, value: () => '0 NotReady' },
        ],
      }),
    );
    rebuildHistory(root, (line) => expect.fail(line));
  });

  function expectQuiet(facts: PageFacts<unknown>): void {
    expect(facts.foreignRequests, 'network requests').to.deep.equal([]);
    expect(facts.consoleErrors, 'console errors').to.deep.equal([]);
    expect(facts.dialogs, 'an injected script ran').to.deep.equal([]);
  }

  it('shows a passed game day: verdict, a section per drill linking its report, the stop conditions, no previous game day', async () => {
    const facts = await inspectPage(passedPage, join(OUTPUT, 'passed.png'), async (page) => ({
      verdict: await page.locator('.run-head .verdict').innerText(),
      sections: await page.locator('section.drill h2').allInnerTexts(),
      reportLinks: await page.locator('section.drill a.drill-report').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? '')),
      lanes: await page.locator('svg.stop-conditions g.lane.condition').count(),
      okBars: await page.locator('svg.stop-conditions rect.sample-ok').count(),
      breachBars: await page.locator('svg.stop-conditions rect.sample-breach').count(),
      timelineWidth: (await page.locator('svg.stop-conditions').boundingBox())?.width ?? 0,
      noPrevious: await page.locator('.no-previous').innerText(),
      why: await page.getByRole('heading', { name: 'Skipped, aborted or refused' }).count(),
    }));
    expectQuiet(facts);
    const seen = facts.result;
    expect(seen.verdict).to.equal('PASSED');
    expect(seen.sections).to.deep.equal(['PASSED 1. etcd-down', `PASSED 2. ${HOSTILE_DRILL}`, 'PASSED 3. scheduler-down', 'PASSED 4. controller-manager-down']);
    expect(seen.reportLinks).to.have.length(4);
    for (const href of seen.reportLinks) expect(existsSync(join(dirname(passedPage), decodeURIComponent(href))), href).to.equal(true);
    expect(seen.lanes).to.equal(2);
    expect(seen.okBars, 'each lane is one ok stretch').to.equal(2);
    expect(seen.breachBars).to.equal(0);
    expect(seen.timelineWidth).to.be.greaterThan(900);
    expect(seen.noPrevious).to.equal('No previous game day of this plan.');
    expect(seen.why).to.equal(0);
  });

  it('shows an aborted game day: reason, the breach on the timeline with value and time, why the rest was skipped', async () => {
    const facts = await inspectPage(abortedPage, join(OUTPUT, 'aborted.png'), async (page) => ({
      verdict: await page.locator('.run-head .verdict').innerText(),
      reason: await page.locator('.verdict-reason').innerText(),
      banner: await page.getByRole('alert').innerText(),
      breachBars: await page.locator(`svg.stop-conditions g.lane[data-condition="checkout-endpoint ${HOSTILE}"] rect.sample-breach`).count(),
      okBars: await page.locator(`svg.stop-conditions g.lane[data-condition="checkout-endpoint ${HOSTILE}"] rect.sample-ok`).count(),
      breachLabel: await page.locator('svg.stop-conditions g.breach-mark text').textContent(),
      why: await page.locator('ul.why li').allInnerTexts(),
      results: await page.locator('table.summary tbody tr td:nth-child(3)').allInnerTexts(),
    }));
    expectQuiet(facts);
    const seen = facts.result;
    expect(seen.verdict).to.equal('ABORTED');
    expect(seen.reason).to.equal(`Why: stop condition checkout-endpoint ${HOSTILE} breached at 02:01:40 UTC`);
    expect(seen.banner).to.include(`Stop condition checkout-endpoint ${HOSTILE} breached at 2026-11-21 02:01:40 UTC: success 62.5 % over 30 s (threshold: success ≥ 95 %)`);
    expect(seen.okBars).to.equal(1);
    expect(seen.breachBars).to.equal(1);
    expect(seen.breachLabel).to.equal('success 62.5 % over 30 s at 02:01:40 UTC');
    expect(seen.why).to.deep.equal([
      `Game day aborted: stop condition checkout-endpoint ${HOSTILE} breached at 02:01:40 UTC`,
      `${HOSTILE_DRILL} aborted: stop condition checkout-endpoint ${HOSTILE} breached; restored`,
      'scheduler-down skipped: a stop condition was breached: the rest of the plan is skipped',
      'controller-manager-down not run: a stop condition was breached: the rest of the plan is skipped',
    ]);
    expect(seen.results).to.deep.equal(['PASSED', 'ABORTED', 'SKIPPED', 'NOT RUN']);
  });

  it('compares with the previous game day of the plan: worse timings with their delta, changed verdict and results', async () => {
    const facts = await inspectPage(abortedPage, join(OUTPUT, 'comparison.png'), async (page) => ({
      summary: await page.locator('table.comparison').locator('xpath=preceding-sibling::p[1]').innerText(),
      rows: await page.locator('table.comparison tbody tr').allInnerTexts(),
      worse: await page.locator('table.comparison .delta.worse').allInnerTexts(),
      changed: await page.locator('table.comparison tr.result-changed').count(),
    }));
    expectQuiet(facts);
    const seen = facts.result;
    expect(seen.summary).to.match(/^With game day gameday-2026-11-20T02-00-00-000Z of 2026-11-20 02:00:00 UTC: verdict changed from PASSED; 2 timings got worse; 3 drill results changed\.$/);
    expect(seen.worse).to.deep.equal(['+6.0 s (+30 %) worse', '+12.0 s (+30 %) worse']);
    expect(seen.rows[0]).to.match(/^etcd-down\s+PASSED unchanged\s+API recovers\s+20\.0 s\s+26\.0 s\s+\+6\.0 s \(\+30 %\) worse$/);
    expect(seen.rows[1]).to.match(/^kubelet-stopped <script>alert\(1\)<\/script>\s+PASSED → ABORTED\s+node NotReady\s+40\.0 s\s+52\.0 s\s+\+12\.0 s \(\+30 %\) worse$/);
    expect(seen.rows[2]).to.match(/^scheduler-down\s+PASSED → SKIPPED\s+no timing in both$/);
    expect(seen.rows[3]).to.match(/^controller-manager-down\s+PASSED → NOT RUN\s+leader elected\s+—\s+not measured now$/);
    expect(seen.changed, 'rows of drills whose result changed').to.equal(3);
  });

  it('lists game days and single runs in the history, without listing a game day\'s drill reports as runs', async () => {
    const facts = await inspectPage(join(root, 'index.html'), join(OUTPUT, 'history.png'), async (page) => ({
      head: await page.locator('.run-head p').innerText(),
      gameDays: await page.locator('table.gamedays tbody tr').allInnerTexts(),
      gameDayLinks: await page.locator('table.gamedays a').evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
      runRows: await page.locator('h2:text("Runs") + table tbody tr').count(),
    }));
    expectQuiet(facts);
    const seen = facts.result;
    expect(seen.head).to.match(/^2 runs and 2 game days in /);
    expect(seen.gameDays).to.have.length(2);
    expect(seen.gameDays[0]).to.include(PLAN).and.include('ABORTED').and.include('1/4 passed').and.include('controller-manager-down not run');
    expect(seen.gameDays[1]).to.include(PLAN).and.include('PASSED').and.include('4/4 passed');
    expect(seen.gameDayLinks).to.deep.equal(['gd-2/gameday.html', 'gd-1/gameday.html']);
    expect(seen.runRows).to.equal(2);
  });

  it('shows hostile plan, drill and condition names as text: the page has only its own print script', async () => {
    const facts = await inspectPage(abortedPage, join(OUTPUT, 'hostile.png'), async (page) => ({
      title: await page.title(),
      heading: await page.locator('h1').innerText(),
      scripts: await page.locator('script').count(),
      svgScripts: await page.locator('svg script').count(),
      hostileText: await page.getByText(HOSTILE).count(),
    }));
    expectQuiet(facts);
    expect(facts.result.heading).to.equal(`Game day — ${PLAN}`);
    expect(facts.result.title).to.include(PLAN);
    expect(facts.result.scripts).to.equal(1);
    expect(facts.result.svgScripts).to.equal(0);
    expect(facts.result.hostileText).to.be.greaterThan(3);
  });
});
