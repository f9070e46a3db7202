// The lines printed at the end of a run: the verdict, one line per drill with what went wrong, and where the HTML is.
import { duration } from './html/format.ts';
import { OUTCOME_WORDS } from './html/drill-section.ts';
import type { DrillReport, RunReport } from './report-types.ts';

export type Tone = 'pass' | 'fail' | 'warn' | 'muted';
export type Paint = (tone: Tone, text: string) => string;

const TONE: Record<DrillReport['outcome'], Tone> = { passed: 'pass', deviated: 'warn', failed: 'fail', 'not-restored': 'fail', incomplete: 'fail' };
const MARK: Record<DrillReport['outcome'], string> = { passed: '✔', deviated: '✖', failed: '✖', 'not-restored': '‼', incomplete: '…' };

export function consoleSummary(report: RunReport, paths: { html?: string; history?: string }, paint: Paint): string[] {
  const width = Math.max(12, ...report.drills.map((drill) => drill.name.length));
  const lines = [
    `  Fire drill verdict: ${paint(report.verdict === 'passed' ? 'pass' : 'fail', OUTCOME_WORDS[report.verdict].toUpperCase())}${report.dryRun ? ' (dry run)' : ''}${
      report.partial ? paint('warn', `  PARTIAL: ${report.partialReasons.join('; ')}`) : ''
    }`,
  ];
  for (const drill of report.drills) {
    const outcome = paint(TONE[drill.outcome], `${MARK[drill.outcome]} ${drill.name.padEnd(width)} ${OUTCOME_WORDS[drill.outcome].padEnd(12)}`);
    const why = drill.outcome === 'passed' ? '' : `  ${explain(drill)}`;
    lines.push(`    ${outcome} ${paint('muted', duration(drill.durationMs).padStart(10))}${why}`);
  }
  if (report.drills.some((drill) => drill.faults.some((fault) => fault.restored === false))) {
    lines.push(paint('fail', '  Something is still broken: fix it by hand as shown above, or run `npm run restore`.'));
  }
  if (paths.html) lines.push(`  Report:  ${paths.html}`);
  if (paths.history) lines.push(`  History: ${paths.history}`);
  return lines;
}

/** The one thing to know about a drill that did not pass. */
function explain(drill: DrillReport): string {
  const broken = drill.faults.find((fault) => fault.restored === false);
  if (broken) return `${broken.fault}: ${broken.error ?? 'restore failed'}${broken.manualFix ? `; fix by hand: ${broken.manualFix}` : ''}`;
  const failed = drill.expectations.find((expectation) => !expectation.ok);
  if (failed) return `${failed.name}: measured ${failed.measured}; bound ${failed.bound}`;
  if (drill.error) return drill.error.split('\n')[0] ?? '';
  const test = drill.tests.find((entry) => entry.state === 'failed');
  if (test) return `${test.title}: ${test.error?.message.split('\n')[0] ?? 'failed'}`;
  return drill.outcome === 'incomplete' ? 'it never ended (interrupted or crashed)' : '';
}
