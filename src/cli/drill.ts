// npm run drill -- <name...>: runs fire drills against a cluster profile (default: the built-in lab).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { declaredDrills } from '../engine/drill.ts';
import { onInterrupt } from '../engine/interrupts.ts';
import { redactText } from '../engine/redact.ts';
import { startRunLog } from '../engine/run-log.ts';
import { closeSharedTarget, runId } from '../engine/shared-target.ts';
import { nearest } from '../engine/suggest.ts';
import { loadProfile } from '../profile/load-profile.ts';
import { writePartialReports } from '../report/active-report.ts';
import FiredrillReporter from '../report/reporter.ts';
import { drillFiles, logRunEvents, openRunTarget, runDrills, stderrLog } from '../runner/drill-run.ts';
import { describeParams, keepSelected, loadDrillCatalog, selectDrills } from '../runner/drill-selection.ts';

const USAGE = `usage: npm run drill -- [options] <drill...>
  <drill...>            drill names (see --list); none runs every drill that is not destructive
  --all                 with no names: every drill, destructive ones (etcd-restore, ec2-node-stopped) too
  --list                list the drills with what each teaches
  --profile FILE        cluster profile (default: the built-in lab, started if needed)
  --dry-run             print every command per host and every API change; touch nothing
  --grep PATTERN        only the drill steps whose title matches
  --reports DIR         where reports go (default reports/)
  --i-know-this-is-production   allow a target that looks like production
  --break-lock          take over a stale cluster lock (its runner died); a live runner's lock is never broken

A drill left not restored stops the run: the drills after it are reported as not run.
Ctrl-C (SIGINT), SIGTERM and SIGHUP stop the drills and restore everything before exiting; copies of the same
signal within 1.5 s count as one. Pressing Ctrl-C again after that abandons the restores (exit 3).

exit codes: 0 every drill passed; 1 a drill deviated or failed; 2 bad input (unknown drill, invalid profile,
production target without the flag, a profile whose cluster.uid or hosts do not match the cluster the kubeconfig
reaches); 3 something is still broken (a restore failed or was abandoned: the output says what and how to fix it,
and \`npm run restore\` finishes it); 4 the API server did not answer within 15 s (nothing was changed); 5 another
runner holds the cluster lock, or left a stale one (nothing was changed); 130 / 143 / 129 interrupted by SIGINT /
SIGTERM / SIGHUP, after restoring everything the run had broken`;

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
      all: { type: 'boolean' },
      'break-lock': { type: 'boolean' },
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
  if (values.all && positionals.length > 0) throw new UsageError('--all runs every drill: give either drill names or --all, not both');
  if (values.list) {
    await loadDrillCatalog(new Mocha(), available);
    for (const meta of declaredDrills()) {
      const destructive = meta.destructive ? ' [destructive: runs only when named or with --all]' : '';
      process.stdout.write(`${meta.name.padEnd(26)} ${meta.title} (${meta.duration})${destructive}\n${' '.repeat(27)}${meta.teaches}\n`);
      for (const line of describeParams(meta)) process.stdout.write(`${' '.repeat(27)}${line}\n`);
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
  if (values['break-lock']) process.env.FIREDRILL_BREAK_LOCK = '1';
  const reportsDir = resolve(values.reports ?? process.env.FIREDRILL_REPORTS_DIR ?? 'reports');
  process.env.FIREDRILL_REPORTS_DIR = reportsDir;
  const mocha = new Mocha({ timeout: 300_000, reporter: FiredrillReporter, reporterOptions: { dir: reportsDir }, grep: values.grep, color: process.stdout.isTTY });
  // The drills' meta says which are destructive: every drill file is loaded (nothing runs), only the selected suites are kept.
  const catalog = await loadDrillCatalog(mocha, available);
  const selection = selectDrills(catalog, positionals, values.all === true);
  // With no names, the drills for the other control-plane topology are left out (named, a drill refuses it itself).
  const profileControlPlanes = process.env.FIREDRILL_PROFILE ? loadProfile(process.env.FIREDRILL_PROFILE).hosts.filter((host) => host.role === 'control-plane').length : 1;
  const topology = profileControlPlanes > 1 ? 'ha-control-plane' : 'single-control-plane';
  if (positionals.length === 0) {
    const other = declaredDrills().filter((meta) => !(meta.topologies ?? ['single-control-plane']).includes(topology)).map((meta) => meta.name);
    selection.names = selection.names.filter((name) => !other.includes(name));
    if (other.length > 0) process.stderr.write(`firedrill: not running ${other.join(', ')}: not for a ${topology} (name one to see why)\n`);
  }
  keepSelected(mocha, catalog, selection.names);
  if (selection.skippedDestructive.length > 0) {
    process.stderr.write(
      `firedrill: not running ${selection.skippedDestructive.join(', ')}: destructive (they do not put the cluster back exactly as it was); name them or pass --all\n`,
    );
  }
  if (selection.names.length === 0) throw new UsageError('no drill to run: name one (see --list) or pass --all');
  // Ctrl-C: the restores run first (engine), then what the report has so far is written, marked partial.
  onInterrupt(async (signal) => {
    writePartialReports(`interrupted by ${signal}`);
  });
  const stopLog = startRunLog(join(reportsDir, runId(), 'run.log'));
  const log = stderrLog;
  logRunEvents(log);

  const target = await openRunTarget(log);
  if (!target) return 3;
  const { failures, notRestored } = await runDrills(mocha, log);
  stopLog();
  if (notRestored) return 3;
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: Error & { exitCode?: number }) => {
    process.stderr.write(`firedrill: ${redactText(error.message)}\n`);
    await closeSharedTarget().catch(() => undefined); // releases the cluster lock if this run took it
    process.exit(error instanceof UsageError ? 2 : (error.exitCode ?? 1));
  },
);
