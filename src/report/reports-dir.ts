// Where reports go: the reporter option dir, else FIREDRILL_REPORTS_DIR, else reports/ in the working directory.
import { resolve } from 'node:path';

export function reportsDir(option?: string): string {
  return resolve(option || process.env.FIREDRILL_REPORTS_DIR || 'reports');
}

/** A run id as a folder name: nothing that could climb out of the reports folder or upset a file system. */
export function runFolderName(runId: string): string {
  const name = runId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return name || 'run';
}
