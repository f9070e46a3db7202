// The exact commands a drill ran, per host, as they would be typed (secrets already masked in the report).
import { shellQuote } from '../../transport/shell-quote.ts';
import type { ApiChangeRecord, CommandRecord } from '../report-types.ts';
import { duration, offset } from './format.ts';
import { html, type Markup } from './markup.ts';

export function commandsList(commands: readonly CommandRecord[], apiChanges: readonly ApiChangeRecord[], startMs: number): Markup {
  if (commands.length === 0 && apiChanges.length === 0) return html`<p class="muted">No command was run and no API object changed.</p>`;
  const hosts = new Map<string, CommandRecord[]>();
  for (const command of commands) hosts.set(command.host, [...(hosts.get(command.host) ?? []), command]);
  return html`${[...hosts].map(
    ([host, list]) => html`<h4>${host} <span class="muted small">(${list.length} command${list.length === 1 ? '' : 's'})</span></h4>
<ol class="commands">${list.map(
      (command) => html`<li><span class="when">${offset(Date.parse(command.at) - startMs)}</span> <code>$ ${command.sudo ? 'sudo -n -- ' : ''}${shellQuote(command.argv)}</code> ${exitCode(command)} <span class="exit">${duration(command.durationMs)}</span>${
        command.stderr ? html`<pre class="bad">${command.stderr}</pre>` : ''
      }</li>`,
    )}</ol>`,
  )}${
    apiChanges.length > 0
      ? html`<h4>Kubernetes API <span class="muted small">(${apiChanges.length} change${apiChanges.length === 1 ? '' : 's'})</span></h4>
<ol class="commands">${apiChanges.map(
          (change) => html`<li><span class="when">${offset(Date.parse(change.at) - startMs)}</span> <code>${change.verb} ${change.object}</code> <span class="muted">${change.detail}</span>${change.dryRun ? html` <span class="exit">dry run</span>` : ''}</li>`,
        )}</ol>`
      : ''
  }`;
}

function exitCode(command: CommandRecord): Markup {
  if (command.code === null) return html`<span class="exit">${command.dryRun ? 'dry run' : 'no exit code'}</span>`;
  return html`<span class="exit${command.code === 0 ? '' : ' nonzero'}">exit ${command.code}</span>`;
}
