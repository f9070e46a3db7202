// Reads every <reports>/*/gameday.json, and finds the previous game day of a plan; corrupt or foreign files are
// skipped with the reason, naming the file.
import { existsSync } from 'node:fs';
import type { GameDayRecord } from '../gameday/plan-types.ts';
import { parseGameDay } from './gameday-schema.ts';
import { readFolderFiles, type SkippedFile } from './folder-files.ts';

export const GAMEDAY_JSON = 'gameday.json';
export const GAMEDAY_HTML = 'gameday.html';

export interface GameDayEntry {
  /** The game day's folder name under the reports folder. */
  folder: string;
  record: GameDayRecord;
}

/** Game days newest first. A game day's drill reports sit in its own subfolders, which are not read here. */
export function readGameDays(root: string): { gameDays: GameDayEntry[]; skipped: SkippedFile[] } {
  if (!existsSync(root)) return { gameDays: [], skipped: [] };
  const { found, skipped } = readFolderFiles(root, GAMEDAY_JSON, (text) => {
    const parsed = parseGameDay(text);
    return 'reason' in parsed ? parsed : { value: parsed.record };
  });
  const gameDays = found.map(({ folder, value }) => ({ folder, record: value }));
  gameDays.sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt) || b.record.runId.localeCompare(a.record.runId));
  return { gameDays, skipped };
}

/**
 * The latest game day of the same plan before the one with `beforeRunId` (started earlier than it, if its record is
 * already there). Refused game days are passed over: nothing ran, so there is nothing to compare with. Skipped files
 * go to warn, one line each naming the file.
 */
export function findPreviousGameDay(reportsRoot: string, plan: string, beforeRunId: string, warn: (line: string) => void = () => {}): GameDayRecord | undefined {
  const { gameDays, skipped } = readGameDays(reportsRoot);
  for (const entry of skipped) warn(`skipped ${entry.file}: ${entry.reason}`);
  const current = gameDays.find((entry) => entry.record.runId === beforeRunId)?.record;
  return gameDays.find(
    ({ record }) => record.plan === plan && record.runId !== beforeRunId && record.verdict !== 'refused' && (!current || record.startedAt < current.startedAt),
  )?.record;
}
