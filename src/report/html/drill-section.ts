// One drill on the run page: what it teaches, what went wrong, its timeline, expectations, faults, commands, events.
import type { DrillReport } from '../report-types.ts';
import { chronologyTable } from './chronology-table.ts';
import { commandsList } from './commands-list.ts';
import { anchor, duration, faultName, offset } from './format.ts';
import { kubeEventsTable } from './kube-events-table.ts';
import { html, type Markup } from './markup.ts';
import { timelineSvg } from './timeline-svg.ts';

/** Log lines shown for a drill that did not pass; the rest stay in report.json. */
const LOG_LINES = 60;

export const OUTCOME_WORDS: Record<DrillReport['outcome'], string> = {
  passed: 'passed',
  deviated: 'deviated',
  failed: 'failed',
  'not-restored': 'not restored',
  incomplete: 'incomplete',
};

export function outcomeBadge(outcome: DrillReport['outcome']): Markup {
  return html`<span class="badge ${outcome}">${OUTCOME_WORDS[outcome]}</span>`;
}

export function drillSection(drill: DrillReport): Markup {
  const start = Date.parse(drill.startedAt);
  const meta = drill.meta;
  return html`<section class="drill ${drill.outcome}" id="${anchor(drill.name)}">
<h2>${outcomeBadge(drill.outcome)} ${drill.name}${meta ? html` <span class="muted">— ${meta.title}</span>` : ''}</h2>
<p class="muted small">Started ${drill.startedAt.slice(11, 19)} UTC · ${drill.endedAt ? `took ${duration(drill.durationMs)}` : `still running after ${duration(drill.durationMs)}`}${
    drill.restored === true ? ' · everything restored' : ''
  }</p>
${meta ? html`<p class="teaches"><strong>What it teaches.</strong> ${meta.teaches}</p>
<div class="columns"><div><h3>Faults injected</h3><ul>${meta.faults.map((fault) => html`<li>${fault}</li>`)}</ul></div>
<div><h3>Expected behaviour</h3><ul>${meta.expected.map((line) => html`<li>${line}</li>`)}</ul></div></div>` : ''}
${failureBox(drill)}
<h3>Timeline</h3>
${timelineSvg(drill)}
<div class="legend"><span style="--swatch:#ffcecb">fault active</span><span style="--swatch:#1a7f37">restored / expectation held</span><span style="--swatch:#cf222e">failed</span><span style="--swatch:#0969da">observation</span><span style="--swatch:#bc4c00">Kubernetes warning</span><span style="--swatch:#8c959f">Kubernetes event</span><span class="muted" style="--swatch:transparent">time since the drill started</span></div>
<h3>Expectations</h3>
${expectationsTable(drill, start)}
${drill.faults.length > 0 ? html`<h3>Faults and restores</h3>${faultsTable(drill, start)}` : ''}
<details open><summary>What happened, in order</summary>${chronologyTable(drill, start)}</details>
<details open><summary>Commands run (${drill.commands.length}${drill.apiChanges.length > 0 ? ` and ${drill.apiChanges.length} API changes` : ''})</summary>${commandsList(drill.commands, drill.apiChanges, start)}</details>
<h3>Kubernetes events</h3>
${kubeEventsTable(drill.kubeEvents, drill.kubeEventsOmitted, start)}
${drill.outcome !== 'passed' && drill.logs.length > 0 ? logExcerpt(drill, start) : ''}
${testsList(drill)}
</section>`;
}

