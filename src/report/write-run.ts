// Writes a run's report.json, index.html and junit.xml into its folder; if that fails, says where and why and
// writes them into a temporary folder instead.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPage } from './html/run-page.ts';
import { junitXml } from './junit.ts';
import type { RunReport } from './report-types.ts';
import { runFolderName } from './reports-dir.ts';

export interface WrittenRun {
  /** The reports folder the run was written into (the temporary one after a fallback). */
  root: string;
  folder: string;
  json: string;
  html: string;
  junit: string;
}

/** Where reports go when the configured folder cannot be written. */
export const FALLBACK_ROOT = join(tmpdir(), 'kube-firedrill-reports');

export function writeRun(report: RunReport, root: string, warn: (line: string) => void): WrittenRun {
  const files = { 'report.json': `${JSON.stringify(report, null, 2)}\n`, 'index.html': runPage(report), 'junit.xml': junitXml(report) };
  try {
    return writeFiles(root, report.runId, files);
  } catch (error) {
    warn(`could not write the report into ${join(root, runFolderName(report.runId))}: ${(error as Error).message}`);
    if (root === FALLBACK_ROOT) throw error;
    warn(`writing it into ${join(FALLBACK_ROOT, runFolderName(report.runId))} instead`);
    return writeFiles(FALLBACK_ROOT, report.runId, files);
  }
}

function writeFiles(root: string, runId: string, files: Record<'report.json' | 'index.html' | 'junit.xml', string>): WrittenRun {
  const folder = join(root, runFolderName(runId));
  mkdirSync(folder, { recursive: true });
  // Each file appears whole or not at all: a reader (or a second write of a partial report) never sees half a file.
  for (const [name, content] of Object.entries(files)) {
    const file = join(folder, name);
    writeFileSync(`${file}.tmp`, content);
    renameSync(`${file}.tmp`, file);
  }
  return { root, folder, json: join(folder, 'report.json'), html: join(folder, 'index.html'), junit: join(folder, 'junit.xml') };
}
