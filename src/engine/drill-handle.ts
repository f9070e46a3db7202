// What a drill's body works with: the target, fault injection with guaranteed restore, expectations and observations.
import { randomUUID } from 'node:crypto';
import type { Fault, FaultContext } from '../faults/fault.ts';
import { drillParam } from './drill-params.ts';
import { DrillStoppedError } from './errors.ts';
import { ExpectationError } from './expectation-error.ts';
import type { JournalEntry } from './journal.ts';
import { RestoreStack } from './restore-stack.ts';
import { emitRunEvent, type DrillMeta, type DrillParamValue, type RunEvent } from './run-events.ts';
import type { Target } from './target.ts';

export interface Expectation {
  /** What is expected, short: "node NotReady". */
  name: string;
  /** The bound in words: "between 12 s and 15 s after the kubelet stopped". */
  bound: string;
  /** What was measured, in words. */
  measured: string;
  ok: boolean;
  seconds?: number;
  lowerSeconds?: number;
  upperSeconds?: number;
}

type DrillEnd = Omit<Extract<RunEvent, { kind: 'drill-end' }>, 'kind' | 'drill' | 'at'>;

export class DrillHandle {
  readonly abort = new AbortController();
  private opened: { target: Target; stack: RestoreStack; context: FaultContext; injectContext: FaultContext } | undefined;
  private readonly preflighted = new Set<Fault>();
  /** The journal entries of each injected fault, so restoring a fault restores exactly what it injected. */
  private readonly entriesOf = new WeakMap<Fault, Set<string>>();
  private endedWith: DrillEnd | undefined;
  /** Told before a restore starts, with the longest it can take (the engine extends the running step's clock by it). */
  onRestoreStart: (budgetMs: number) => void = () => {};

  constructor(readonly meta: DrillMeta) {}

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  private get state() {
    if (!this.opened) throw new Error(`drill ${this.meta.name} is not open (its before hook failed or has not run)`);
    return this.opened;
  }

  get target(): Target {
    return this.state.target;
  }

  get profile() {
    return this.target.profile;
  }

  get timings() {
    return this.target.profile.timings;
  }

  get dryRun(): boolean {
    return this.target.dryRun;
  }

  /** The value of one of the drill's declared parameters: what the game-day plan set, else its default. */
  param(name: string): DrillParamValue {
    return drillParam(this.meta, name);
  }

  get faultContext(): FaultContext {
    return this.state.context;
  }

  /** Restores this drill still owes (one being restored right now included). */
  get pendingRestores(): number {
    return this.opened?.stack.size ?? 0;
  }

  /** The journal entries this drill still owes, oldest first. */
  get owedEntries(): JournalEntry[] {
    return this.opened?.stack.entries ?? [];
  }

  /** How the drill ended, once it has (the first end reported wins: teardown and a signal may both report it). */
  get ended(): DrillEnd | undefined {
    return this.endedWith;
  }

  /** Reports the drill's end (drill-end event) once; later calls are ignored. Returns whether this call reported it. */
  end(outcome: DrillEnd): boolean {
    if (this.endedWith) return false;
    this.endedWith = outcome;
    emitRunEvent({ kind: 'drill-end', drill: this.meta.name, ...outcome });
    return true;
  }

  open(target: Target): void {
    const context: FaultContext = {
      profile: target.profile,
      transport: target.transport,
      kube: target.kube,
      dryRun: target.dryRun,
      signal: this.signal,
      announceApiChange: (verb, object, detail) =>
        emitRunEvent({ kind: 'api-change', drill: this.meta.name, verb, object, detail, dryRun: target.dryRun }),
    };
    // Restores have their own deadlines and must outlive the drill's signal, which teardown aborts first.
    const restoreContext = { ...context, signal: new AbortController().signal };
    // An inject is never cut short (its command's own timeout bounds it): cut, what it changed on the host would be
    // unknown. Its restore waits for it instead.
    const injectContext = { ...context, signal: new AbortController().signal };
    this.opened = { target, context, injectContext, stack: new RestoreStack(target.dryRun ? undefined : target.journal, restoreContext) };
  }

