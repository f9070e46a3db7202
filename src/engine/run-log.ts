// The run's log: every run event as one JSON line (pino) in a file per run, with secrets redacted.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { redactDeep } from './redact.ts';
import { onRunEvent } from './run-events.ts';

export function startRunLog(file: string): () => void {
  mkdirSync(dirname(file), { recursive: true });
  const logger = pino({ base: undefined }, pino.destination({ dest: file, sync: true }));
  return onRunEvent((received) => {
    // Events are redacted when emitted; again here, as the file outlives the run (redaction is idempotent).
    const event = redactDeep(received);
    const { kind, drill, ...fields } = event;
    const level = kind === 'log' ? event.level : kind === 'fault-restored' && !event.ok ? 'error' : 'info';
    logger[level]({ event: kind, drill: drill || undefined, ...fields });
  });
}
