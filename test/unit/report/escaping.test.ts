// Everything from the cluster or the profile is escaped: a pod called <script>… shows as text and never runs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { escapeText, plainText } from '../../../src/report/escape.ts';
import { historyPage } from '../../../src/report/html/history-page.ts';
import { html, trusted } from '../../../src/report/html/markup.ts';
import { runPage } from '../../../src/report/html/run-page.ts';
import { readRunSummaries } from '../../../src/report/read-reports.ts';
import { HOSTILE, sampleReport } from './sample-run.ts';

const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const scripts = (page: string) => page.match(/<script\b/g)?.length ?? 0;

describe('escaping', () => {
  it('escapes markup characters and drops terminal colour codes and control characters', () => {
    expect(escapeText(`a & b < c > d " e ' f`)).to.equal('a &amp; b &lt; c &gt; d &quot; e &#39; f');
    expect(plainText('\u001b[31mred\u001b[0m\u0007 text\ttab')).to.equal('red text\ttab');
  });

  it('escapes every value put into html``, but not markup built with it', () => {
    const inner = html`<b>${HOSTILE}</b>`;
    expect(html`<p title="${'" onload="x'}">${inner}${[HOSTILE, 1]}${null}${false}</p>`.value).to.equal(
      `<p title="&quot; onload=&quot;x"><b>${ESCAPED}</b>${ESCAPED}1</p>`,
    );
    expect(html`${trusted('<i>ours</i>')}`.value).to.equal('<i>ours</i>');
  });

  it('renders hostile drill names, profile, cluster, hosts, commands, events and errors as text in the run page', () => {
    const page = runPage(sampleReport({ hostile: true, notRestored: true, deviated: true }));
    expect(page).not.to.include(HOSTILE);
    expect(page).to.include(ESCAPED);
    expect(scripts(page), 'only the page’s own print script').to.equal(1);
    expect(page).not.to.match(/<[^>]+\son\w+=/i);
  });

  it('renders hostile run data as text in the history page', () => {
    const run = { ...summaryOf(sampleReport({ hostile: true })), folder: `x"><script>alert(1)</script>` };
    const page = historyPage(`/reports/${HOSTILE}`, [run], [{ file: `/reports/${HOSTILE}/report.json`, reason: `not valid JSON (${HOSTILE})` }]);
    expect(page).not.to.include(HOSTILE);
    expect(scripts(page)).to.equal(1);
  });
});

/** The history's summary of one report, read back the way the rebuild reads it. */
function summaryOf(report: ReturnType<typeof sampleReport>) {
  const root = mkdtempSync(join(tmpdir(), 'kfd-escape-'));
  mkdirSync(join(root, 'run'));
  writeFileSync(join(root, 'run', 'report.json'), JSON.stringify(report));
  const summary = readRunSummaries(root).runs[0];
  if (!summary) throw new Error('the sample report was not read back');
  return summary;
}
