// npm run drill -- <name...>: runs fire drills against a cluster profile (default: the built-in lab).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { declaredDrills } from '../engine/drill.ts';
import { onInterrupt } from '../engine/interrupts.ts';
import { restorePending } from '../engine/restore-pending.ts';
import { redactText } from '../engine/redact.ts';
import { onRunEvent } from '../engine/run-events.ts';
import { startRunLog } from '../engine/run-log.ts';
import { closeSharedTarget, runId, sharedTarget } from '../engine/shared-target.ts';
import { nearest } from '../engine/suggest.ts';
import { loadProfile } from '../profile/load-profile.ts';
import { writePartialReports } from '../report/active-report.ts';
import FiredrillReporter from '../report/reporter.ts';
import { loadDrillFiles } from './load-drills.ts';
import { startProgressLine } from './progress-line.ts';

const USAGE = `usage: npm run drill -- [options] <drill...>
  <drill...>            drill names (see --list); none runs them all
  --list                list the drills with what each teaches
  --profile FILE        cluster profile (default: the built-in lab, started if needed)
  --dry-run             print every command per host and every API change; touch nothing
  --grep PATTERN        only the drill steps whose title matches
  --reports DIR         where reports go (default reports/)
  --i-know-this-is-production   allow a target whose profile looks like production

exit codes: 0 every drill passed; 1 a drill deviated or failed; 2 bad input (unknown drill, invalid profile,
production target without the flag); 3 something is still broken (a restore failed: the output says how to fix it);
130 / 143 interrupted by SIGINT / SIGTERM (after restoring)`;

const DRILLS_DIR = fileURLToPath(new URL('../../drills/', import.meta.url));

function drillFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of readdirSync(DRILLS_DIR).sort()) {
    if (file.endsWith('.drill.ts')) files.set(file.replace(/\.drill\.ts$/, ''), join(DRILLS_DIR, file));
  }
  return files;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      list: { type: 'boolean' },
      profile: { type: 'string' },
      'dry-run': { type: 'boolean' },
      grep: { type: 'string' },
      reports: { type: 'string' },
      'i-know-this-is-production': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const available = drillFiles();
  const unknown = positionals.filter((name) => !available.has(name));
  if (unknown.length > 0) {
    const hints = unknown.map((name) => {
      const guess = nearest(name, [...available.keys()]);
      return `unknown drill "${name}"${guess ? ` — did you mean "${guess}"?` : ''}`;
    });
    throw new UsageError(`${hints.join('\n')}\navailable drills: ${[...available.keys()].join(', ')}`);
  }
  const selected = positionals.length ? positionals : [...available.keys()];
  if (values.list) {
    const mocha = new Mocha();
    await loadDrillFiles(mocha, [...available.values()]);
    for (const meta of declaredDrills()) {
      process.stdout.write(`${meta.name.padEnd(26)} ${meta.title} (${meta.duration})\n${' '.repeat(27)}${meta.teaches}\n`);
    }
    return 0;
  }

  // Bad input changes nothing: the profile is validated before anything is contacted.
  if (values.profile) {
    process.env.FIREDRILL_PROFILE = resolve(values.profile);
    loadProfile(process.env.FIREDRILL_PROFILE);
  }
  if (values['dry-run']) process.env.FIREDRILL_DRY_RUN = '1';
  if (values['i-know-this-is-production']) process.env.FIREDRILL_ALLOW_PRODUCTION = '1';
  const reportsDir = resolve(values.reports ?? process.env.FIREDRILL_REPORTS_DIR ?? 'reports');
  process.env.FIREDRILL_REPORTS_DIR = reportsDir;
  const mocha = new Mocha({ timeout: 300_000, reporter: FiredrillReporter, reporterOptions: { dir: reportsDir }, grep: values.grep, color: process.stdout.isTTY });
  // Ctrl-C: the restores run first (engine), then what the report has so far is written, marked partial.
  onInterrupt(async (signal) => {
    writePartialReports(`interrupted by ${signal}`);
  });
  const stopLog = startRunLog(join(reportsDir, runId(), 'run.log'));
  const log = (line: string) => process.stderr.write(`firedrill: ${redactText(line)}\n`);
  onRunEvent((event) => {
    if (event.kind === 'log') log(event.message);
    if (event.kind === 'command' && event.dryRun) log(`[dry run] ${event.host}: ${event.sudo ? 'sudo -n -- ' : ''}${event.argv.join(' ')}`);
    if (event.kind === 'api-change' && event.dryRun) log(`[dry run] API: ${event.verb} ${event.object} (${event.detail})`);
  });

  const target = await sharedTarget();
  if (!target.dryRun) {
    const pending = await restorePending(target, log);
    if (pending.failed.length > 0) {
      for (const failure of pending.failed) log(`${failure.error}\n  fix it by hand: ${failure.manualFix}`);
      log('not running any drill while the cluster is still broken from an earlier run');
      return 3;
    }
  }
  let notRestored = false;
  onRunEvent((event) => {
    if (event.kind === 'drill-end' && !event.restored) notRestored = true;
  });
  await loadDrillFiles(mocha, selected.map((name) => available.get(name) as string));
  const stopProgress = startProgressLine();
  const failures = await new Promise<number>((done) => mocha.run(done));
  stopProgress();
  await closeSharedTarget();
  stopLog();
  if (notRestored) return 3;
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error & { exitCode?: number }) => {
    process.stderr.write(`firedrill: ${redactText(error.message)}\n`);
    process.exit(error instanceof UsageError ? 2 : (error.exitCode ?? 1));
  },
);
