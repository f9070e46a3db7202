// gameday.html: the game day's verdict and why, each drill with its result and a link to its report, the stop
// conditions as a timeline, and what changed since the previous game day of the same plan.
import type { GameDayDrillOutcome, GameDayRecord, GameDayVerdict } from '../../gameday/plan-types.ts';
import { compareGameDays, type DrillComparison, type GameDayComparison, type TimingChange } from '../gameday-compare.ts';
import { anchor, duration, seconds, wallTime } from './format.ts';
import { html, type Markup } from './markup.ts';
import { page } from './page.ts';
import { stopConditionTimeline } from './stop-condition-timeline.ts';

type DrillResult = GameDayDrillOutcome['result'];

export const GAMEDAY_VERDICT_WORDS: Record<GameDayVerdict, string> = {
  passed: 'passed',
  deviated: 'deviated',
  aborted: 'aborted',
  refused: 'refused',
  'not-restored': 'not restored',
  interrupted: 'interrupted',
};

export const RESULT_WORDS: Record<DrillResult, string> = {
  passed: 'passed',
  failed: 'failed',
  deviated: 'deviated',
  'not-restored': 'not restored',
  skipped: 'skipped',
  'not-run': 'not run',
  aborted: 'aborted',
};

export function gameDayBadge(verdict: GameDayVerdict): Markup {
  return html`<span class="badge ${verdict}">${GAMEDAY_VERDICT_WORDS[verdict]}</span>`;
}

function resultBadge(result: DrillResult): Markup {
  return html`<span class="badge ${result}">${RESULT_WORDS[result]}</span>`;
}

