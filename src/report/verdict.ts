// Ranks drill outcomes: a run's verdict is its worst drill outcome.
import type { DrillOutcome, Verdict } from './report-types.ts';

const RANK: Record<Verdict, number> = { passed: 0, deviated: 1, failed: 2, 'not-restored': 3 };

/** An incomplete drill (no end recorded) counts as failed. */
export function outcomeVerdict(outcome: DrillOutcome): Verdict {
  return outcome === 'incomplete' ? 'failed' : outcome;
}

export function worstVerdict(outcomes: Iterable<DrillOutcome>): Verdict {
  let worst: Verdict = 'passed';
  for (const outcome of outcomes) {
    const verdict = outcomeVerdict(outcome);
    if (RANK[verdict] > RANK[worst]) worst = verdict;
  }
  return worst;
}