  /** Throws once the drill is stopped (teardown, a signal, a failed step): nothing more may be injected. */
  private refuseIfStopped(fault: Fault): void {
    if (!this.signal.aborted) return;
    const reason = this.signal.reason instanceof Error ? this.signal.reason.message : String(this.signal.reason);
    throw new DrillStoppedError(this.meta.name, fault.name, reason);
  }

  /** Checks every fault the drill will inject before any is injected. */
  async preflight(...faults: Fault[]): Promise<void> {
    emitRunEvent({ kind: 'phase', drill: this.meta.name, phase: 'preflight' });
    for (const fault of faults) {
      await fault.preflight(this.faultContext);
      this.preflighted.add(fault);
    }
  }

  /**
   * Preflight (if not done), journal the undo (fsync), register the restore, then inject. Refuses once the drill is
   * stopped. If the drill is stopped while the inject runs, the inject finishes (its restore waits for it) and then
   * this throws, so the step goes no further.
   */
  async inject(fault: Fault): Promise<void> {
    this.refuseIfStopped(fault);
    if (!this.preflighted.has(fault)) await this.preflight(fault);
    this.refuseIfStopped(fault);
    const { target, stack, injectContext } = this.state;
    const undo = fault.restoreTimeoutMs ? { ...fault.undo(), restoreTimeoutMs: fault.restoreTimeoutMs } : fault.undo();
    const entry = {
      id: randomUUID(),
      drill: this.meta.name,
      fault: fault.name,
      undo,
      manualFix: fault.manualFix(),
      recordedAt: new Date().toISOString(),
    };
    const ids = this.entriesOf.get(fault) ?? new Set<string>();
    ids.add(entry.id);
    this.entriesOf.set(fault, ids);
    // Journaled, then injected, as one piece of work that is started and registered in the same turn: a restore (a
    // signal's, teardown's) that comes while the record is still being written waits for it, and an abort that comes
    // meanwhile stops the inject before it acts; the restore then finds nothing changed and marks the record restored.
    const injecting = (async () => {
      if (!target.dryRun) await target.journal.recordPending(entry);
      this.refuseIfStopped(fault);
      emitRunEvent({ kind: 'phase', drill: this.meta.name, phase: 'inject' });
      emitRunEvent({ kind: 'fault-injected', drill: this.meta.name, fault: fault.name, description: fault.description, host: fault.host?.name });
      await fault.inject(injectContext);
    })();
    stack.push(entry, injecting);
    await injecting;
    this.refuseIfStopped(fault);
  }

  /**
   * Restores one fault, or everything injected so far (teardown does that anyway). Returns once what it asked for
   * has settled, including restores another caller (teardown, a signal) started; throws RestoreError if one failed.
   */
  async restore(fault?: Fault): Promise<void> {
    if (!this.opened) return;
    const ids = fault ? (this.entriesOf.get(fault) ?? new Set<string>()) : undefined;
    const only = ids ? (entry: JournalEntry) => ids.has(entry.id) : undefined;
    const { stack } = this.opened;
    if (!stack.owes(only)) return;
    emitRunEvent({ kind: 'phase', drill: this.meta.name, phase: 'restore' });
    this.onRestoreStart(stack.budgetMs(only));
    await stack.drain(only);
  }

  observe(probe: string, text: string, at?: Date): void {
    emitRunEvent({ kind: 'observation', drill: this.meta.name, probe, text, at: at?.toISOString() });
  }

  /** Records an expectation with its bound and measured value; throws ExpectationError if it does not hold. */
  expect(expectation: Expectation): void {
    emitRunEvent({ kind: 'expectation', drill: this.meta.name, ...expectation });
    if (!expectation.ok) throw new ExpectationError(expectation.name, expectation.bound, expectation.measured);
  }

  /** In a dry run, probes of the cluster's reaction are skipped: nothing was broken. */
  skipInDryRun(what: string): boolean {
    if (!this.dryRun) return false;
    this.observe('dry-run', `would now check: ${what}`);
    return true;
  }
}