/** A path relative to the game day's folder as a link target: each segment encoded, so it stays a relative path. */
export function relativeHref(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function gameDayPage(record: GameDayRecord, previous?: GameDayRecord): string {
  const title = `${GAMEDAY_VERDICT_WORDS[record.verdict].toUpperCase()} · game day ${record.plan} ${wallTime(record.startedAt)}`;
  return page(
    title,
    html`${header(record)}
${record.breach ? html`<div class="banner" role="alert"><strong>Stop condition ${record.breach.condition} breached</strong> at ${wallTime(record.breach.at)}: ${record.breach.value} (threshold: ${record.breach.threshold}). The drill running then was aborted and restored, the rest were skipped.</div>` : ''}
${record.partial ? html`<div class="banner partial" role="status"><strong>Partial report.</strong> The game day did not reach its end${record.reason ? html`: ${record.reason}` : ''}. It holds what was recorded until then.</div>` : ''}
${summaryTable(record.drills)}
<h2>Stop conditions</h2>
${record.samples.length > 0 || record.breach ? html`${stopConditionTimeline(record)}
<div class="legend"><span style="--swatch:#1a7f37">ok</span><span style="--swatch:#cf222e">breached</span><span style="--swatch:#d1d9e0">drill running</span><span class="muted" style="--swatch:transparent">time since the game day started; hover for values</span></div>` : html`<p class="muted">No stop-condition sample was recorded.</p>`}
${whySection(record)}
<h2>Compared with the previous game day</h2>
${previous ? comparisonSection(compareGameDays(record, previous)) : html`<p class="muted no-previous">No previous game day of this plan.</p>`}
${record.drills.map(drillSection)}
<footer class="muted small"><p>Game day ${record.runId} · also in this folder: <a href="gameday.json">gameday.json</a> · <a href="../index.html">all runs</a></p></footer>`,
  );
}

function header(record: GameDayRecord): Markup {
  const cluster = [record.cluster.name, record.cluster.server, record.cluster.uid && `UID ${record.cluster.uid}`].filter(Boolean).join(' · ');
  const counts = new Map<DrillResult, number>();
  for (const drill of record.drills) counts.set(drill.result, (counts.get(drill.result) ?? 0) + 1);
  return html`<header class="run-head ${record.verdict}">
<div><div class="verdict">${GAMEDAY_VERDICT_WORDS[record.verdict]}</div><div class="muted small">verdict</div></div>
<div><h1>Game day — ${record.plan}</h1>
${record.reason ? html`<p class="verdict-reason"><strong>Why:</strong> ${record.reason}</p>` : ''}
<dl class="facts"><dt>Cluster</dt><dd>${cluster}</dd>
<dt>When</dt><dd>${wallTime(record.startedAt)} → ${record.endedAt.slice(11, 19)} UTC (${duration(Date.parse(record.endedAt) - Date.parse(record.startedAt))})</dd>
<dt>Drills</dt><dd>${record.drills.length} — ${[...counts].map(([result, count]) => `${count} ${RESULT_WORDS[result]}`).join(', ') || 'none planned'}</dd></dl></div>
</header>`;
}

function summaryTable(drills: readonly GameDayDrillOutcome[]): Markup {
  if (drills.length === 0) return html`<p class="muted">The plan has no drill.</p>`;
  return html`<table class="summary"><thead><tr><th>#</th><th>Drill</th><th>Result</th><th>Key timings</th><th class="num">Duration</th><th>Report</th></tr></thead><tbody>
${drills.map(
  (drill, index) => html`<tr><td>${index + 1}</td><td><a href="#${drillAnchor(drill, index)}">${drill.name}</a>${drill.reason ? html`<div class="muted small">${drill.reason}</div>` : ''}</td><td>${resultBadge(drill.result)}</td><td class="small">${timingList(drill)}</td><td class="num">${
    drill.startedAt && drill.endedAt ? duration(Date.parse(drill.endedAt) - Date.parse(drill.startedAt)) : '—'
  }</td><td>${drill.reportPath ? html`<a href="${relativeHref(drill.reportPath)}">drill report</a>` : html`<span class="muted">none</span>`}</td></tr>`,
)}</tbody></table>`;
}

function timingList(drill: GameDayDrillOutcome): Markup {
  const entries = Object.entries(drill.timings);
  return entries.length === 0 ? html`—` : html`${entries.map(([name, value]) => html`<div>${name}: ${seconds(value)}</div>`)}`;
}

/** Every reason something did not run to the end: the game day's own, then each drill's. */
function whySection(record: GameDayRecord): Markup {
  const drills = record.drills.map((drill, index) => ({ drill, index })).filter(({ drill }) => drill.reason || ['skipped', 'not-run', 'aborted'].includes(drill.result));
  const gameDay = record.verdict === 'passed' || record.verdict === 'deviated' ? undefined : (record.reason ?? `the game day was ${GAMEDAY_VERDICT_WORDS[record.verdict]}`);
  if (!gameDay && drills.length === 0) return html``;
  return html`<h2>Skipped, aborted or refused</h2>
<ul class="why">${gameDay ? html`<li><strong>Game day ${GAMEDAY_VERDICT_WORDS[record.verdict]}:</strong> ${gameDay}</li>` : ''}${drills.map(
    ({ drill, index }) => html`<li><a href="#${drillAnchor(drill, index)}">${drill.name}</a> ${RESULT_WORDS[drill.result]}: ${drill.reason ?? 'no reason was recorded'}</li>`,
  )}</ul>`;
}

function comparisonSection(comparison: GameDayComparison): Markup {
  const worse = comparison.drills.flatMap((drill) => drill.timings.filter((timing) => timing.worse).map((timing) => ({ drill, timing })));
  const changed = comparison.drills.filter((drill) => drill.resultChanged);
  return html`<p>With game day <code>${comparison.previousRunId}</code> of ${wallTime(comparison.previousStartedAt)}: verdict ${
    comparison.verdictChanged ? html`<span class="changed">changed from ${gameDayBadge(comparison.previousVerdict)}</span>` : html`unchanged (${GAMEDAY_VERDICT_WORDS[comparison.previousVerdict]})`
  }; ${worse.length} timing${worse.length === 1 ? '' : 's'} got worse; ${changed.length} drill result${changed.length === 1 ? '' : 's'} changed.</p>
<table class="comparison small"><thead><tr><th>Drill</th><th>Result</th><th>Timing</th><th class="num">Previous</th><th class="num">Now</th><th class="num">Change</th></tr></thead><tbody>
${comparison.drills.map((drill) => comparisonRows(drill))}</tbody></table>
${comparison.droppedDrills.length > 0 ? html`<p class="muted small">Not in this game day, but in the previous one: ${comparison.droppedDrills.join(', ')}.</p>` : ''}`;
}

function comparisonRows(drill: DrillComparison): Markup {
  const result = drill.previous === undefined
    ? html`${resultBadge(drill.current)} <span class="muted">new in this plan</span>`
    : drill.resultChanged
      ? html`<span class="changed">${resultBadge(drill.previous)} → ${resultBadge(drill.current)}</span>`
      : html`${resultBadge(drill.current)} <span class="muted">unchanged</span>`;
  const rows: Markup[] = drill.timings.map((timing) => html`<td>${timing.name}</td><td class="num">${seconds(timing.previous)}</td><td class="num">${seconds(timing.current)}</td><td class="num">${delta(timing)}</td>`);
  for (const name of drill.newTimings) rows.push(html`<td>${name}</td><td class="num">—</td><td class="num"></td><td class="num muted">not measured before</td>`);
  for (const name of drill.missingTimings) rows.push(html`<td>${name}</td><td class="num"></td><td class="num">—</td><td class="num muted">not measured now</td>`);
  if (rows.length === 0) rows.push(html`<td class="muted" colspan="4">no timing in both</td>`);
  return html`${rows.map((cells, index) => html`<tr class="${drill.resultChanged ? 'result-changed' : ''}">${index === 0 ? html`<td rowspan="${rows.length}">${drill.name}</td><td rowspan="${rows.length}">${result}</td>` : ''}${cells}</tr>`)}`;
}

/** "+3.2 s (+15 %)", worse in red, better in green. */
function delta(timing: TimingChange): Markup {
  if (!timing.worse && !timing.better) return html`<span class="delta">±0.0 s</span>`;
  const sign = timing.deltaSeconds > 0 ? '+' : '−';
  const percent = timing.deltaPercent === undefined ? '' : ` (${sign}${Math.abs(timing.deltaPercent).toFixed(0)} %)`;
  return html`<span class="delta ${timing.worse ? 'worse' : 'better'}">${sign}${seconds(Math.abs(timing.deltaSeconds))}${percent}${timing.worse ? ' worse' : ' better'}</span>`;
}

function drillSection(drill: GameDayDrillOutcome, index: number): Markup {
  const when = drill.startedAt
    ? `Started ${wallTime(drill.startedAt)}${drill.endedAt ? ` · took ${duration(Date.parse(drill.endedAt) - Date.parse(drill.startedAt))}` : ' · no end recorded'}`
    : 'It did not start.';
  const timings = Object.entries(drill.timings);
  return html`<section class="drill ${drill.result}" id="${drillAnchor(drill, index)}">
<h2>${resultBadge(drill.result)} ${index + 1}. ${drill.name}</h2>
<p class="muted small">${when}</p>
${drill.reason ? html`<div class="failure"><strong>${RESULT_WORDS[drill.result]}:</strong> ${drill.reason}</div>` : ''}
${timings.length > 0 ? html`<h3>Key timings</h3><table class="timings small"><tbody>${timings.map(([name, value]) => html`<tr><td>${name}</td><td class="num">${seconds(value)}</td></tr>`)}</tbody></table>` : ''}
<p>${drill.reportPath ? html`<a class="drill-report" href="${relativeHref(drill.reportPath)}">The drill's report</a> (timeline, expectations, commands, Kubernetes events).` : html`<span class="muted">No drill report: it did not run.</span>`}</p>
</section>`;
}

/** A plan may run a drill twice: the position keeps the anchors apart. */
function drillAnchor(drill: GameDayDrillOutcome, index: number): string {
  return `${anchor(drill.name)}-${index + 1}`;
}
