// The drills a plan may name: one per drills/<name>.drill.ts file.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DRILLS = fileURLToPath(new URL('../../drills/', import.meta.url));

export function drillNames(): string[] {
  return readdirSync(DRILLS)
    .filter((file) => file.endsWith('.drill.ts'))
    .map((file) => file.slice(0, -'.drill.ts'.length))
    .sort();
}
