// npm run restore: restores whatever the journal says a previous run left broken, and nothing else.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redactText } from '../engine/redact.ts';
import { restorePending } from '../engine/restore-pending.ts';
import { acquireClusterLock, releaseClusterLock } from '../engine/cluster-lock.ts';
import { openTarget } from '../engine/target.ts';

const USAGE = `usage: npm run restore -- [--profile FILE] [--break-lock]
Restores the faults a previous drill run recorded in the journal and did not undo (it crashed or was killed).
It takes the cluster lock like a drill run; --break-lock takes over the stale lock a dead runner left. When the API
server does not answer (etcd or the API server left stopped), it still restores over SSH, the lock file as the lock.
It restores from this machine's journal and the copy kept on the cluster's control-plane hosts (so any machine can run
it); entries recorded on another cluster (another kube-system UID) are never restored, and the output names them.
exit codes: 0 nothing left broken; 2 bad input (invalid profile, wrong cluster); 3 a restore failed (the output says how
to fix it by hand); 4 the API server did not answer within 15 s, or another run on this machine is still using the
journal; 5 another runner holds the cluster lock, or a stale lock is left (pass --break-lock once you know its runner
is gone)`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { profile: { type: 'string' }, 'break-lock': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const log = (line: string) => process.stderr.write(`restore: ${redactText(line)}\n`);
  const target = await openTarget({ profilePath: values.profile ? resolve(values.profile) : undefined, dryRun: false, allowProduction: true, allowUnreachable: true, log });
  try {
    // The runner that left the journal entries may still be running: restoring under its feet is refused.
    await acquireClusterLock(target, { runId: `restore-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`, purpose: 'restore', breakLock: values['break-lock'] === true, log });
    const outcome = await restorePending(target, log);
    for (const fault of outcome.restored) log(`restored: ${fault}`);
    for (const failure of outcome.failed) log(`${failure.error}\n  fix it by hand: ${failure.manualFix}`);
    if (outcome.failed.length > 0) return 3;
    const where = [target.journal.file, ...(target.journal.mirror ? [target.journal.mirror.where] : [])].join('; ');
    const left = outcome.skipped.length ? `; ${outcome.skipped.length} entr${outcome.skipped.length === 1 ? 'y' : 'ies'} left alone (above)` : '';
    log(outcome.restored.length ? `done: ${outcome.restored.length} fault(s) restored${left}` : `nothing to restore on this cluster (journal ${where})${left}`);
    return 0;
  } finally {
    await releaseClusterLock().catch((error: Error) => log(error.message));
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
