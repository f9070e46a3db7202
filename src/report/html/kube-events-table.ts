// Kubernetes events of a drill, collapsed: one row per reason, then the distinct events (capped) in a closed section.
import type { KubeEventRecord } from '../report-types.ts';
import { offset } from './format.ts';
import { html, type Markup } from './markup.ts';

/** Rows beyond these stay in report.json only. */
const REASON_ROWS = 40;
const DISTINCT_ROWS = 100;

interface Group {
  first: KubeEventRecord;
  lastAt: string;
  count: number;
  objects: Set<string>;
}

function group(events: readonly KubeEventRecord[], key: (event: KubeEventRecord) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const event of events) {
    const id = key(event);
    const existing = groups.get(id);
    if (existing) {
      existing.count++;
      existing.objects.add(event.object);
      if (event.at > existing.lastAt) existing.lastAt = event.at;
    } else groups.set(id, { first: event, lastAt: event.at, count: 1, objects: new Set([event.object]) });
  }
  return [...groups.values()].sort((a, b) => a.first.at.localeCompare(b.first.at));
}

export function kubeEventsTable(events: readonly KubeEventRecord[], omitted: number, startMs: number): Markup {
  if (events.length === 0) return html`<p class="muted">No Kubernetes event about the objects involved was seen during the drill.</p>`;
  const since = (at: string) => offset(Date.parse(at) - startMs);
  const byReason = group(events, (event) => `${event.type}\u0000${event.reason}`);
  const distinct = group(events, (event) => `${event.type}\u0000${event.object}\u0000${event.reason}\u0000${event.message}`);
  const warnings = events.filter((event) => event.type === 'Warning').length;
  const more = (shown: number, total: number, what: string) =>
    total > shown ? html`<p class="muted small">… and ${total - shown} more ${what}; report.json has every event kept.</p>` : '';
  return html`<p class="small">${events.length + omitted} event${events.length + omitted === 1 ? '' : 's'} seen (${warnings} warning${warnings === 1 ? '' : 's'}), ${distinct.length} distinct${
    omitted > 0 ? html`; ${omitted} beyond the report's cap were counted, not kept` : ''
  }.</p>
<table class="small"><thead><tr><th class="num">Count</th><th>Type</th><th>Reason</th><th>Objects</th><th>Example message</th><th>First</th><th>Last</th></tr></thead><tbody>
${byReason.slice(0, REASON_ROWS).map(
  (entry) => html`<tr><td class="num">${entry.count}</td><td class="${entry.first.type === 'Warning' ? 'bad' : ''}">${entry.first.type}</td><td>${entry.first.reason}</td><td>${objectList(entry.objects)}</td><td>${entry.first.message}</td><td class="when">${since(entry.first.at)}</td><td class="when">${since(entry.lastAt)}</td></tr>`,
)}</tbody></table>${more(REASON_ROWS, byReason.length, 'reasons')}
<details><summary>Distinct events (${distinct.length})</summary>
<table class="small"><thead><tr><th class="num">×</th><th>First</th><th>Type</th><th>Object</th><th>Reason</th><th>Message</th></tr></thead><tbody>
${distinct.slice(0, DISTINCT_ROWS).map(
  (entry) => html`<tr><td class="num">${entry.count}</td><td class="when">${since(entry.first.at)}</td><td>${entry.first.type}</td><td class="mono">${entry.first.object}</td><td>${entry.first.reason}</td><td>${entry.first.message}</td></tr>`,
)}</tbody></table>${more(DISTINCT_ROWS, distinct.length, 'distinct events')}
</details>`;
}

function objectList(objects: Set<string>): Markup {
  const list = [...objects];
  return html`<span class="mono">${list.slice(0, 3).join(', ')}</span>${list.length > 3 ? html` <span class="muted">and ${list.length - 3} more</span>` : ''}`;
}
