// Rebuilds <reports>/index.html, the history of every run and game day, from the report.json and gameday.json files
// under the reports folder.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGameDays } from './gameday-read.ts';
import { historyPage } from './html/history-page.ts';
import { readRunSummaries, type SkippedFile } from './read-reports.ts';

export interface HistoryResult {
  file: string;
  runs: number;
  gameDays: number;
  skipped: SkippedFile[];
}

/** Skipped files (corrupt, foreign, unreadable) are passed to warn, one line each naming the file. */
export function rebuildHistory(root: string, warn: (line: string) => void): HistoryResult {
  const { runs, skipped: skippedRuns } = readRunSummaries(root);
  const { gameDays, skipped: skippedGameDays } = readGameDays(root);
  const skipped = [...skippedRuns, ...skippedGameDays];
  for (const entry of skipped) warn(`skipped ${entry.file}: ${entry.reason}`);
  const file = join(root, 'index.html');
  writeFileSync(`${file}.tmp`, historyPage(root, runs, skipped, gameDays));
  renameSync(`${file}.tmp`, file);
  return { file, runs: runs.length, gameDays: gameDays.length, skipped };
}
