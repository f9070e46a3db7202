// A game day's stop-condition samples as inline SVG: the drills on top, one lane per condition with its ok and breached
// stretches, the breach marked with its value and time. Runs of equal samples are drawn as one bar, so the drawing
// stays small however long the game day sampled.
import type { GameDayRecord, StopConditionSample } from '../../gameday/plan-types.ts';
import { timeTickLabel, timeTicks } from './axis.ts';
import { html, type Markup } from './markup.ts';

const WIDTH = 1000;
const LEFT = 150;
const RIGHT = 18;
const PLOT = WIDTH - LEFT - RIGHT;
const AXIS = 24;
const LANE = 28;
const OK = '#1a7f37';
const BREACH = '#cf222e';
const RESULT_FILL: Record<string, string> = { passed: '#dafbe1', deviated: '#fff8c5', failed: '#ffebe9', 'not-restored': '#ffcecb', aborted: '#ffd8b5' };

interface Stretch {
  ok: boolean;
  from: StopConditionSample;
  last: StopConditionSample;
  /** Where the stretch ends: the next sample's time, or its own last sample's. */
  until: number;
  count: number;
}

/** Lane order: the conditions as they first reported, then a breached condition that never sampled. */
export function conditionNames(record: GameDayRecord): string[] {
  const names = [...new Set(record.samples.map((sample) => sample.condition))];
  if (record.breach && !names.includes(record.breach.condition)) names.push(record.breach.condition);
  return names;
}

export function stopConditionTimeline(record: GameDayRecord): Markup {
  const start = Date.parse(record.startedAt);
  const times = [record.endedAt, ...record.samples.map((sample) => sample.at), ...record.drills.flatMap((drill) => [drill.startedAt, drill.endedAt]), record.breach?.at].flatMap((at) => (at ? [Date.parse(at)] : []));
  const first = Math.min(start, ...times);
  const last = Math.max(first + 1000, ...times);
  const x = (at: number) => LEFT + ((at - first) / (last - first)) * PLOT;
  const clock = (at: number) => `${new Date(at).toISOString().slice(11, 19)} UTC`;
  const names = conditionNames(record);
  const height = AXIS + LANE * (names.length + 1) + 6;

  const ran = record.drills.filter((drill) => drill.startedAt);
  const drillLane = html`<g class="lane drills"><text x="8" y="${AXIS + LANE / 2 + 4}" font-size="12" fill="#59636e">Drills</text>
${ran.map((drill) => {
    const from = x(Date.parse(drill.startedAt as string));
    const to = x(drill.endedAt ? Date.parse(drill.endedAt) : last);
    const width = Math.max(2, to - from);
    const fits = Math.floor((width - 8) / 6.2);
    const label = drill.name.length > fits ? (fits > 3 ? `${drill.name.slice(0, fits - 1)}…` : '') : drill.name;
    return html`<g><title>${drill.name}: ${drill.result}, ${clock(Date.parse(drill.startedAt as string))} → ${drill.endedAt ? clock(Date.parse(drill.endedAt)) : 'no end recorded'}</title>
<rect x="${r(from)}" y="${AXIS + 5}" width="${r(width)}" height="${LANE - 10}" rx="3" fill="${RESULT_FILL[drill.result] ?? '#eaeef2'}" stroke="#8c959f"/>
<text x="${r(from + 4)}" y="${AXIS + LANE / 2 + 4}" font-size="11" fill="#1f2328">${label}</text></g>`;
  })}</g>`;

  const lanes = names.map((name, index) => {
    const top = AXIS + LANE * (index + 1);
    const samples = record.samples.filter((sample) => sample.condition === name).sort((a, b) => a.at.localeCompare(b.at));
    const bars = stretches(samples).map((stretch) => {
      const from = x(Date.parse(stretch.from.at));
      const width = Math.max(3, x(stretch.until) - from);
      const tip = `${name}: ${stretch.ok ? 'ok' : 'BREACHED'} ${clock(Date.parse(stretch.from.at))} → ${clock(Date.parse(stretch.last.at))}, ${stretch.count} sample${stretch.count === 1 ? '' : 's'}; last: ${stretch.last.value}`;
      return html`<rect class="${stretch.ok ? 'sample-ok' : 'sample-breach'}" x="${r(from)}" y="${top + 8}" width="${r(width)}" height="${LANE - 16}" fill="${stretch.ok ? OK : BREACH}" fill-opacity="${stretch.ok ? 0.55 : 0.9}"><title>${tip}</title></rect>`;
    });
    return html`<g class="lane condition" data-condition="${name}"><text x="8" y="${top + LANE / 2 + 4}" font-size="12" fill="#59636e">${name.length > 22 ? `${name.slice(0, 21)}…` : name}<title>${name}</title></text>
<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${top + LANE}" y2="${top + LANE}" stroke="#eaeef2"/>
${samples.length === 0 ? html`<text x="${LEFT + 4}" y="${top + LANE / 2 + 4}" font-size="11" fill="#59636e">no sample recorded</text>` : bars}</g>`;
  });

  const breach = record.breach;
  let breachMark: Markup | string = '';
  if (breach) {
    const bx = x(Date.parse(breach.at));
    const lane = names.indexOf(breach.condition);
    const cy = AXIS + LANE * (lane + 1) + LANE / 2;
    const label = `${breach.value} at ${clock(Date.parse(breach.at))}`;
    const anchorEnd = bx > LEFT + PLOT * 0.55;
    breachMark = html`<g class="breach-mark"><title>Stop condition ${breach.condition} breached at ${clock(Date.parse(breach.at))}: ${breach.value} (threshold: ${breach.threshold})</title>
<line x1="${r(bx)}" x2="${r(bx)}" y1="${AXIS - 4}" y2="${height - 4}" stroke="${BREACH}" stroke-width="1.5" stroke-dasharray="4 3"/>
<circle cx="${r(bx)}" cy="${cy}" r="6" fill="${BREACH}" stroke="#fff" stroke-width="1.5"/>
<text x="${r(anchorEnd ? bx - 9 : bx + 9)}" y="${cy - 8}" font-size="11" font-weight="700" fill="#82071e" text-anchor="${anchorEnd ? 'end' : 'start'}">${label}</text></g>`;
  }

  const ticks = timeTicks((last - start) / 1000).map((value) => {
    const tx = x(start + value * 1000);
    return html`<line x1="${r(tx)}" x2="${r(tx)}" y1="${AXIS - 6}" y2="${height - 4}" stroke="#eaeef2"/><text x="${r(tx)}" y="${AXIS - 9}" font-size="11" text-anchor="middle" fill="#59636e">${timeTickLabel(value)}</text>`;
  });
  return html`<svg class="timeline stop-conditions" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Stop conditions of game day ${record.plan}" font-family="system-ui, sans-serif">
${ticks}${drillLane}${lanes}${breachMark}</svg>`;
}

/** Consecutive samples of the same state, each reaching to the next sample (the state held until then). */
function stretches(samples: readonly StopConditionSample[]): Stretch[] {
  const out: Stretch[] = [];
  samples.forEach((sample, index) => {
    const next = samples[index + 1];
    const until = Date.parse(next ? next.at : sample.at);
    const current = out.at(-1);
    if (current && current.ok === sample.ok) {
      current.last = sample;
      current.until = until;
      current.count++;
    } else out.push({ ok: sample.ok, from: sample, last: sample, until, count: 1 });
  });
  return out;
}

/** Coordinates with one decimal keep the SVG short. */
function r(value: number): number {
  return Math.round(value * 10) / 10;
}
