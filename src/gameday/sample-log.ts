// The stop conditions' samples for the report's timeline, kept bounded: a sample is recorded when it changes something.
import type { StopConditionSample } from './plan-types.ts';

/** A value that changes but stays ok (an endpoint's p95, say) is recorded at most this often. */
export const MIN_GAP_MS = 5_000;
/** Past this many samples of one condition, the oldest (but the first) are dropped. */
export const MAX_SAMPLES_PER_CONDITION = 1_000;

interface ConditionSamples {
  recorded: StopConditionSample[];
  lastRecordedMs: number;
  /** The latest evaluation, if it was not recorded: stop() records it so the timeline reaches the end. */
  left?: StopConditionSample;
}

/**
 * Records an evaluation when it is the condition's first, when ok changed (a breach, a recovery), or when the value
 * changed and MIN_GAP_MS have passed since the last recorded one; an evaluation like the last recorded one is left
 * out (that sample stands until the next). At most MAX_SAMPLES_PER_CONDITION per condition.
 */
export class SampleLog {
  private readonly conditions = new Map<string, ConditionSamples>();

  record(condition: string, atMs: number, ok: boolean, value: string): void {
    const sample: StopConditionSample = { condition, at: new Date(atMs).toISOString(), value, ok };
    const samples = this.conditions.get(condition);
    if (!samples) {
      this.conditions.set(condition, { recorded: [sample], lastRecordedMs: atMs });
      return;
    }
    const last = samples.recorded[samples.recorded.length - 1]!;
    if (ok !== last.ok || (value !== last.value && atMs - samples.lastRecordedMs >= MIN_GAP_MS)) {
      samples.recorded.push(sample);
      samples.lastRecordedMs = atMs;
      samples.left = undefined;
      if (samples.recorded.length > MAX_SAMPLES_PER_CONDITION) samples.recorded.splice(1, 1);
    } else {
      samples.left = sample;
    }
  }

  /** Records each condition's latest evaluation if it was left out. */
  finish(): void {
    for (const samples of this.conditions.values()) {
      if (samples.left) samples.recorded.push(samples.left);
      samples.left = undefined;
      if (samples.recorded.length > MAX_SAMPLES_PER_CONDITION) samples.recorded.splice(1, 1);
    }
  }

  /** Every recorded sample, oldest first. */
  samples(): StopConditionSample[] {
    return [...this.conditions.values()].flatMap((samples) => samples.recorded).sort((a, b) => a.at.localeCompare(b.at));
  }
}
