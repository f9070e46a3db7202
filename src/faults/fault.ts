// What every fault is: checked before it acts, undo recorded before it acts, restore idempotent and verified.
import type { KubeConfig } from '@kubernetes/client-node';
import type { UndoRecord } from '../engine/journal.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';
import type { Transport } from '../transport/transport.ts';

export interface FaultContext {
  profile: ClusterProfile;
  transport: Transport;
  kube: KubeConfig;
  /** In a dry run the transport only records commands and API changes are only announced. */
  dryRun: boolean;
  signal: AbortSignal;
  /** Records an API change (emitted as an event; the caller skips the change itself in a dry run). */
  announceApiChange: (verb: string, object: string, detail: string) => void;
}

export interface Fault {
  /** Short identifier, e.g. "stop etcd on control-plane". */
  readonly name: string;
  /** What it does, in a sentence, for the report and the dry run. */
  readonly description: string;
  readonly host?: ProfileHost;
  /** How long its restore may take before it counts as failed (default: by the kind of undo, see restore-deadline). */
  readonly restoreTimeoutMs?: number;
  /** Checks everything inject and restore need; throws PreflightError and changes nothing. */
  preflight(context: FaultContext): Promise<void>;
  /** How to undo it, as data; written to the journal before inject runs. */
  undo(): UndoRecord;
  /** The manual command that undoes it, shown when an automatic restore fails. */
  manualFix(): string;
  inject(context: FaultContext): Promise<void>;
}

/** Restores from an undo record (also after a crash, from the journal). Idempotent; verifies the component is back. */
export type Restorer = (undo: UndoRecord, context: FaultContext) => Promise<void>;
