// What a drill's body works with: the target, fault injection with guaranteed restore, expectations and observations.
import { randomUUID } from 'node:crypto';
import type { Fault, FaultContext } from '../faults/fault.ts';
import { ExpectationError } from './expectation-error.ts';
import { RestoreStack } from './restore-stack.ts';
import { emitRunEvent, type DrillMeta } from './run-events.ts';
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

export class DrillHandle {
  readonly abort = new AbortController();
  private opened: { target: Target; stack: RestoreStack; context: FaultContext } | undefined;
  private readonly preflighted = new Set<Fault>();

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

  get faultContext(): FaultContext {
    return this.state.context;
  }

  /** Restores this drill still owes. */
  get pendingRestores(): number {
    return this.opened?.stack.size ?? 0;
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
    this.opened = { target, context, stack: new RestoreStack(target.dryRun ? undefined : target.journal, restoreContext) };
  }

  /** Checks every fault the drill will inject before any is injected. */
  async preflight(...faults: Fault[]): Promise<void> {
    emitRunEvent({ kind: 'phase', drill: this.meta.name, phase: 'preflight' });
    for (const fault of faults) {
      await fault.preflight(this.faultContext);
      this.preflighted.add(fault);
    }
  }

  /** Preflight (if not done), journal the undo (fsync), register the restore, then inject. */
  async inject(fault: Fault): Promise<void> {
    if (!this.preflighted.has(fault)) await this.preflight(fault);
    const { target, stack } = this.state;
    const entry = {
      id: randomUUID(),
      drill: this.meta.name,
      fault: fault.name,
      undo: fault.undo(),
      manualFix: fault.manualFix(),
      recordedAt: new Date().toISOString(),
    };
    if (!target.dryRun) await target.journal.recordPending(entry);
    stack.push(entry);
    emitRunEvent({ kind: 'phase', drill: this.meta.name, phase: 'inject' });
    emitRunEvent({ kind: 'fault-injected', drill: this.meta.name, fault: fault.name, description: fault.description, host: fault.host?.name });
    await fault.inject(this.faultContext);
  }

  /** Restores one fault, or everything injected so far (teardown does that anyway). */
  async restore(fault?: Fault): Promise<void> {
    if (!this.opened || this.opened.stack.size === 0) return;
    emitRunEvent({ kind: 'phase', drill: this.meta.name, phase: 'restore' });
    await this.opened.stack.drain(fault ? (entry) => entry.fault === fault.name : undefined);
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
