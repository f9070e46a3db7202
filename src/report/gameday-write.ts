// Writes a game day's gameday.json (the record) and gameday.html into its folder, each file whole or not at all.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactDeep } from '../engine/redact.ts';
import type { GameDayRecord } from '../gameday/plan-types.ts';
import { GAMEDAY_HTML, GAMEDAY_JSON } from './gameday-read.ts';
import { gameDayPage } from './html/gameday-page.ts';

/**
 * `dir` is the game day's folder (its drill reports are in subfolders; outcome.reportPath is relative to it).
 * `previous` is the game day to compare with (see findPreviousGameDay). Both records are redacted again here.
 */
export function writeGameDayReport(dir: string, record: GameDayRecord, previous?: GameDayRecord): { html: string; json: string } {
  const safe = redactDeep(record);
  mkdirSync(dir, { recursive: true });
  const json = join(dir, GAMEDAY_JSON);
  const html = join(dir, GAMEDAY_HTML);
  // The JSON first: a history rebuilt in between lists the game day, and its page follows at once.
  writeWhole(json, `${JSON.stringify(safe, null, 2)}\n`);
  writeWhole(html, gameDayPage(safe, previous && redactDeep(previous)));
  return { html, json };
}

function writeWhole(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}
