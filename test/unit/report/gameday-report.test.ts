// The game-day report's files and reader: atomic, redacted writes, the previous game day of a plan, the comparison,
// and a history that lists game days beside single runs without reading their drill reports twice.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { compareGameDays } from '../../../src/report/gameday-compare.ts';
import { findPreviousGameDay, readGameDays } from '../../../src/report/gameday-read.ts';
import { writeGameDayReport } from '../../../src/report/gameday-write.ts';
import { rebuildHistory } from '../../../src/report/history.ts';
import { writeRun } from '../../../src/report/write-run.ts';
import { sampleGameDay } from './sample-gameday.ts';
import { sampleReport } from './sample-run.ts';

const day = (startedAt: string, plan = 'nightly', extra: Partial<Parameters<typeof sampleGameDay>[0]> = {}) =>
  sampleGameDay({ plan, startedAt, drills: [{ name: 'etcd-down', result: 'passed', from: 1, to: 40, timings: { 'API recovers': 20 } }], ...extra });

describe('game-day report files', () => {
  it('writes gameday.json and gameday.html whole, leaving no temporary file, and masks secrets on the way', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kfd-gameday-')), 'gd');
    const record = day('2026-11-20T09:00:00.000Z', 'nightly', { verdict: 'refused', reason: 'gate failed: curl -u admin:hunter2secret https://x' });
    const written = writeGameDayReport(dir, record);
    expect(written).to.deep.equal({ json: join(dir, 'gameday.json'), html: join(dir, 'gameday.html') });
    expect(readdirSync(dir).sort()).to.deep.equal(['gameday.html', 'gameday.json']);
    const json = readFileSync(written.json, 'utf8');
    const html = readFileSync(written.html, 'utf8');
    expect(json).to.include('curl -u admin:***').and.not.include('hunter2secret');
    expect(html).to.include('curl -u admin:***').and.not.include('hunter2secret');
    expect(JSON.parse(json)).to.deep.include({ kind: 'gameday', runId: record.runId, verdict: 'refused' });
  });

  it('finds the latest earlier game day of the same plan, passing over other plans, refused ones and later ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'kfd-gameday-'));
    const records = {
      old: day('2026-11-01T09:00:00.000Z'),
      latest: day('2026-11-10T09:00:00.000Z'),
      otherPlan: day('2026-11-12T09:00:00.000Z', 'weekly'),
      refused: day('2026-11-13T09:00:00.000Z', 'nightly', { verdict: 'refused', reason: 'outside its window' }),
      current: day('2026-11-14T09:00:00.000Z'),
      later: day('2026-11-20T09:00:00.000Z'),
    };
    for (const [folder, record] of Object.entries(records)) writeGameDayReport(join(root, folder), record);
    expect(findPreviousGameDay(root, 'nightly', records.current.runId)?.runId).to.equal(records.latest.runId);
    expect(findPreviousGameDay(root, 'weekly', 'not-written-yet')?.runId).to.equal(records.otherPlan.runId);
    expect(findPreviousGameDay(root, 'monthly', 'not-written-yet')).to.equal(undefined);
    expect(findPreviousGameDay(join(root, 'nothing-here'), 'nightly', 'x')).to.equal(undefined);
  });

  it('skips corrupt, foreign and newer gameday.json files with the reason, naming each file', () => {
    const root = mkdtempSync(join(tmpdir(), 'kfd-gameday-'));
    const good = day('2026-11-01T09:00:00.000Z');
    writeGameDayReport(join(root, 'good'), good);
    const bad: Record<string, string> = {
      corrupt: '{"kind": "gameday", "plan": "nigh',
      foreign: JSON.stringify({ kind: 'something-else' }),
      future: JSON.stringify({ ...good, schemaVersion: 2 }),
      mangled: JSON.stringify({ ...good, drills: [{ name: 'x', result: 'exploded', timings: {} }] }),
    };
    for (const [name, text] of Object.entries(bad)) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'gameday.json'), text);
    }
    const warnings: string[] = [];
    expect(findPreviousGameDay(root, 'nightly', 'current', (line) => warnings.push(line))?.runId).to.equal(good.runId);
    expect(warnings.sort()).to.deep.equal(
      [
        `skipped ${join(root, 'corrupt', 'gameday.json')}: not valid JSON (Unterminated string in JSON at position 33)`,
        `skipped ${join(root, 'foreign', 'gameday.json')}: not a kube-firedrill game-day record (its kind is not "gameday")`,
        `skipped ${join(root, 'future', 'gameday.json')}: written with game-day schema v2, newer than this kube-firedrill reads (v1); update it`,
        `skipped ${join(root, 'mangled', 'gameday.json')}: does not match the game-day record v1: /drills/0/result Invalid option: expected one of "passed"|"failed"|"deviated"|"not-restored"|"skipped"|"not-run"|"aborted"`,
      ].sort(),
    );
  });
});