function failureBox(drill: DrillReport): Markup {
  const failedTests = drill.tests.filter((test) => test.state === 'failed' || test.state === 'unfinished');
  const failedRestores = drill.faults.filter((fault) => fault.restored === false);
  if (drill.outcome === 'passed' && failedTests.length === 0) return html``;
  return html`<div class="failure"><h3>What went wrong</h3>
${drill.error ? html`<pre>${drill.error}</pre>` : drill.outcome === 'incomplete' ? html`<p>The drill never ended: the run was interrupted or crashed while it ran.</p>` : ''}
${drill.lastObservation ? html`<p><strong>Last observation:</strong> ${drill.lastObservation}</p>` : ''}
${failedRestores.map((fault) => html`<p class="bad">Not restored: ${faultName(fault)}: ${fault.error ?? 'the restore failed'}</p>${fault.manualFix ? html`<p><strong>Fix it by hand:</strong> <code>${fault.manualFix}</code></p>` : ''}`)}
${failedTests.length > 0 ? html`<ul>${failedTests.map((test) => html`<li><strong>${test.title}</strong>: ${test.state === 'unfinished' ? 'still running when the report was written' : (test.error?.message ?? 'failed')}</li>`)}</ul>` : ''}
</div>`;
}

function expectationsTable(drill: DrillReport, start: number): Markup {
  if (drill.expectations.length === 0) return html`<p class="muted">No expectation was checked${drill.outcome === 'passed' ? '' : ' (the drill stopped before its checks)'}.</p>`;
  return html`<table class="expectations"><thead><tr><th>#</th><th>Result</th><th>Expectation</th><th>Bound</th><th>Measured</th><th>When</th></tr></thead><tbody>
${drill.expectations.map(
  (expectation, index) => html`<tr class="${expectation.ok ? '' : 'fail'}"><td class="muted">E${index + 1}</td><td class="${expectation.ok ? 'ok' : 'bad'}">${expectation.ok ? '✓ held' : '✗ failed'}</td><td>${expectation.name}</td><td>${expectation.bound}</td><td><strong>${expectation.measured}</strong></td><td class="when">${offset(Date.parse(expectation.at) - start)}</td></tr>`,
)}</tbody></table>`;
}

function faultsTable(drill: DrillReport, start: number): Markup {
  const at = (iso: string | undefined) => (iso ? offset(Date.parse(iso) - start) : '—');
  return html`<table><thead><tr><th>Fault</th><th>Host</th><th>Injected</th><th>Restore</th><th>Status</th></tr></thead><tbody>
${drill.faults.map(
  (fault) => html`<tr class="${fault.restored === true ? '' : 'fail'}"><td>${fault.fault}<div class="muted small">${fault.description}</div></td><td class="mono nowrap">${fault.host ?? '—'}</td><td class="when">${at(fault.injectedAt)}</td><td class="when">${at(fault.restoredAt)}</td><td>${
    fault.restored === true
      ? html`<span class="ok">✓ restored</span>`
      : fault.restored === false
        ? html`<span class="bad">✗ NOT restored</span>${fault.error ? html`<div class="small">${fault.error}</div>` : ''}${fault.manualFix ? html`<div class="small">Fix by hand: <code>${fault.manualFix}</code></div>` : ''}`
        : html`<span class="bad">no restore recorded</span>`
  }</td></tr>`,
)}</tbody></table>`;
}

function logExcerpt(drill: DrillReport, start: number): Markup {
  const lines = drill.logs.slice(-LOG_LINES);
  return html`<details><summary>Log excerpt (last ${lines.length} of ${drill.logs.length + drill.logsOmitted} lines)</summary>
<pre>${lines.map((line) => `${offset(Date.parse(line.at) - start)} ${line.level.padEnd(5)} ${line.message}\n`)}</pre></details>`;
}

function testsList(drill: DrillReport): Markup {
  if (drill.tests.length === 0) return html``;
  const mark = { passed: '✓', failed: '✗', pending: '–', unfinished: '…' } as const;
  return html`<details><summary>Mocha steps (${drill.tests.length})</summary><ul>${drill.tests.map(
    (test) => html`<li class="${test.state === 'failed' ? 'bad' : ''}">${mark[test.state]} ${test.title}${test.durationMs !== undefined ? html` <span class="muted small">${duration(test.durationMs)}</span>` : ''}${
      test.error?.stack ? html`<pre class="small">${test.error.stack}</pre>` : ''
    }</li>`,
  )}</ul></details>`;
}
