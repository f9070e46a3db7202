// npm run restore: restores whatever the journal says a previous run left broken, and nothing else.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redactText } from '../engine/redact.ts';
import { restorePending } from '../engine/restore-pending.ts';
import { openTarget } from '../engine/target.ts';

const USAGE = `usage: npm run restore -- [--profile FILE]
Restores the faults a previous drill run recorded in the journal and did not undo (it crashed or was killed).
exit codes: 0 nothing left broken; 2 bad input (invalid profile); 3 a restore failed (the output says how to fix it by hand)`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { profile: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const log = (line: string) => process.stderr.write(`restore: ${redactText(line)}\n`);
  const target = await openTarget({ profilePath: values.profile ? resolve(values.profile) : undefined, dryRun: false, allowProduction: true, log });
  try {
    const outcome = await restorePending(target, log);
    for (const fault of outcome.restored) log(`restored: ${fault}`);
    for (const failure of outcome.failed) log(`${failure.error}\n  fix it by hand: ${failure.manualFix}`);
    if (outcome.failed.length > 0) return 3;
    log(outcome.restored.length ? `done: ${outcome.restored.length} fault(s) restored` : `nothing to restore (journal ${target.journal.file})`);
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error & { exitCode?: number }) => {
    process.stderr.write(`restore: ${redactText(error.message)}\n`);
    process.exit(error.exitCode ?? 1);
  },
);