describe('comparing game days', () => {
  it('gives each common timing its change in seconds and per cent, and the results and verdict that changed', () => {
    const previous = sampleGameDay({
      drills: [
        { name: 'etcd-down', result: 'passed', from: 1, to: 40, timings: { 'API recovers': 20, 'leader elected': 4 } },
        { name: 'kubelet-stopped', result: 'passed', from: 41, to: 90, timings: { 'node NotReady': 40, 'pods evicted': 0 } },
        { name: 'dropped', result: 'passed', from: 91, to: 95 },
      ],
    });
    const current = sampleGameDay({
      verdict: 'deviated',
      drills: [
        { name: 'etcd-down', result: 'passed', from: 1, to: 40, timings: { 'API recovers': 25, 'leader elected': 3.5 } },
        { name: 'kubelet-stopped', result: 'deviated', from: 41, to: 90, timings: { 'node NotReady': 40.02, 'pods evicted': 2, 'new one': 1 } },
        { name: 'brand-new', result: 'skipped', reason: 'gate: a journal entry is pending' },
      ],
    });
    const comparison = compareGameDays(current, previous);
    expect(comparison).to.deep.include({ previousVerdict: 'passed', verdictChanged: true, droppedDrills: ['dropped'] });
    const [etcd, kubelet, fresh] = comparison.drills;
    expect(etcd?.timings).to.deep.equal([
      { name: 'API recovers', previous: 20, current: 25, deltaSeconds: 5, deltaPercent: 25, worse: true, better: false },
      { name: 'leader elected', previous: 4, current: 3.5, deltaSeconds: -0.5, deltaPercent: -12.5, worse: false, better: true },
    ]);
    expect(etcd?.resultChanged).to.equal(false);
    expect(kubelet).to.deep.include({ previous: 'passed', current: 'deviated', resultChanged: true, newTimings: ['new one'], missingTimings: [] });
    // 0.02 s slower shows as ±0.0 s, so it is not called worse; from 0 s there is no per cent.
    expect(kubelet?.timings.map((timing) => [timing.name, timing.deltaSeconds, timing.worse, timing.better])).to.deep.equal([
      ['node NotReady', 0, false, false],
      ['pods evicted', 2, true, false],
    ]);
    expect(kubelet?.timings[0]?.deltaPercent).to.be.closeTo(0.05, 1e-9);
    expect(kubelet?.timings[1]?.deltaPercent).to.equal(undefined);
    expect(fresh).to.deep.include({ previous: undefined, current: 'skipped', resultChanged: false, timings: [] });
  });
});

describe('history with game days', () => {
  it('lists game days beside single runs; the drill reports inside a game day are not listed as runs', () => {
    const root = mkdtempSync(join(tmpdir(), 'kfd-gameday-history-'));
    writeRun(sampleReport({ startedAt: '2026-11-01T10:00:00.000Z' }), root, () => {});
    const gameDayDir = join(root, 'gameday-1');
    const inner = writeRun(sampleReport({ startedAt: '2026-11-02T10:00:00.000Z' }), gameDayDir, () => {});
    writeGameDayReport(gameDayDir, sampleGameDay({ plan: 'nightly', startedAt: '2026-11-02T09:59:00.000Z', drills: [{ name: 'drill-1', result: 'passed', from: 60, to: 90, reportPath: `${inner.folder.slice(gameDayDir.length + 1)}/index.html` }] }));
    const warnings: string[] = [];
    const result = rebuildHistory(root, (line) => warnings.push(line));
    expect(warnings).to.deep.equal([]);
    expect(result).to.deep.include({ runs: 1, gameDays: 1 });
    expect(readGameDays(root).gameDays.map((entry) => entry.folder)).to.deep.equal(['gameday-1']);
    const page = readFileSync(result.file, 'utf8');
    expect(page).to.include('1 run and 1 game day in');
    expect(page).to.include('href="gameday-1/gameday.html"');
    expect(page).not.to.include(inner.folder.slice(gameDayDir.length + 1));
  });
});
