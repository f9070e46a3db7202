// What the drill and game-day CLIs share: the drill files, the run's log lines, the restore of what an earlier run
// left, and one mocha run of the selected drills in this process with the safety net after it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Mocha from 'mocha';
import { installInterrupts, interruption } from '../engine/interrupts.ts';
import { drainOpenDrills, owedRestores } from '../engine/open-drills.ts';
import { redactText } from '../engine/redact.ts';
import { restorePending } from '../engine/restore-pending.ts';
import { onRunEvent } from '../engine/run-events.ts';
import { closeSharedTarget, sharedTarget } from '../engine/shared-target.ts';
import type { Target } from '../engine/target.ts';
import { startProgressLine } from './progress-line.ts';

const DRILLS_DIR = fileURLToPath(new URL('../../drills/', import.meta.url));

/** Every drill file, by drill name. */
export function drillFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of readdirSync(DRILLS_DIR).sort()) {
    if (file.endsWith('.drill.ts')) files.set(file.replace(/\.drill\.ts$/, ''), join(DRILLS_DIR, file));
  }
  return files;
}

export type Log = (line: string) => void;

/** Log lines on stderr, secrets masked. */
export const stderrLog: Log = (line) => process.stderr.write(`firedrill: ${redactText(line)}\n`);

/** Prints the run's log events, and in a dry run every command per host and every API change it would make. */
export function logRunEvents(log: Log): () => void {
  return onRunEvent((event) => {
    if (event.kind === 'log') log(event.message);
    if (event.kind === 'command' && event.dryRun) log(`[dry run] ${event.host}: ${event.sudo ? 'sudo -n -- ' : ''}${event.argv.join(' ')}`);
    if (event.kind === 'api-change' && event.dryRun) log(`[dry run] API: ${event.verb} ${event.object} (${event.detail})`);
  });
}

/**
 * Opens the shared target (identity checked, cluster lock taken) and restores what an earlier run left in the journal.
 * Returns undefined, after closing the target, if something is still broken from it (exit 3).
 */
export async function openRunTarget(log: Log): Promise<Target | undefined> {
  const target = await sharedTarget();
  if (target.dryRun) return target;
  const pending = await restorePending(target, log);
  if (pending.failed.length === 0) return target;
  for (const failure of pending.failed) log(`${failure.error}\n  fix it by hand: ${failure.manualFix}`);
  log('not running any drill while the cluster is still broken from an earlier run');
  await closeSharedTarget();
  return undefined;
}

export interface DrillsRun {
  /** Mocha's failure count. */
  failures: number;
  /** A drill was left not restored, or something is still owed after the safety net. */
  notRestored: boolean;
}

/**
 * Runs the mocha suites (interrupts installed, progress line on a terminal), then tries once more whatever a drill
 * still owes, waits for a signal being handled (it exits the process) and closes the target (the lock is released).
 */
export async function runDrills(mocha: Mocha, log: Log): Promise<DrillsRun> {
  let notRestored = false;
  const unsubscribe = onRunEvent((event) => {
    if (event.kind === 'drill-end' && !event.restored) notRestored = true;
  });
  installInterrupts();
  const stopProgress = startProgressLine();
  const failures = await new Promise<number>((done) => mocha.run(done));
  stopProgress();
  unsubscribe();
  // Safety net: whatever a drill still owes (its teardown failed) is tried once more before the run ends.
  const leftover = await drainOpenDrills();
  for (const error of leftover) log(error.message);
  // A signal being handled restores, writes the report and exits by itself; nothing may close the target under it.
  const held = interruption();
  if (held) await held;
  await closeSharedTarget();
  return { failures, notRestored: notRestored || owedRestores().length > 0 };
}
