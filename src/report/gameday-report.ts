// Writes a game day's gameday.json and gameday.html (minimal stand-in; the report engineer's full version replaces it).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GameDayRecord } from '../gameday/plan-types.ts';
import { escapeText } from './escape.ts';

export function writeGameDayReport(dir: string, record: GameDayRecord, previous?: GameDayRecord): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'gameday.json');
  const html = join(dir, 'gameday.html');
  writeFileSync(json, `${JSON.stringify(record, null, 2)}\n`);
  const rows = record.drills
    .map((drill) => `<tr><td>${drill.reportPath ? `<a href="${escapeText(drill.reportPath)}">${escapeText(drill.name)}</a>` : escapeText(drill.name)}</td><td>${drill.result}</td><td>${escapeText(drill.reason ?? '')}</td></tr>`)
    .join('\n');
  const before = previous ? `<p>previous game day: ${escapeText(previous.runId)} (${previous.verdict})</p>` : '';
  writeFileSync(html, `<!doctype html><meta charset="utf-8"><title>game day ${escapeText(record.plan)}</title><h1>${escapeText(record.plan)}: ${record.verdict}</h1><p>${escapeText(record.reason ?? '')}</p>${before}<table>${rows}</table>\n`);
  return { json, html };
}

/** The latest game day of the same plan before this run, from <reportsRoot>/<runId>/gameday.json. */
export function findPreviousGameDay(reportsRoot: string, plan: string, beforeRunId: string): GameDayRecord | undefined {
  if (!existsSync(reportsRoot)) return undefined;
  const records = readdirSync(reportsRoot)
    .map((folder) => join(reportsRoot, folder, 'gameday.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as GameDayRecord)
    .filter((record) => record.plan === plan && record.runId < beforeRunId && !record.partial);
  return records.sort((a, b) => a.runId.localeCompare(b.runId)).at(-1);
}
