// Finds the processes that belong to a lab: every one of them names the lab folder on its command line.
import { readdirSync, readFileSync } from 'node:fs';

export interface LabProcess {
  pid: number;
  command: string;
}

/** This process and its ancestors (e.g. the tsx or npm process that started it): never lab processes. */
function ancestors(): Set<number> {
  const chain = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !chain.has(pid)) {
    chain.add(pid);
    try {
      pid = Number(/^\d+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 0);
    } catch {
      break;
    }
  }
  return chain;
}

/** Processes whose command line names a file inside the lab folder (the CLI's own `--dir DIR` does not count). */
export function labProcesses(labDir: string): LabProcess[] {
  const found: LabProcess[] = [];
  const exclude = ancestors();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || exclude.has(pid)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const args = cmdline.split('\0').filter(Boolean);
    if (args.some((arg) => arg.includes(`${labDir}/`))) found.push({ pid, command: args.join(' ').slice(0, 160) });
  }
  return found;
}

/** SIGKILLs the given processes and waits until they are gone (at most a few seconds). */
export async function killProcesses(processes: LabProcess[]): Promise<void> {
  for (const { pid } of processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    if (processes.every(({ pid }) => !alive(pid))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Whether the process still holds resources. A zombie has exited, unless other threads of it are still tearing down
 * (a killed Go program's main thread turns zombie first; its sockets close with the last thread).
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat) || readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return false;
  }
}
