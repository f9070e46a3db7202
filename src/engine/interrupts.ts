// SIGINT/SIGTERM during a run: restore what active drills broke, write what the report has, then exit non-zero.
import type { DrillHandle } from './drill-handle.ts';
import { emitRunEvent } from './run-events.ts';
import { redactText } from './redact.ts';

const active = new Set<DrillHandle>();
const beforeExit: ((signal: NodeJS.Signals) => Promise<void>)[] = [];
let installed = false;
let interrupted = false;

/** Exit codes after an interrupt: 130 (SIGINT) or 143 (SIGTERM) once restored, 3 if a restore failed. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export function trackDrill(handle: DrillHandle): void {
  install();
  active.add(handle);
}

export function untrackDrill(handle: DrillHandle): void {
  active.delete(handle);
}

/** Work to do after the restores on an interrupt, e.g. writing a partial report. */
export function onInterrupt(task: (signal: NodeJS.Signals) => Promise<void>): void {
  beforeExit.push(task);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void interrupt(signal));
}

async function interrupt(signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
  if (interrupted) {
    process.stderr.write(`\n${signal} again: still restoring. Pending restores stay in the journal; run \`npm run restore\` to finish them.\n`);
    process.exit(SIGNAL_EXIT[signal]);
  }
  interrupted = true;
  process.stderr.write(`\n${signal} received: restoring what the drill broke before exiting (press Ctrl-C again to abandon)...\n`);
  let failed = false;
  for (const handle of [...active]) {
    handle.abort.abort(new Error(`interrupted by ${signal}`));
    try {
      await handle.restore();
      emitRunEvent({ kind: 'drill-end', drill: handle.meta.name, result: 'failed', restored: true, error: `interrupted by ${signal}` });
      process.stderr.write(`restored everything ${handle.meta.name} had broken\n`);
    } catch (error) {
      failed = true;
      emitRunEvent({ kind: 'drill-end', drill: handle.meta.name, result: 'not-restored', restored: false, error: (error as Error).message });
      process.stderr.write(`${redactText((error as Error).message)}\n`);
    }
  }
  for (const task of beforeExit) await task(signal).catch((error: Error) => process.stderr.write(`${redactText(error.message)}\n`));
  process.exit(failed ? 3 : SIGNAL_EXIT[signal]);
}
