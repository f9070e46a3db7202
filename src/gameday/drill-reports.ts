// Splits the run's report into one report per drill, in subfolders of the game day's folder (drills/<name>/).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../report/report-types.ts';
import { runFolderName } from '../report/reports-dir.ts';
import { writeRun } from '../report/write-run.ts';

/** Where a drill's report goes, relative to the game day's folder. */
export const drillReportPath = (drill: string) => `drills/${runFolderName(drill)}/index.html`;

/** Writes each drill of <folder>/report.json as drills/<name>/; returns the drills written. Never throws: it warns. */
export function writeDrillReports(folder: string, warn: (line: string) => void): string[] {
  const file = join(folder, 'report.json');
  if (!existsSync(file)) return [];
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
    for (const drill of report.drills) {
      const verdict = drill.outcome === 'incomplete' ? 'failed' : drill.outcome;
      writeRun({ ...report, runId: drill.name, verdict, drills: [drill], startedAt: drill.startedAt, endedAt: drill.endedAt ?? report.endedAt, durationMs: drill.durationMs }, join(folder, 'drills'), warn);
    }
    return report.drills.map((drill) => drill.name);
  } catch (error) {
    warn(`could not write the drill reports into ${join(folder, 'drills')}: ${(error as Error).message}`);
    return [];
  }
}
