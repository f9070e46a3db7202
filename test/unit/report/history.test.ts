// The history page and `npm run report -- rebuild`: runs newest first, a trend per timing, bad files skipped by name.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { rebuildHistory } from '../../../src/report/history.ts';
import { sampleReport } from './sample-run.ts';

const run = promisify(execFile);
const CLI = new URL('../../../src/cli/report.ts', import.meta.url).pathname;
const TSX = new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url).pathname;

function reportsFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'kfd-history-'));
  const runs = [
    { startedAt: '2026-01-10T10:00:00.000Z', recoverySeconds: 11 },
    { startedAt: '2026-03-02T10:00:00.000Z', recoverySeconds: 14, deviated: true },
    { startedAt: '2026-02-05T10:00:00.000Z', recoverySeconds: 12 },
  ];
  for (const options of runs) {
    const report = sampleReport(options);
    mkdirSync(join(root, report.runId));
    writeFileSync(join(root, report.runId, 'report.json'), JSON.stringify(report));
  }
  const bad: Record<string, string> = {
    corrupt: '{"schemaVersion": 1, "runId": "trunc',
    foreign: JSON.stringify({ name: 'some-package', version: '1.0.0' }),
    future: JSON.stringify({ ...sampleReport(), schemaVersion: 99 }),
    mangled: JSON.stringify({ ...sampleReport(), drills: 'none' }),
  };
  for (const [name, text] of Object.entries(bad)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'report.json'), text);
  }
  mkdirSync(join(root, 'unreadable', 'report.json'), { recursive: true });
  mkdirSync(join(root, 'only-a-log'));
  writeFileSync(join(root, 'only-a-log', 'run.log'), '{}\n');
  writeFileSync(join(root, '.gitkeep'), '');
  return root;
}

describe('history', function () {
  // Two tests start the report CLI (node + tsx): seconds on an idle machine, more under load.
  this.timeout(60_000);
  it('lists runs newest first and skips corrupt, foreign, newer and unreadable files with a warning naming each', () => {
    const root = reportsFolder();
    const warnings: string[] = [];
    const result = rebuildHistory(root, (line) => warnings.push(line));
    expect(result.runs).to.equal(3);
    expect(warnings.sort()).to.deep.equal(
      [
        `skipped ${join(root, 'corrupt', 'report.json')}: not valid JSON (Unterminated string in JSON at position 36)`,
        `skipped ${join(root, 'foreign', 'report.json')}: not a kube-firedrill report (it has no schemaVersion)`,
        `skipped ${join(root, 'future', 'report.json')}: written with report schema v99, newer than this kube-firedrill reads (v1); update it`,
        `skipped ${join(root, 'mangled', 'report.json')}: does not match the report schema v1: /drills must be array`,
        `skipped ${join(root, 'unreadable', 'report.json')}: cannot be read: EISDIR: illegal operation on a directory, read`,
      ].sort(),
    );
    const page = readFileSync(result.file, 'utf8');
    const order = ['2026-03-02 10:00:00', '2026-02-05 10:00:00', '2026-01-10 10:00:00'].map((when) => page.indexOf(when));
    expect(order.every((index) => index > 0)).to.equal(true);
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(page).to.include('5 files were skipped.');
  });

  it('plots one trend per drill and timed expectation, oldest run first, failed runs in red', () => {
    const root = reportsFolder();
    const page = readFileSync(rebuildHistory(root, () => {}).file, 'utf8');
    expect(page.match(/<figure>/g)).to.have.length(2);
    expect(page).to.include('aria-label="drill-1 API recovers across 3 runs"');
    expect(page).to.include('latest 75.0 s');
    expect(page).to.include('+63.0 s vs previous');
    expect(page.match(/fill="#cf222e"><title>2026-03-02/g)).to.have.length(1);
  });

  it('is rebuilt by `npm run report -- rebuild --dir DIR`', async () => {
    const root = reportsFolder();
    const { stdout, stderr } = await run(process.execPath, [TSX, CLI, 'rebuild', '--dir', root]);
    expect(stdout).to.match(new RegExp(`^rebuilt ${join(root, 'index.html')} from 3 run\\(s\\), 5 file\\(s\\) skipped in \\d+ ms\\n$`));
    expect(stderr).to.include(`report: skipped ${join(root, 'corrupt', 'report.json')}: not valid JSON`);
  });

  it('refuses an unknown command or a missing folder with exit code 2', async () => {
    const failure = (args: string[]) => run(process.execPath, [TSX, CLI, ...args]).then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => error);
    const unknown = await failure(['rebild']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^unknown command "rebild"\nusage: npm run report -- rebuild/);
    const missing = await failure(['rebuild', '--dir', '/nonexistent/reports']);
    expect(missing).to.include({ code: 2, stderr: 'report: no reports folder at /nonexistent/reports (give one with --dir, or run a drill first)\n' });
  });
});
