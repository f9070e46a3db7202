// "Back" means healthy: a NEW process (not one recorded before the fault) runs, the old ones are gone, and it
// answers the component's health endpoint, twice in a row — checked on the component's own host, one command a check.
import { performance } from 'node:perf_hooks';
import { eventually } from '../probes/eventually.ts';
import type { ComponentHealth, ProfileHost } from '../profile/profile-schema.ts';
import type { FaultContext } from './fault.ts';

/** Which processes are the component's: by exact name (a static pod, pgrep -x) or a unit's main process. */
export type ProcessSelector = { process: string } | { unit: string };

/** A process told apart from any later one with the same PID: its start time in clock ticks since boot. */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
}

/** The component's processes at one moment; bootId tells whether the host rebooted since. Stored in undo records. */
export interface ProcessSnapshot {
  bootId: string;
  processes: ProcessIdentity[];
}

export interface BackHealthy {
  /** The new process that answered. */
  pid: number;
  elapsedMs: number;
  /** What was checked, in words, for the report: "pid 4242 (was 4100) answered https://…/readyz 200". */
  summary: string;
}

/**
 * $1 process|unit, $2 name, then the health check: $3 url ('' for none), $4 CA file, $5 client cert, $6 key.
 * Prints `boot <id>`, one `proc <pid> <start ticks>` per process, then `health <HTTP status>` (000: no answer;
 * `wget-<exit>`: wget got no 200; `no-client`: neither curl nor wget). Zombies are dead and left out. /proc/<pid>/stat is cut after the `(name) `
 * field, whose name may hold spaces: the state comes first, the start time 20th.
 */
const CHECK = `
echo "boot $(cat /proc/sys/kernel/random/boot_id)"
if [ "$1" = unit ]; then pids=$(systemctl show -p MainPID --value "$2"); else pids=$(pgrep -x "$2"); fi
for pid in $pids; do
  [ "$pid" -gt 0 ] 2>/dev/null || continue
  stat=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
  case "$stat" in Z*|X*) continue ;; esac
  ticks=$(echo "$stat" | cut -d' ' -f20)
  [ -n "$ticks" ] && echo "proc $pid $ticks"
done
url=$3 ca=$4 cert=$5 key=$6
[ -n "$url" ] || exit 0
if command -v curl >/dev/null 2>&1; then
  set -- -s -o /dev/null -w '%{http_code}' --max-time 3
  if [ -n "$ca" ]; then set -- "$@" --cacert "$ca"; else set -- "$@" -k; fi
  if [ -n "$cert" ]; then set -- "$@" --cert "$cert" --key "$key"; fi
  echo "health $(curl "$@" "$url")"
elif command -v wget >/dev/null 2>&1; then
  set -- -q -O /dev/null -T 3 -t 1
  if [ -n "$ca" ]; then set -- "$@" --ca-certificate="$ca"; else set -- "$@" --no-check-certificate; fi
  if [ -n "$cert" ]; then set -- "$@" --certificate="$cert" --private-key="$key"; fi
  if wget "$@" "$url"; then echo "health 200"; else echo "health wget-$?"; fi
else
  echo "health no-client"
fi`;

interface Observed extends ProcessSnapshot {
  health?: string;
}

function selectorArgs(selector: ProcessSelector): [string, string] {
  return 'unit' in selector ? ['unit', selector.unit] : ['process', selector.process];
}

export function describeSelector(selector: ProcessSelector): string {
  return 'unit' in selector ? `${selector.unit} (its main process)` : selector.process;
}

async function observe(context: FaultContext, host: ProfileHost, selector: ProcessSelector, health: ComponentHealth | undefined, signal?: AbortSignal): Promise<Observed> {
  const argv = ['sh', '-c', CHECK, 'sh', ...selectorArgs(selector), health?.url ?? '', health?.caFile ?? '', health?.certFile ?? '', health?.keyFile ?? ''];
  const result = await context.transport.run(host, argv, { signal, timeoutMs: 15_000 });
  const observed: Observed = { bootId: '', processes: [] };
  for (const line of result.stdout.split('\n')) {
    const [kind, first, second] = line.trim().split(' ');
    if (kind === 'boot') observed.bootId = first ?? '';
    if (kind === 'proc') observed.processes.push({ pid: Number(first), startTicks: Number(second) });
    if (kind === 'health') observed.health = first ?? '';
  }
  if (!observed.bootId && !context.dryRun) throw new Error(`could not read the processes on ${host.name} (exit ${result.code}: ${result.stderr.trim().slice(0, 200)})`);
  return observed;
}

/** The component's processes now, to record in the undo record before the fault acts (a dry run records none). */
export async function snapshotProcesses(context: FaultContext, host: ProfileHost, selector: ProcessSelector): Promise<ProcessSnapshot> {
  if (context.dryRun) return { bootId: '', processes: [] };
  const { bootId, processes } = await observe(context, host, selector, undefined, context.signal);
  return { bootId, processes };
}

/** Reads a snapshot back from an undo record (a journal from before snapshots existed has none). */
export function snapshotFrom(value: unknown): ProcessSnapshot | undefined {
  const snapshot = value as Partial<ProcessSnapshot> | undefined;
  if (!snapshot || typeof snapshot.bootId !== 'string' || !Array.isArray(snapshot.processes)) return undefined;
  return { bootId: snapshot.bootId, processes: snapshot.processes.filter((process) => Number.isInteger(process?.pid) && Number.isFinite(process?.startTicks)) };
}

