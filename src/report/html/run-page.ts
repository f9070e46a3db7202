// The run's index.html: verdict, cluster and duration on top, a red banner if anything is still broken, then each drill.
import type { DrillReport, RunReport } from '../report-types.ts';
import { commandsList } from './commands-list.ts';
import { drillSection, OUTCOME_WORDS, outcomeBadge } from './drill-section.ts';
import { anchor, duration, faultName, seconds, wallTime } from './format.ts';
import { html, type Markup } from './markup.ts';
import { page } from './page.ts';

export function runPage(report: RunReport): string {
  const title = `${OUTCOME_WORDS[report.verdict].toUpperCase()} · fire drill ${report.cluster?.name ?? report.profile ?? ''} ${wallTime(report.startedAt)}`;
  return page(
    title,
    html`${header(report)}
${notRestoredBanner(report)}
${report.partial ? html`<div class="banner partial" role="status"><strong>Partial report.</strong> ${report.partialReasons.join('; ')}. It holds what was collected until then.</div>` : ''}
${report.dryRun ? html`<div class="banner note"><strong>Dry run.</strong> Nothing was changed on the cluster: commands and API changes are listed as they would have run.</div>` : ''}
${summaryTable(report.drills)}
${report.drills.map(drillSection)}
${outsideDrills(report)}
<footer class="muted small"><p>Run ${report.runId} · kube-firedrill ${report.runnerVersion} · report schema v${report.schemaVersion} · also in this folder: <a href="report.json">report.json</a>, <a href="junit.xml">junit.xml</a> · <a href="../index.html">all runs</a></p></footer>`,
  );
}

function header(report: RunReport): Markup {
  const cluster = report.cluster;
  const clusterText = cluster
    ? [cluster.name, cluster.context && `context ${cluster.context}`, cluster.server, cluster.uid && `UID ${cluster.uid}`, cluster.kubernetesVersion && `Kubernetes ${cluster.kubernetesVersion}`, cluster.nodeCount !== undefined && `${cluster.nodeCount} nodes`]
        .filter(Boolean)
        .join(' · ')
    : 'unknown (the run ended before it connected)';
  const counts = new Map<string, number>();
  for (const drill of report.drills) counts.set(drill.outcome, (counts.get(drill.outcome) ?? 0) + 1);
  return html`<header class="run-head ${report.verdict}">
<div><div class="verdict">${OUTCOME_WORDS[report.verdict]}</div><div class="muted small">verdict</div></div>
<div><h1>Fire drill report${report.profile ? html` — ${report.profile}` : ''}</h1>
<dl class="facts"><dt>Cluster</dt><dd>${clusterText}</dd>
<dt>When</dt><dd>${wallTime(report.startedAt)} → ${report.endedAt.slice(11, 19)} UTC (${duration(report.durationMs)})</dd>
<dt>Drills</dt><dd>${report.drills.length} — ${[...counts].map(([outcome, count]) => `${count} ${OUTCOME_WORDS[outcome as DrillReport['outcome']]}`).join(', ') || 'none ran'}</dd></dl></div>
</header>`;
}

function notRestoredBanner(report: RunReport): Markup {
  const broken = report.drills.flatMap((drill) => drill.faults.filter((fault) => fault.restored !== true).map((fault) => ({ drill, fault })));
  const unknown = report.drills.filter((drill) => drill.restored === false && !drill.faults.some((fault) => fault.restored === false));
  if (broken.length === 0 && unknown.length === 0) return html``;
  return html`<div class="banner" role="alert"><strong>Not restored: the cluster may still be broken.</strong>
<ul>${broken.map(
    ({ drill, fault }) => html`<li><a href="#${anchor(drill.name)}">${drill.name}</a>: ${faultName(fault)} — ${
      fault.restored === false ? (fault.error ?? 'the restore failed') : 'no restore was recorded (the run stopped before it)'
    }${fault.manualFix ? html`. Fix it by hand: <code>${fault.manualFix}</code>` : ''}</li>`,
  )}${unknown.map((drill) => html`<li><a href="#${anchor(drill.name)}">${drill.name}</a>: ${drill.error ?? 'a restore failed'}</li>`)}</ul>
<p>Run <code>npm run restore</code> to retry the restores recorded in the journal, and check the cluster before the next drill.</p></div>`;
}

function summaryTable(drills: readonly DrillReport[]): Markup {
  if (drills.length === 0) return html`<p class="muted">No drill ran.</p>`;
  return html`<table class="summary"><thead><tr><th>Drill</th><th>Result</th><th>Expectations</th><th>Key timings</th><th class="num">Duration</th></tr></thead><tbody>
${drills.map((drill) => {
  const held = drill.expectations.filter((expectation) => expectation.ok).length;
  const timings = drill.expectations.filter((expectation) => expectation.seconds !== undefined);
  return html`<tr><td><a href="#${anchor(drill.name)}">${drill.name}</a>${drill.meta ? html`<div class="muted small">${drill.meta.title}</div>` : ''}</td><td>${outcomeBadge(drill.outcome)}</td><td class="${held < drill.expectations.length ? 'bad' : ''}">${
    drill.expectations.length > 0 ? `${held} of ${drill.expectations.length} held` : '—'
  }</td><td class="small">${timings.map((expectation) => html`<div class="${expectation.ok ? '' : 'bad'}">${expectation.name}: ${seconds(expectation.seconds as number)}</div>`)}</td><td class="num">${duration(drill.durationMs)}</td></tr>`;
})}</tbody></table>`;
}

function outsideDrills(report: RunReport): Markup {
  const { commands, apiChanges, logs } = report.outsideDrills;
  if (commands.length === 0 && apiChanges.length === 0 && logs.length === 0) return html``;
  return html`<details><summary>Outside the drills (${commands.length} commands, ${logs.length} log lines; times since the run started)</summary>
<ul class="small">${logs.map((line) => html`<li>${line.at.slice(11, 19)} UTC ${line.level}: ${line.message}</li>`)}</ul>
${commandsList(commands, apiChanges, Date.parse(report.startedAt))}</details>`;
}
