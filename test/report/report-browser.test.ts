// The run report and the history in a real headless Chromium: the parts are there, nothing is fetched, no console
// error, no injected script runs; screenshots go to test-output/report-browser/ for a person to look at.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { inspectPage } from './chromium.ts';
import { fixtureRun, type FixtureRun } from './run-fixture.ts';

const OUTPUT = fileURLToPath(new URL('../../test-output/report-browser/', import.meta.url));

describe('reports in Chromium', function () {
  this.timeout(60_000);
  let run: FixtureRun;
  before(async () => {
    run = await fixtureRun('fixture');
  });

  it('shows the run: verdict, red banner, a timeline and an expectations table per drill, escaped cluster text', async () => {
    const facts = await inspectPage(join(run.folder, 'index.html'), join(OUTPUT, 'run.png'), async (page) => {
      await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
      return {
        verdict: await page.locator('.run-head .verdict').innerText(),
        banner: await page.getByRole('alert').innerText(),
        bannerVisible: await page.getByRole('alert').isVisible(),
        timelines: await page.locator('svg.timeline').count(),
        timelineWidth: (await page.locator('svg.timeline').first().boundingBox())?.width ?? 0,
        faultBars: await page.locator('svg.timeline rect[stroke="#cf222e"]').count(),
        expectationRows: await page.locator('table.expectations tbody tr').allInnerTexts(),
        hostilePod: await page.getByText('pod/default/<script>alert(1)</script>').count(),
        scripts: await page.locator('script').count(),
        closedDetailsAfterBeforePrint: await page.locator('details:not([open])').count(),
      };
    });
    expect(facts.foreignRequests, 'network requests').to.deep.equal([]);
    expect(facts.consoleErrors, 'console errors').to.deep.equal([]);
    expect(facts.dialogs, 'an injected script ran').to.deep.equal([]);
    const seen = facts.result;
    expect(seen.verdict).to.equal('NOT RESTORED');
    expect(seen.bannerVisible).to.equal(true);
    expect(seen.banner).to.include('Not restored: the cluster may still be broken.');
    expect(seen.banner).to.include('Fix it by hand: ssh worker-1 sudo systemctl start kubelet');
    expect(seen.timelines).to.equal(3);
    expect(seen.timelineWidth).to.be.greaterThan(900);
    expect(seen.faultBars).to.equal(2);
    expect(seen.expectationRows).to.have.length(3);
    expect(seen.expectationRows[2]).to.match(/^E1\s+✗ failed\s+node NotReady\s+between 20 s and 30 s after the kubelet stopped\s+NotReady after 41\.0 s/);
    expect(seen.hostilePod, 'the hostile pod name shows as text').to.be.greaterThan(0);
    expect(seen.scripts, 'only the print script').to.equal(1);
    expect(seen.closedDetailsAfterBeforePrint, 'printing opens every section').to.equal(0);
  });

  it('shows the history with the run and a trend chart per timing', async () => {
    const facts = await inspectPage(join(run.reportsDir, 'index.html'), join(OUTPUT, 'history.png'), async (page) => ({
      runLinks: await page.locator(`a[href="${run.runId}/index.html"]`).count(),
      charts: await page.locator('.trends figure svg').count(),
      captions: await page.locator('.trends figcaption').allInnerTexts(),
    }));
    expect(facts.foreignRequests).to.deep.equal([]);
    expect(facts.consoleErrors).to.deep.equal([]);
    expect(facts.result.runLinks).to.equal(1);
    expect(facts.result.charts).to.equal(2);
    expect(facts.result.captions.join('\n')).to.include('kubelet-stopped · node NotReady');
  });
});
