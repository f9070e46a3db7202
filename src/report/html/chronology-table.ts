// What happened during a drill, in order: phases, faults and restores, observations, expectations and failures.
import type { DrillReport } from '../report-types.ts';
import { offset } from './format.ts';
import { html, type Markup } from './markup.ts';

/** Rows beyond this stay in report.json only. */
const ROWS = 300;

interface Entry {
  at: string;
  what: string;
  text: string;
  bad?: boolean;
}

export function chronologyTable(drill: DrillReport, startMs: number): Markup {
  const entries: Entry[] = [
    ...drill.phases.map((entry) => ({ at: entry.at, what: 'phase', text: entry.phase })),
    ...drill.faults.flatMap((fault): Entry[] => [
      ...(fault.injectedAt ? [{ at: fault.injectedAt, what: 'fault injected', text: `${fault.fault}: ${fault.description}`, bad: true }] : []),
      ...(fault.restoredAt
        ? [{ at: fault.restoredAt, what: fault.restored ? 'fault restored' : 'restore FAILED', text: fault.restored ? fault.fault : `${fault.fault}: ${fault.error ?? 'no error given'}`, bad: !fault.restored }]
        : []),
    ]),
    ...drill.observations.map((entry) => ({ at: entry.at, what: `seen by ${entry.probe}`, text: entry.text })),
    ...drill.expectations.map((entry, index) => ({
      at: entry.at,
      what: `E${index + 1} ${entry.ok ? 'held' : 'FAILED'}`,
      text: `${entry.name}: ${entry.measured} (bound: ${entry.bound})`,
      bad: !entry.ok,
    })),
    ...drill.logs.filter((entry) => entry.level !== 'info').map((entry) => ({ at: entry.at, what: entry.level, text: entry.message, bad: entry.level === 'error' })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (entries.length === 0) return html`<p class="muted">Nothing was recorded.</p>`;
  return html`<table class="small"><tbody>${entries.slice(0, ROWS).map(
    (entry) => html`<tr class="${entry.bad ? 'fail' : ''}"><td class="when">${offset(Date.parse(entry.at) - startMs)}</td><td class="${entry.bad ? 'bad' : 'muted'}">${entry.what}</td><td>${entry.text}</td></tr>`,
  )}</tbody></table>${entries.length > ROWS ? html`<p class="muted small">… and ${entries.length - ROWS} more; report.json has them all.</p>` : ''}`;
}
