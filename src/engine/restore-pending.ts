// Restores what a previous run left in the journal (it crashed or was killed, here or on another machine), before
// anything else runs: the local journal and the target's copy merged, this cluster's entries only.
import type { FaultContext } from '../faults/fault.ts';
import { restoreUndo } from '../faults/restorers.ts';
import type { Target } from './target.ts';

export interface PendingOutcome {
  restored: string[];
  failed: { fault: string; error: string; manualFix: string }[];
  /** Entries left alone, with why (recorded on another cluster, or a live run's). */
  skipped: string[];
}

export async function restorePending(target: Target, log: (line: string) => void): Promise<PendingOutcome> {
  const outcome: PendingOutcome = { restored: [], failed: [], skipped: [] };
  target.journal.acquire(); // throws while another live run on this machine holds the journal
  const view = await target.journal.pendingEverywhere();
  for (const warning of view.warnings) log(warning);
  for (const skipped of view.skipped) {
    log(skipped.reason);
    outcome.skipped.push(skipped.reason);
  }
  if (view.entries.length === 0) {
    target.journal.compact(); // keeps the journal from growing run after run
    return outcome;
  }
  log(`the journal (${view.sources.join('; ')}) lists ${view.entries.length} fault(s) a previous run did not restore; restoring them first`);
  const context: FaultContext = {
    profile: target.profile,
    transport: target.transport,
    kube: target.kube,
    dryRun: false,
    signal: new AbortController().signal,
    announceApiChange: (verb, object, detail) => log(`${verb} ${object}: ${detail}`),
  };
  for (const entry of [...view.entries].reverse()) {
    const by = entry.runner ? `, run ${entry.runner.runId} on ${entry.runner.hostname}` : '';
    try {
      log(`restoring: ${entry.fault} (from drill ${entry.drill}, ${entry.recordedAt}${by})`);
      await restoreUndo(entry.undo, context);
      await target.journal.markRestored(entry.id);
      outcome.restored.push(entry.fault);
    } catch (error) {
      outcome.failed.push({ fault: entry.fault, error: (error as Error).message, manualFix: entry.manualFix });
    }
  }
  return outcome;
}
