// Several preflight checks as one POSIX shell script: run in order, stop at the first failure and name it.
import { shellQuote } from '../transport/shell-quote.ts';

export interface HostCheck {
  argv: string[];
  /** What must hold, for the error message: "the manifest /etc/kubernetes/manifests/x.yaml must exist". */
  what: string;
}

const MARKER = 'firedrill-check-failed';
/** The script's exit code when a check failed (any other non-zero code means the script itself did not run). */
export const CHECK_FAILED_EXIT = 97;

/** Each check's output is captured; the first failing one prints `MARKER <index> <exit code>` and its output. */
export function checkScript(checks: readonly HostCheck[]): string {
  const lines = checks.map(
    (check, index) => `out=$(${shellQuote(check.argv)} 2>&1) || { printf '%s %s %s\\n%s' ${MARKER} ${index} $? "$out"; exit ${CHECK_FAILED_EXIT}; }`,
  );
  return [...lines, 'exit 0'].join('\n');
}

/** Which check failed, from the script's stdout; undefined if no check reported a failure. */
export function failedCheck(stdout: string): { index: number; code: number; output: string } | undefined {
  const match = new RegExp(`^${MARKER} (\\d+) (\\d+)\\n?([\\s\\S]*)$`, 'm').exec(stdout);
  if (!match) return undefined;
  return { index: Number(match[1]), code: Number(match[2]), output: match[3] ?? '' };
}
