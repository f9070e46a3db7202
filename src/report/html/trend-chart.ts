// One measured timing across runs as a small inline SVG chart: the bound as a band, failed runs in red.
import type { Trend } from '../trends.ts';
import { valueTicks } from './axis.ts';
import { seconds } from './format.ts';
import { html, type Markup } from './markup.ts';

const WIDTH = 340;
const HEIGHT = 150;
const LEFT = 40;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 22;
/** Up to this many runs, every point gets a tooltip; beyond, only failed runs and the newest do. */
const TOOLTIP_POINTS = 120;

export function trendChart(trend: Trend): Markup {
  const { points } = trend;
  const max = Math.max(...points.map((point) => point.seconds), trend.upperSeconds ?? 0, trend.lowerSeconds ?? 0) * 1.1 || 1;
  const ticks = valueTicks(max, 4);
  const top = Math.max(max, ticks.at(-1) ?? max);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index: number) => LEFT + (points.length === 1 ? plotWidth / 2 : (index / (points.length - 1)) * plotWidth);
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const band =
    trend.lowerSeconds !== undefined || trend.upperSeconds !== undefined
      ? html`<rect x="${LEFT}" y="${r(y(trend.upperSeconds ?? top))}" width="${plotWidth}" height="${r(y(trend.lowerSeconds ?? 0) - y(trend.upperSeconds ?? top))}" fill="#dafbe1"><title>bound: ${boundText(trend)}</title></rect>`
      : '';
  const line = points.map((point, index) => `${r(x(index))},${r(y(point.seconds))}`).join(' ');
  const marks = points.map((point, index) => {
    const last = index === points.length - 1;
    if (point.ok && !last && points.length > TOOLTIP_POINTS) return '';
    return html`<circle cx="${r(x(index))}" cy="${r(y(point.seconds))}" r="${last ? 4 : point.ok ? 2.5 : 3.5}" fill="${point.ok ? '#0969da' : '#cf222e'}"><title>${point.startedAt.slice(0, 16).replace('T', ' ')} ${point.runId}: ${seconds(point.seconds)}${point.ok ? '' : ' (failed)'}</title></circle>`;
  });
  const firstPoint = points[0];
  const lastPoint = points.at(-1);
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${trend.drill} ${trend.name} across ${points.length} runs" font-family="system-ui, sans-serif">
${band}${ticks.map((value) => html`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${r(y(value))}" y2="${r(y(value))}" stroke="#eaeef2"/><text x="${LEFT - 5}" y="${r(y(value) + 4)}" font-size="10" text-anchor="end" fill="#59636e">${value} s</text>`)}
<polyline points="${line}" fill="none" stroke="#0969da" stroke-width="1.5"/>${marks}
${firstPoint ? html`<text x="${LEFT}" y="${HEIGHT - 6}" font-size="10" fill="#59636e">${firstPoint.startedAt.slice(0, 10)}</text>` : ''}${
    lastPoint && points.length > 1 ? html`<text x="${WIDTH - RIGHT}" y="${HEIGHT - 6}" font-size="10" text-anchor="end" fill="#59636e">${lastPoint.startedAt.slice(0, 10)}</text>` : ''
  }</svg>`;
}

export function boundText(trend: Pick<Trend, 'lowerSeconds' | 'upperSeconds'>): string {
  const { lowerSeconds: lower, upperSeconds: upper } = trend;
  if (lower !== undefined && upper !== undefined) return `${lower}–${upper} s`;
  if (upper !== undefined) return `≤ ${upper} s`;
  if (lower !== undefined) return `≥ ${lower} s`;
  return 'none';
}

function r(value: number): number {
  return Math.round(value * 10) / 10;
}
