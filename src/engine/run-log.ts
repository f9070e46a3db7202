// The run's log: every run event as one JSON line (pino) in a file per run, with secrets redacted.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { onRunEvent } from './run-events.ts';

/** Field names whose values never reach a log. */
const REDACT = ['*.password', '*.token', '*.privateKey', '*.passphrase', '*.authorization', '*.*.password', '*.*.token'];

const SECRET_FLAG = /^(--?(password|token|passphrase|client-key-data|secret)[^=]*=).+$/i;

/** Command-line arguments that carry secrets (e.g. --token=...) are masked too. */
export function maskArgv(argv: string[]): string[] {
  return argv.map((arg) => arg.replace(SECRET_FLAG, '$1***'));
}

export function startRunLog(file: string): () => void {
  mkdirSync(dirname(file), { recursive: true });
  const logger = pino({ base: undefined, redact: { paths: REDACT, censor: '***' } }, pino.destination({ dest: file, sync: true }));
  return onRunEvent((event) => {
    const { kind, drill, ...rest } = event;
    const fields = 'argv' in rest ? { ...rest, argv: maskArgv(rest.argv) } : rest;
    const level = kind === 'log' ? event.level : kind === 'fault-restored' && !event.ok ? 'error' : 'info';
    logger[level]({ event: kind, drill: drill || undefined, ...fields });
  });
}
