// npm run report -- rebuild [--dir DIR]: rebuilds the history page (reports/index.html) from every run's report.json.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rebuildHistory } from '../report/history.ts';
import { reportsDir } from '../report/reports-dir.ts';

const USAGE = `usage: npm run report -- rebuild [--dir DIR]
  rebuild      rebuild DIR/index.html, the history of all runs and game days, from DIR/*/report.json and DIR/*/gameday.json
  --dir DIR    the reports folder (default: $FIREDRILL_REPORTS_DIR, else reports/)
Corrupt or foreign report.json files are skipped with a warning naming them.
exit codes: 0 rebuilt; 1 the history could not be written; 2 bad input`;

function main(): number {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'rebuild') {
    process.stderr.write(`${positionals.length ? `unknown command "${positionals.join(' ')}"` : 'no command given'}\n${USAGE}\n`);
    return 2;
  }
  const root = reportsDir(values.dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    process.stderr.write(`report: no reports folder at ${root} (give one with --dir, or run a drill first)\n`);
    return 2;
  }
  const started = performance.now();
  const result = rebuildHistory(root, (line) => process.stderr.write(`report: ${line}\n`));
  const skipped = result.skipped.length ? `, ${result.skipped.length} file(s) skipped` : '';
  process.stdout.write(`rebuilt ${result.file} from ${result.runs} run(s)${result.gameDays ? ` and ${result.gameDays} game day(s)` : ''}${skipped} in ${Math.round(performance.now() - started)} ms\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`report: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