const same = (a: ProcessIdentity, b: ProcessIdentity) => a.pid === b.pid && a.startTicks === b.startTicks;

/** The processes seen that were there before the fault (none if the host rebooted since). */
function oldProcesses(seen: ProcessSnapshot, before: ProcessSnapshot | undefined): ProcessIdentity[] {
  if (!before || seen.bootId !== before.bootId) return [];
  return seen.processes.filter((process) => before.processes.some((was) => same(was, process)));
}

/** Whether a process from before the fault still runs (alive, not a zombie). */
export async function oldStillRunning(context: FaultContext, host: ProfileHost, selector: ProcessSelector, before: ProcessSnapshot | undefined): Promise<boolean> {
  if (!before || context.dryRun) return false;
  return oldProcesses(await observe(context, host, selector, undefined, context.signal), before).length > 0;
}

/** Why what is seen is not (yet) a new healthy process; undefined if it is, with the new process. */
export function judge(
  seen: Observed,
  before: ProcessSnapshot | undefined,
  health: ComponentHealth | undefined,
  acceptOld = false,
): { verdict: string; pid?: undefined } | { verdict?: undefined; pid: number } {
  const old = oldProcesses(seen, before);
  if (old.length > 0 && !acceptOld) return { verdict: `still the process from before the fault (pid ${old.map((process) => process.pid).join(', ')})` };
  const [newest] = [...seen.processes].sort((a, b) => b.startTicks - a.startTicks);
  if (!newest) return { verdict: 'no process running' };
  if (health && seen.health !== '200') {
    const answer =
      seen.health === '000'
        ? 'no answer'
        : seen.health === 'no-client'
          ? 'neither curl nor wget on the host to ask it'
          : seen.health?.startsWith('wget-')
            ? `no answer or not 200 (wget exit ${seen.health.slice(5)})`
            : `HTTP ${seen.health}`;
    return { verdict: `pid ${newest.pid} runs but ${health.url} gives ${answer}` };
  }
  return { pid: newest.pid };
}

export interface BackHealthyOptions {
  selector: ProcessSelector;
  /** The processes before the fault (from the undo record); without it any running process counts as new. */
  before?: ProcessSnapshot;
  health?: ComponentHealth;
  timeoutMs: number;
  /**
   * The fault never took effect (the manifest was never moved, the service never stopped): the process from before
   * counts as back if it answers. Otherwise it must be gone, however healthy it looks: it may be terminating.
   */
  acceptOld?: boolean;
  /** The same new process must pass twice this far apart: a crash-looping one rarely does. Default 1 s. */
  stableMs?: number;
  signal?: AbortSignal;
}

/** One look: why the component is not back and healthy yet, or undefined if it is (one pass, no stability check). */
export async function notBackBecause(context: FaultContext, host: ProfileHost, options: Omit<BackHealthyOptions, 'timeoutMs' | 'stableMs'>): Promise<string | undefined> {
  const seen = await observe(context, host, options.selector, options.health, options.signal);
  return judge(seen, options.before, options.health, options.acceptOld).verdict;
}

/** Resolves once a new process (the old ones gone) answers the health endpoint twice in a row; rejects at the deadline. */
export async function waitUntilBackHealthy(context: FaultContext, host: ProfileHost, options: BackHealthyOptions): Promise<BackHealthy> {
  const what = describeSelector(options.selector);
  const stableMs = options.stableMs ?? 1_000;
  let candidate: { pid: number; since: number } | undefined;
  const { value: pid, elapsedMs } = await eventually(
    async (signal) => {
      const seen = await observe(context, host, options.selector, options.health, signal);
      const { verdict, pid: found } = judge(seen, options.before, options.health, options.acceptOld);
      if (verdict !== undefined) {
        candidate = undefined;
        throw new Error(verdict);
      }
      if (candidate?.pid !== found) candidate = { pid: found, since: performance.now() };
      if (performance.now() - candidate.since < stableMs) throw new Error(`pid ${found} answered; checking it again in ${stableMs / 1000} s`);
      return found;
    },
    {
      description: `${what} on ${host.name} to run as a new process${options.health ? ` answering ${options.health.url}` : ''}`,
      timeoutMs: options.timeoutMs,
      intervalMs: 200,
      maxIntervalMs: Math.max(200, Math.min(1_000, stableMs)),
      // One attempt is an SSH round trip plus a health request of at most 3 s: allow for a loaded host.
      attemptTimeoutMs: Math.min(options.timeoutMs, 15_000),
      signal: options.signal,
    },
  );
  const was = options.before?.processes.map((process) => process.pid).join(', ');
  const fresh = !options.before?.processes.some((process) => process.pid === pid);
  const which = fresh ? `new pid ${pid}${was ? ` (was ${was})` : ''}` : `pid ${pid}, the process from before (the fault never took effect),`;
  const summary = `${what} on ${host.name}: ${which}${options.health ? ` answers ${options.health.url}` : ' runs (no health endpoint in the profile)'}`;
  return { pid, elapsedMs, summary };
}
