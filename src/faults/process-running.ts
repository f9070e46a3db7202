// Waits until a process runs on a host, or is gone (pgrep -x): drills use it to time a component stopping. Whether a
// restored component is back is judged by component-health.ts (a new process answering its health endpoint).
import { eventually } from '../probes/eventually.ts';
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { FaultContext } from './fault.ts';

export async function pids(context: FaultContext, host: ProfileHost, process: string): Promise<number[]> {
  const result = await context.transport.run(host, ['pgrep', '-x', '--', process], { signal: context.signal });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

/** Resolves with the time it took; rejects with ProbeTimeoutError after timeoutMs. */
export async function waitForProcess(context: FaultContext, host: ProfileHost, process: string, running: boolean, timeoutMs: number): Promise<number> {
  const { elapsedMs } = await eventually(
    async () => {
      const found = await pids(context, host, process);
      if (running !== found.length > 0) throw new Error(found.length ? `${process} still running (pid ${found.join(', ')})` : `${process} not running`);
    },
    { description: `${process} on ${host.name} to be ${running ? 'running' : 'gone'}`, timeoutMs, intervalMs: 100, maxIntervalMs: 500 },
  );
  return elapsedMs;
}
