// A drill's timeline as inline SVG: phases, faults from injection to restore, commands, observations, expectations
// and Kubernetes events on one time axis. Dense lanes are binned, so the drawing stays small whatever the event count.
import type { DrillReport } from '../report-types.ts';
import { timeTickLabel, timeTicks } from './axis.ts';
import { offset } from './format.ts';
import { html, type Markup } from './markup.ts';

const WIDTH = 1000;
const LEFT = 128;
const RIGHT = 18;
const PLOT = WIDTH - LEFT - RIGHT;
const AXIS = 24;
const LANE = 26;
/** Marks closer than this many pixels are drawn as one, its tooltip telling how many it stands for. */
const BIN_PX = 4;

const PHASE_COLORS: Record<string, string> = {
  preflight: '#8c959f',
  'steady-state': '#54aeff',
  inject: '#cf222e',
  observe: '#bf8700',
  restore: '#1a7f37',
  verify: '#8250df',
};

interface Lane {
  label: string;
  height: number;
  draw: (top: number) => Markup;
}

interface Timed {
  at: string;
}

export function timelineSvg(drill: DrillReport): Markup {
  const start = Date.parse(drill.startedAt);
  const times = [
    drill.endedAt,
    ...drill.phases.map((entry) => entry.at),
    ...drill.commands.map((entry) => entry.at),
    ...drill.observations.map((entry) => entry.at),
    ...drill.expectations.map((entry) => entry.at),
    ...drill.kubeEvents.map((entry) => entry.at),
    ...drill.faults.flatMap((fault) => [fault.injectedAt, fault.restoredAt]),
  ].flatMap((at) => (at ? [Date.parse(at)] : []));
  const first = Math.min(start, ...times);
  const last = Math.max(first + 1000, ...times);
  const span = last - first;
  const x = (at: string | number) => LEFT + ((typeof at === 'number' ? at : Date.parse(at)) - first) / span * PLOT;
  const since = (at: string) => offset(Date.parse(at) - start);

  const lanes: Lane[] = [];
  if (drill.phases.length > 0) lanes.push(phaseLane(drill, x, last));
  drill.faults.forEach((fault, index) => {
    lanes.push({
      label: drill.faults.length > 1 ? `Fault ${index + 1}` : 'Fault',
      height: LANE,
      draw: (top) => {
        const from = x(fault.injectedAt ?? first);
        // A fault that is still broken stays drawn to the end of the axis.
        const to = x(fault.restored === true && fault.restoredAt ? fault.restoredAt : last);
        const broken = fault.restored === false || fault.restored === null;
        const label = `${fault.fault}${fault.restored === false ? ' — NOT RESTORED' : fault.restored === null ? ' — no restore recorded' : ''}`;
        const fits = Math.floor(Math.max(0, to - from - 10) / 6.5);
        const text = label.length > fits ? (fits > 3 ? `${label.slice(0, fits - 1)}…` : '') : label;
        return html`<g><title>${fault.fault}: injected ${fault.injectedAt ? since(fault.injectedAt) : '?'}, ${fault.restoredAt ? `restore ${fault.restored ? 'done' : 'FAILED'} ${since(fault.restoredAt)}` : 'never restored'}</title>
<rect x="${r(from)}" y="${top + 4}" width="${r(Math.max(2, to - from))}" height="${LANE - 8}" rx="3" fill="${broken ? '#82071e' : '#ffcecb'}" stroke="#cf222e"/>
<text x="${r(from + 5)}" y="${top + 17}" font-size="11" fill="${broken ? '#fff' : '#82071e'}">${text}</text>
${fault.restoredAt ? html`<circle cx="${r(x(fault.restoredAt))}" cy="${top + LANE / 2}" r="5" fill="${fault.restored ? '#1a7f37' : '#cf222e'}" stroke="#fff"/>` : ''}</g>`;
      },
    });
  });
  if (drill.commands.length > 0) {
    lanes.push(
      binnedLane('Commands', drill.commands, x, '#59636e', (items, first, at, top) => {
        const failed = items.some((command) => command.code !== null && command.code !== 0);
        const tip = `${since(first.at)} ${items.length} command(s): ${items.slice(0, 3).map((command) => `${command.host}: ${command.argv.join(' ')}`).join('; ')}`;
        return html`<rect x="${r(at - 1)}" y="${top + 6}" width="2.5" height="${LANE - 12}"${failed ? html` fill="#cf222e"` : ''}><title>${tip}</title></rect>`;
      }),
    );
  }
  if (drill.observations.length > 0) {
    lanes.push(
      binnedLane('Observations', drill.observations, x, '#0969da', (items, _first, at, top) => {
        const tip = items.slice(0, 4).map((entry) => `${since(entry.at)} ${entry.probe}: ${entry.text}`).join('\n') + (items.length > 4 ? `\n… and ${items.length - 4} more` : '');
        return html`<circle cx="${r(at)}" cy="${top + LANE / 2}" r="${items.length > 1 ? 5 : 4}" fill-opacity="0.8"><title>${tip}</title></circle>`;
      }),
    );
  }
  if (drill.expectations.length > 0) {
    lanes.push({
      label: 'Expectations',
      height: LANE + 6,
      draw: (top) =>
        html`${drill.expectations.map((expectation, index) => {
          const cx = x(expectation.at);
          const cy = top + LANE / 2 + 6;
          return html`<g><title>E${index + 1} ${expectation.ok ? 'held' : 'FAILED'}: ${expectation.name}: ${expectation.measured} (bound: ${expectation.bound})</title>
<path d="M${r(cx)} ${cy - 6} l6 6 l-6 6 l-6 -6 z" fill="${expectation.ok ? '#1a7f37' : '#cf222e'}"/>
<text x="${r(cx)}" y="${cy - 8}" font-size="10" text-anchor="middle" fill="#59636e">E${index + 1}</text></g>`;
        })}`,
    });
  }
  if (drill.kubeEvents.length > 0) {
    const warnings = drill.kubeEvents.filter((event) => event.type === 'Warning');
    const normal = drill.kubeEvents.filter((event) => event.type !== 'Warning');
    for (const [label, events, color] of [['K8s warnings', warnings, '#bc4c00'], ['K8s events', normal, '#8c959f']] as const) {
      if (events.length === 0) continue;
      lanes.push(
        binnedLane(label, events, x, color, (items, first, at, top) => {
          // Short tooltips: this lane can hold hundreds of marks; the events table has the rest.
          const tip = `${since(first.at)} ${items.length > 1 ? `${items.length} events, first: ` : ''}${first.reason} ${first.object}`;
          const height = Math.min(LANE - 8, 6 + 2 * Math.log2(items.length));
          return html`<rect x="${r(at - 1)}" y="${r(top + LANE / 2 - height / 2)}" width="2.5" height="${r(height)}"><title>${tip}</title></rect>`;
        }),
      );
    }
  }

  const height = AXIS + lanes.reduce((sum, lane) => sum + lane.height, 0) + 6;
  let top = AXIS;
  const drawn = lanes.map((lane) => {
    const markup = html`<text x="8" y="${top + lane.height / 2 + 4}" font-size="12" fill="#59636e">${lane.label}</text>
<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${top + lane.height}" y2="${top + lane.height}" stroke="#eaeef2"/>
${lane.draw(top)}`;
    top += lane.height;
    return markup;
  });
  const guides = drill.faults.flatMap((fault) => [
    fault.injectedAt ? html`<line x1="${r(x(fault.injectedAt))}" x2="${r(x(fault.injectedAt))}" y1="${AXIS - 4}" y2="${height - 4}" stroke="#cf222e" stroke-dasharray="4 3"/>` : '',
    fault.restoredAt ? html`<line x1="${r(x(fault.restoredAt))}" x2="${r(x(fault.restoredAt))}" y1="${AXIS - 4}" y2="${height - 4}" stroke="${fault.restored ? '#1a7f37' : '#cf222e'}" stroke-dasharray="4 3"/>` : '',
  ]);
  const ticks = timeTicks((last - start) / 1000).map((value) => {
    const tx = x(start + value * 1000);
    return html`<line x1="${r(tx)}" x2="${r(tx)}" y1="${AXIS - 6}" y2="${height - 4}" stroke="#eaeef2"/><text x="${r(tx)}" y="${AXIS - 9}" font-size="11" text-anchor="middle" fill="#59636e">${timeTickLabel(value)}</text>`;
  });
  return html`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Timeline of ${drill.name}" font-family="system-ui, sans-serif">
${ticks}${drawn}${guides}</svg>`;
}

