// Reads every <reports>/*/report.json into a short summary per run; unreadable, corrupt or foreign files are skipped
// with the reason, naming the file.
import { readFolderFiles, type SkippedFile } from './folder-files.ts';
import { REPORT_SCHEMA_VERSION, type DrillOutcome, type RunReport, type Verdict } from './report-types.ts';
import { checkReport } from './report-schema.ts';

export interface Timing {
  drill: string;
  name: string;
  seconds: number;
  lowerSeconds?: number;
  upperSeconds?: number;
  ok: boolean;
}

export interface RunSummary {
  /** The run's folder name under the reports folder. */
  folder: string;
  runId: string;
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  partial: boolean;
  dryRun: boolean;
  cluster?: string;
  kubernetesVersion?: string;
  drills: { name: string; outcome: DrillOutcome }[];
  /** Every timed expectation of the run (the first, when a drill measured one twice). */
  timings: Timing[];
}

export type { SkippedFile } from './folder-files.ts';

export function readRunSummaries(root: string): { runs: RunSummary[]; skipped: SkippedFile[] } {
  const { found, skipped } = readFolderFiles(root, 'report.json', (text) => {
    const parsed = parse(text);
    return 'reason' in parsed ? parsed : { value: parsed.report };
  });
  const runs = found.map(({ folder, value }) => summarize(folder, value));
  runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId));
  return { runs, skipped };
}

function parse(text: string): { report: RunReport } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { reason: `not valid JSON (${(error as Error).message})` };
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof value !== 'object' || value === null || typeof version !== 'number') return { reason: 'not a kube-firedrill report (it has no schemaVersion)' };
  if (version > REPORT_SCHEMA_VERSION) return { reason: `written with report schema v${version}, newer than this kube-firedrill reads (v${REPORT_SCHEMA_VERSION}); update it` };
  const checked = checkReport(value);
  return 'error' in checked ? { reason: `does not match the report schema v${REPORT_SCHEMA_VERSION}: ${checked.error}` } : checked;
}

function summarize(folder: string, report: RunReport): RunSummary {
  const timings: Timing[] = [];
  for (const drill of report.drills) {
    const seen = new Set<string>();
    for (const expectation of drill.expectations) {
      if (expectation.seconds === undefined || seen.has(expectation.name)) continue;
      seen.add(expectation.name);
      const { name, seconds, lowerSeconds, upperSeconds, ok } = expectation;
      timings.push({ drill: drill.name, name, seconds, ok, ...(lowerSeconds !== undefined ? { lowerSeconds } : {}), ...(upperSeconds !== undefined ? { upperSeconds } : {}) });
    }
  }
  return {
    folder,
    runId: report.runId,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    verdict: report.verdict,
    partial: report.partial,
    dryRun: report.dryRun,
    ...(report.cluster ? { cluster: report.cluster.name } : report.profile ? { cluster: report.profile } : {}),
    ...(report.cluster?.kubernetesVersion ? { kubernetesVersion: report.cluster.kubernetesVersion } : {}),
    drills: report.drills.map((drill) => ({ name: drill.name, outcome: drill.outcome })),
    timings,
  };
}
