// Checks stop conditions given to the monitor before anything starts: each problem names the condition's field.
import type { StopCondition } from './plan-types.ts';

const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
const atLeastZero = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function problems(condition: StopCondition): string[] {
  const found: string[] = [];
  const need = (ok: boolean, field: string, rule: string, value: unknown) => {
    if (!ok) found.push(`${field} must be ${rule} (got ${JSON.stringify(value)})`);
  };
  switch (condition.kind) {
    case 'app-endpoint':
      need(positive(condition.windowSeconds), 'windowSeconds', 'a positive number', condition.windowSeconds);
      need(positive(condition.intervalMs), 'intervalMs', 'a positive number', condition.intervalMs);
      need(condition.minSuccessRatio === undefined || (atLeastZero(condition.minSuccessRatio) && condition.minSuccessRatio <= 1), 'minSuccessRatio', 'between 0 and 1', condition.minSuccessRatio);
      need(condition.maxP95Ms === undefined || positive(condition.maxP95Ms), 'maxP95Ms', 'a positive number', condition.maxP95Ms);
      need(condition.minSuccessRatio !== undefined || condition.maxP95Ms !== undefined, 'minSuccessRatio', 'set, or maxP95Ms (a condition without a limit is never breached)', condition.minSuccessRatio);
      break;
    case 'not-ready-nodes':
      need(Number.isInteger(condition.max) && condition.max >= 0, 'max', 'an integer 0 or more', condition.max);
      break;
    case 'kubernetes-condition':
      need(atLeastZero(condition.graceSeconds), 'graceSeconds', 'a number 0 or more', condition.graceSeconds);
      need(['True', 'False', 'Unknown'].includes(condition.status), 'status', '"True", "False" or "Unknown"', condition.status);
      need(!!condition.object?.name && !!condition.object.kind && !!condition.object.apiVersion, 'object', 'an apiVersion, kind and name', condition.object);
      break;
    default:
      found.push(`kind must be app-endpoint, not-ready-nodes or kubernetes-condition (got ${JSON.stringify((condition as { kind: unknown }).kind)})`);
  }
  return found;
}

/** Throws, naming every bad field as stopConditions[i].field, if a condition cannot be monitored as given. */
export function checkStopConditions(conditions: StopCondition[]): void {
  const seen = new Set<string>();
  const found = conditions.flatMap((condition, index) => {
    const at = `stopConditions[${index}]`;
    const own = problems(condition).map((problem) => `${at}.${problem}`);
    if (!condition.name) own.unshift(`${at}.name must be a non-empty string`);
    else if (seen.has(condition.name)) own.unshift(`${at}.name ${JSON.stringify(condition.name)} is used by an earlier condition: names must be unique`);
    seen.add(condition.name);
    return own;
  });
  if (found.length) throw new TypeError(`bad stop conditions:\n  ${found.join('\n  ')}`);
}
