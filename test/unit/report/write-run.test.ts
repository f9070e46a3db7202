// Writing a run's files: into <reports>/<run id>/, or, when that fails, a temporary folder named in the warning.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FALLBACK_ROOT, writeRun } from '../../../src/report/write-run.ts';
import { sampleReport } from './sample-run.ts';
import { expectValidReport } from './valid-report.ts';

describe('writing a run report', () => {
  it('writes report.json, index.html and junit.xml into the run folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'kfd-write-'));
    const report = sampleReport();
    const written = writeRun(report, root, () => expect.fail('no warning expected'));
    expect(written.folder).to.equal(join(root, report.runId));
    expectValidReport(JSON.parse(readFileSync(written.json, 'utf8')));
    expect(readFileSync(written.html, 'utf8')).to.match(/^<!doctype html>/);
    expect(readFileSync(written.junit, 'utf8')).to.match(/^<\?xml/);
  });

  it('keeps the run folder inside the reports folder whatever the run id', () => {
    const root = mkdtempSync(join(tmpdir(), 'kfd-write-'));
    const written = writeRun({ ...sampleReport(), runId: '../../etc/x y' }, root, () => {});
    expect(written.folder).to.equal(join(root, '__.._etc_x_y'));
  });

  it('says where and why it could not write, and falls back to a temporary folder', () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'kfd-write-')), 'a-file');
    writeFileSync(blocker, '');
    const report = { ...sampleReport(), runId: `fallback-${process.pid}-${Date.now()}` };
    const warnings: string[] = [];
    const written = writeRun(report, blocker, (line) => warnings.push(line));
    try {
      expect(warnings).to.deep.equal([
        `could not write the report into ${join(blocker, report.runId)}: ENOTDIR: not a directory, mkdir '${join(blocker, report.runId)}'`,
        `writing it into ${join(FALLBACK_ROOT, report.runId)} instead`,
      ]);
      expect(written.root).to.equal(FALLBACK_ROOT);
      expect(existsSync(written.html)).to.equal(true);
    } finally {
      rmSync(written.folder, { recursive: true, force: true });
    }
  });
});
