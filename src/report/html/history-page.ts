// reports/index.html: every run and game day, newest first, with its verdict and key timings, and a trend chart per
// measured timing.
import type { GameDayEntry } from '../gameday-read.ts';
import type { RunSummary, SkippedFile } from '../read-reports.ts';
import { trends, type Trend } from '../trends.ts';
import { OUTCOME_WORDS, outcomeBadge } from './drill-section.ts';
import { duration, seconds, wallTime } from './format.ts';
import { gameDaysTable } from './gameday-history.ts';
import { html, type Markup } from './markup.ts';
import { page } from './page.ts';
import { boundText, trendChart } from './trend-chart.ts';

export function historyPage(root: string, runs: readonly RunSummary[], skipped: readonly SkippedFile[], gameDays: readonly GameDayEntry[] = []): string {
  const newest = runs[0];
  return page(
    'Fire drill history',
    html`<header class="run-head ${newest?.verdict ?? ''}"><div><h1>Fire drill history</h1>
<p class="muted">${runs.length} run${runs.length === 1 ? '' : 's'}${gameDays.length > 0 ? ` and ${gameDays.length} game day${gameDays.length === 1 ? '' : 's'}` : ''} in <code>${root}</code>${newest ? html` · latest ${wallTime(newest.startedAt)}: ${outcomeBadge(newest.verdict)}` : ''}</p></div></header>
${skipped.length > 0 ? html`<div class="banner partial"><strong>${skipped.length} file${skipped.length === 1 ? ' was' : 's were'} skipped.</strong><ul class="small">${skipped.map((entry) => html`<li><code>${entry.file}</code>: ${entry.reason}</li>`)}</ul></div>` : ''}
${gameDays.length > 0 ? html`<h2>Game days</h2>
${gameDaysTable(gameDays)}` : ''}
<h2>Trends</h2>
${trendsSection(trends(runs))}
<h2>Runs</h2>
${runsTable(runs)}`,
  );
}

function trendsSection(all: readonly Trend[]): Markup {
  if (all.length === 0) return html`<p class="muted">No timed expectation was measured yet.</p>`;
  return html`<p class="muted small">Each chart is one measured timing across runs, oldest on the left; the green band is the expected bound, red points are runs where the expectation failed.</p>
<div class="trends">${all.map((trend) => {
    const values = trend.points.map((point) => point.seconds);
    const latest = trend.points.at(-1);
    const previous = trend.points.at(-2);
    const delta = latest && previous ? latest.seconds - previous.seconds : undefined;
    return html`<figure>${trendChart(trend)}<figcaption><strong>${trend.drill}</strong> · ${trend.name}<br>
<span class="${latest?.ok === false ? 'bad' : ''}">latest ${latest ? seconds(latest.seconds) : '—'}</span>${
      delta !== undefined ? html` <span class="muted">(${delta >= 0 ? '+' : '−'}${seconds(Math.abs(delta))} vs previous)</span>` : ''
    } · median ${seconds(median(values))} · ${values.length} run${values.length === 1 ? '' : 's'} · bound ${boundText(trend)}</figcaption></figure>`;
  })}</div>`;
}

function runsTable(runs: readonly RunSummary[]): Markup {
  if (runs.length === 0) return html`<p class="muted">No report yet: run a drill with <code>npm run drill</code>.</p>`;
  return html`<table class="small"><thead><tr><th>Started</th><th>Run</th><th>Cluster</th><th>Verdict</th><th>Drills</th><th class="num">Duration</th><th>Key timings</th></tr></thead><tbody>
${runs.map((run) => {
  const passed = run.drills.filter((drill) => drill.outcome === 'passed').length;
  const notPassed = run.drills.filter((drill) => drill.outcome !== 'passed');
  return html`<tr><td class="when">${wallTime(run.startedAt)}</td><td><a href="${encodeURIComponent(run.folder)}/index.html">${run.runId}</a></td><td>${run.cluster ?? '—'}${
    run.kubernetesVersion ? html` <span class="muted">${run.kubernetesVersion}</span>` : ''
  }</td><td>${outcomeBadge(run.verdict)}${run.partial ? html` <span class="muted">partial</span>` : ''}${run.dryRun ? html` <span class="muted">dry run</span>` : ''}</td><td>${passed}/${run.drills.length} passed${
    notPassed.length > 0 ? html`<div class="bad">${notPassed.map((drill) => `${drill.name} ${OUTCOME_WORDS[drill.outcome]}`).join(', ')}</div>` : ''
  }</td><td class="num">${duration(run.durationMs)}</td><td>${run.timings.map(
    (timing, index) => html`${index > 0 ? ' · ' : ''}<span class="${timing.ok ? '' : 'bad'}" title="${timing.drill}">${timing.name} ${seconds(timing.seconds)}</span>`,
  )}</td></tr>`;
})}</tbody></table>`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
