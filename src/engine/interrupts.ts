// SIGINT/SIGTERM/SIGHUP during a run: stop the drills, restore everything owed, write the report, then exit.
import { performance } from 'node:perf_hooks';
import type { DrillHandle } from './drill-handle.ts';
import { drainOpenDrills, openDrill, owedRestores, releaseDrill, resetOpenDrills, stopRun } from './open-drills.ts';
import { redactText } from './redact.ts';

export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Exit codes after an interrupt once everything is restored; 3 if anything this run injected is still owed. */
export const SIGNAL_EXIT: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const SIGNALS = Object.keys(SIGNAL_EXIT) as InterruptSignal[];

/**
 * One Ctrl-C can reach the runner more than once: the terminal signals the whole foreground process group, and a
 * launcher (npm, tsx) may relay it as well. Copies of the first signal within this window are the same keypress.
 */
export const REPEAT_WINDOW_MS = 1_500;

export interface InterruptSeams {
  exit: (code: number) => void;
  write: (text: string) => void;
  /** A monotonic clock in milliseconds. */
  now: () => number;
  repeatWindowMs?: number;
}

/** Drill handles that a signal must end: opened and not torn down yet. */
const running = new Set<DrillHandle>();
const beforeExit: ((signal: InterruptSignal) => Promise<void>)[] = [];

/** The decisions on a signal, with the process's exit, output and clock passed in (tests call `handle` directly). */
export class InterruptHandler {
  private first: { signal: InterruptSignal; at: number } | undefined;
  private exited = false;
  /** Settles once the handler has called exit (which, outside tests, ends the process first). */
  private readonly pending: Promise<void>;
  private release: () => void = () => {};
  /** The restore-and-exit in progress, for tests. */
  finished: Promise<void> | undefined;

  constructor(private readonly seams: InterruptSeams) {
    this.pending = new Promise<void>((resolve) => (this.release = resolve));
  }

  /** The signal being handled, if any. */
  get signal(): InterruptSignal | undefined {
    return this.first?.signal;
  }

  /** While a signal is being handled: a promise that settles only after exit (the handler ends the process). */
  get interruption(): Promise<void> | undefined {
    return this.first ? this.pending : undefined;
  }

  handle(signal: InterruptSignal): void {
    const at = this.seams.now();
    if (!this.first) {
      this.first = { signal, at };
      this.finished = this.restoreAndExit(signal);
      return;
    }
    if (this.exited) return;
    if (signal !== this.first.signal) {
      this.say(`${signal} received while restoring after ${this.first.signal}: still restoring (${this.first.signal} again abandons the restores)\n`);
      return;
    }
    // The same keypress reaching the process again (process group, launcher relay): not a second Ctrl-C.
    if (at - this.first.at < (this.seams.repeatWindowMs ?? REPEAT_WINDOW_MS)) return;
    void this.abandon(signal);
  }

  private say(text: string): void {
    try {
      this.seams.write(redactText(text));
    } catch {
      // the terminal may be gone (SIGHUP): restoring matters more than saying so
    }
  }

  private finish(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.seams.exit(code);
    this.release();
  }

  private async restoreAndExit(signal: InterruptSignal): Promise<void> {
    const key = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    this.say(`\n${signal} received: stopping the drills and restoring what they broke before exiting (press ${key} again to abandon the restores)...\n`);
    const errors = await stopAndRestore(`the run was interrupted by ${signal}`, `interrupted by ${signal}`);
    if (this.exited) return;
    for (const handle of running) {
      const owed = handle.owedEntries.length > 0;
      if (handle.end({ result: owed ? 'not-restored' : 'failed', restored: !owed, error: `interrupted by ${signal}` }) && !owed) {
        this.say(`restored everything ${handle.meta.name} had broken\n`);
      }
    }
    for (const error of errors) this.say(`${error.message}\n`);
    await this.runBeforeExit(signal);
    const owed = owedRestores();
    if (owed.length > 0) this.say(stillOwed(owed.map((entry) => entry.fault)));
    this.finish(owed.length > 0 ? 3 : SIGNAL_EXIT[signal]);
  }

  private async abandon(signal: InterruptSignal): Promise<void> {
    const owed = owedRestores().map((entry) => entry.fault);
    this.say(`\n${signal} again: abandoning the restores.\n${stillOwed(owed)}`);
    for (const handle of running) handle.end({ result: 'not-restored', restored: false, error: `interrupted by ${signal}; the restores were abandoned` });
    await this.runBeforeExit(signal);
    this.finish(3);
  }

  private async runBeforeExit(signal: InterruptSignal): Promise<void> {
    for (const task of beforeExit) await task(signal).catch((error: Error) => this.say(`${error.message}\n`));
  }
}

function stillOwed(faults: string[]): string {
  if (faults.length === 0) return 'Nothing is left to restore.\n';
  return (
    `Still broken, pending in the journal: ${faults.join('; ')}.\n` +
    'The cluster lock stays taken, so no other run drills this cluster while it is broken: run `npm run restore -- --break-lock` ' +
    'to restore them and take the lock over (the lock is stale once this process has exited).\n'
  );
}

let handler: InterruptHandler | undefined;

/**
 * Stops the run and restores at once (a signal, a game day's stop condition): the drills not started are not run,
 * the running ones are stopped (they inject nothing more and skip their remaining steps) and everything owed is
 * restored. Returns the restores' failures.
 */
export async function stopAndRestore(runReason: string, drillReason: string): Promise<Error[]> {
  stopRun(runReason);
  for (const handle of running) handle.abort.abort(new Error(drillReason));
  return drainOpenDrills();
}

/** Installs the process's signal handlers (once); later calls return the same handler. */
export function installInterrupts(seams?: InterruptSeams): InterruptHandler {
  if (handler) return handler;
  const installed = new InterruptHandler(seams ?? { exit: (code) => process.exit(code), write: (text) => process.stderr.write(text), now: () => performance.now() });
  handler = installed;
  if (!seams) for (const signal of SIGNALS) process.on(signal, () => installed.handle(signal));
  return installed;
}

/** While a signal is handled: a promise that settles only after exit, to hold the run until the handler ends the process. */
export function interruption(): Promise<void> | undefined {
  return handler?.interruption;
}

/** The signal being handled, if any. */
export function interruptedBy(): InterruptSignal | undefined {
  return handler?.signal;
}

/** A drill opened: a signal stops it and restores what it owes. */
export function trackDrill(handle: DrillHandle): void {
  installInterrupts();
  running.add(handle);
  openDrill(handle);
}

/** A drill's teardown finished; whatever it still owes stays owed to the run. */
export function untrackDrill(handle: DrillHandle): void {
  running.delete(handle);
  releaseDrill(handle);
}

/** Work to do after the restores on an interrupt, e.g. writing a partial report. */
export function onInterrupt(task: (signal: InterruptSignal) => Promise<void>): void {
  beforeExit.push(task);
}

/** For tests: forgets the handler, the drills and the tasks (process listeners are only added without seams). */
export function resetInterrupts(): void {
  handler = undefined;
  running.clear();
  beforeExit.length = 0;
  resetOpenDrills();
}
