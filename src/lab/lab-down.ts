// `lab down`: stops the supervisor (which stops every lab process) and makes sure nothing of the lab is left.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive, killProcesses, labProcesses } from './lab-processes.ts';
import { runningSupervisor, supervisorPidPath } from './lab-state.ts';

const GRACEFUL_MS = 15_000;

export async function labDown(labDir: string, log: (line: string) => void): Promise<void> {
  const pid = runningSupervisor(labDir);
  if (pid) {
    log(`stopping the lab supervisor (pid ${pid}) and every process it runs`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + GRACEFUL_MS;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const leftovers = labProcesses(labDir);
  if (leftovers.length > 0) {
    log(`killing ${leftovers.length} leftover lab processes: ${leftovers.map((leftover) => leftover.pid).join(', ')}`);
    await killProcesses(leftovers);
  }
  const remaining = labProcesses(labDir);
  if (remaining.length > 0) {
    throw new Error(`could not stop lab processes: ${remaining.map((process) => `${process.pid} (${process.command})`).join('; ')}`);
  }
  rmSync(supervisorPidPath(labDir), { force: true });
  rmSync(join(labDir, 'run', 'supervisor.sock'), { force: true });
  log(pid || leftovers.length ? 'lab stopped: no lab process is left' : 'lab was not running: no lab process found');
}
