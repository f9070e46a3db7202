// npm run gameday -- plan.yaml: runs a game day (a plan of drills with guard rails) against the plan's cluster profile.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redactText } from '../engine/redact.ts';
import { closeSharedTarget } from '../engine/shared-target.ts';
import { runGameDay } from '../gameday/run-gameday.ts';
import { stderrLog } from '../runner/drill-run.ts';

const USAGE = `usage: npm run gameday -- [options] <plan.yaml>
  --dry-run             print the whole plan (window, lock, gate, blast radius, stop conditions, each drill, each
                        command per host and each API change) and touch nothing
  --reports DIR         where reports go (default reports/): the game day writes <DIR>/<run id>/gameday.html
  --i-know-this-is-production   allow a target that looks like production
  --break-lock          take over a stale cluster lock (its runner died); a live runner's lock is never broken

Without a terminal it prints plain lines, asks nothing and uses no colour. SIGINT, SIGTERM and SIGHUP restore what
the current drill broke, write a partial game-day report and exit 130 / 143 / 129.

exit codes: 0 passed; 1 a drill deviated or failed; 2 bad input (plan or profile invalid, unknown drill or parameter;
nothing contacted); 3 not restored (something is still broken: run \`npm run restore\`); 4 the API server did not
answer; 5 refused (the cluster lock is held by another runner, the blast radius, a failed gate with onGateFailure
"stop" before the first drill, or drills skipped by a failed gate); 6 aborted by a stop condition; 7 outside the time
window (nothing contacted), or the window closed and drills were left out; 130 / 143 / 129 interrupted`;

class UsageError extends Error {
  readonly exitCode = 2;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean' },
      reports: { type: 'string' },
      'i-know-this-is-production': { type: 'boolean' },
      'break-lock': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`give exactly one plan file (got ${positionals.length})\n${USAGE}`);
  return runGameDay({
    planFile: positionals[0] as string,
    dryRun: values['dry-run'] === true,
    reportsDir: resolve(values.reports ?? process.env.FIREDRILL_REPORTS_DIR ?? 'reports'),
    breakLock: values['break-lock'] === true,
    allowProduction: values['i-know-this-is-production'] === true,
    log: stderrLog,
    out: (line) => process.stdout.write(`${line}\n`),
  });
}

main().then(
  (code) => process.exit(code),
  async (error: Error & { exitCode?: number }) => {
    process.stderr.write(`firedrill: ${redactText(error.message)}\n`);
    await closeSharedTarget().catch(() => undefined); // releases the cluster lock if this run took it
    process.exit(error.exitCode ?? 1);
  },
);
