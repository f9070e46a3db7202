// Reads one named file from each folder directly under the reports folder; a folder without it is passed over, an
// unreadable or unparsable one is skipped with the reason, naming the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SkippedFile {
  file: string;
  reason: string;
}

export function readFolderFiles<T>(root: string, name: string, parse: (text: string) => { value: T } | { reason: string }): { found: { folder: string; value: T }[]; skipped: SkippedFile[] } {
  const found: { folder: string; value: T }[] = [];
  const skipped: SkippedFile[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(root, entry.name, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      // A folder without the file (a run's folder holding only run.log, a single run's folder for gameday.json) is fine.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') skipped.push({ file, reason: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const parsed = parse(text);
    if ('reason' in parsed) skipped.push({ file, reason: parsed.reason });
    else found.push({ folder: entry.name, value: parsed.value });
  }
  return { found, skipped };
}
