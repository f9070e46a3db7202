// The history page's table of game days: newest first, each with its plan, verdict, drill results and a link to its page.
import type { GameDayEntry } from '../gameday-read.ts';
import { GAMEDAY_HTML } from '../gameday-read.ts';
import { duration, wallTime } from './format.ts';
import { gameDayBadge, relativeHref, RESULT_WORDS } from './gameday-page.ts';
import { html, type Markup } from './markup.ts';

export function gameDaysTable(gameDays: readonly GameDayEntry[]): Markup {
  return html`<table class="gamedays small"><thead><tr><th>Started</th><th>Game day</th><th>Plan</th><th>Cluster</th><th>Verdict</th><th>Drills</th><th class="num">Duration</th></tr></thead><tbody>
${gameDays.map(({ folder, record }) => {
  const passed = record.drills.filter((drill) => drill.result === 'passed').length;
  const others = record.drills.filter((drill) => drill.result !== 'passed');
  return html`<tr class="gameday"><td class="when">${wallTime(record.startedAt)}</td><td><a href="${relativeHref(`${folder}/${GAMEDAY_HTML}`)}">${record.runId}</a></td><td>${record.plan}</td><td>${record.cluster.name}</td><td>${gameDayBadge(record.verdict)}${
    record.partial ? html` <span class="muted">partial</span>` : ''
  }${record.reason ? html`<div class="muted">${record.reason}</div>` : ''}</td><td>${passed}/${record.drills.length} passed${
    others.length > 0 ? html`<div class="bad">${others.map((drill) => `${drill.name} ${RESULT_WORDS[drill.result]}`).join(', ')}</div>` : ''
  }</td><td class="num">${duration(Date.parse(record.endedAt) - Date.parse(record.startedAt))}</td></tr>`;
})}</tbody></table>`;
}
