// Restores what a previous run left in the journal (it crashed or was killed), before anything else runs.
import type { FaultContext } from '../faults/fault.ts';
import { restoreUndo } from '../faults/restorers.ts';
import type { Target } from './target.ts';

export interface PendingOutcome {
  restored: string[];
  failed: { fault: string; error: string; manualFix: string }[];
}

export async function restorePending(target: Target, log: (line: string) => void): Promise<PendingOutcome> {
  const outcome: PendingOutcome = { restored: [], failed: [] };
  const entries = target.journal.pending();
  if (entries.length === 0) {
    target.journal.compact(); // keeps the journal from growing run after run
    return outcome;
  }
  log(`the journal ${target.journal.file} lists ${entries.length} fault(s) a previous run did not restore; restoring them first`);
  const context: FaultContext = {
    profile: target.profile,
    transport: target.transport,
    kube: target.kube,
    dryRun: false,
    signal: new AbortController().signal,
    announceApiChange: (verb, object, detail) => log(`${verb} ${object}: ${detail}`),
  };
  for (const entry of entries.reverse()) {
    try {
      log(`restoring: ${entry.fault} (from drill ${entry.drill}, ${entry.recordedAt})`);
      await restoreUndo(entry.undo, context);
      target.journal.markRestored(entry.id);
      outcome.restored.push(entry.fault);
    } catch (error) {
      outcome.failed.push({ fault: entry.fault, error: (error as Error).message, manualFix: entry.manualFix });
    }
  }
  return outcome;
}