function phaseLane(drill: DrillReport, x: (at: string | number) => number, last: number): Lane {
  return {
    label: 'Phases',
    height: LANE,
    draw: (top) =>
      html`${drill.phases.map((entry, index) => {
        const from = x(entry.at);
        const next = drill.phases[index + 1];
        const to = next ? x(next.at) : x(drill.endedAt ?? last);
        const width = Math.max(1, to - from);
        const color = PHASE_COLORS[entry.phase] ?? '#8c959f';
        return html`<rect x="${r(from)}" y="${top + 7}" width="${r(width)}" height="${LANE - 14}" fill="${color}" fill-opacity="0.35"><title>${entry.phase}</title></rect>${
          width > entry.phase.length * 6.5 + 6 ? html`<text x="${r(from + 3)}" y="${top + 17}" font-size="10.5" fill="#1f2328">${entry.phase}</text>` : ''
        }`;
      })}`,
  };
}

/** One mark per BIN_PX-wide column that holds at least one item; marks share the lane's fill colour. */
function binnedLane<T extends Timed>(label: string, items: readonly T[], x: (at: string) => number, fill: string, mark: (items: T[], first: T, at: number, top: number) => Markup): Lane {
  const bins = new Map<number, T[]>();
  for (const item of items) {
    const bin = Math.round(x(item.at) / BIN_PX);
    const list = bins.get(bin);
    if (list) list.push(item);
    else bins.set(bin, [item]);
  }
  return { label, height: LANE, draw: (top) => html`<g fill="${fill}">${[...bins].map(([bin, binned]) => mark(binned, binned[0] as T, bin * BIN_PX, top))}</g>` };
}

/** Coordinates with one decimal keep the SVG short. */
function r(value: number): number {
  return Math.round(value * 10) / 10;
}
