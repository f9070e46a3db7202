// Benchmark: lab start-up (binaries cached) to every node Ready and guestbook available, and the lab's resident memory.
import { mkdtempSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from '../src/lab/binaries.ts';
import { labDown } from '../src/lab/lab-down.ts';
import { labProcesses } from '../src/lab/lab-processes.ts';
import { labUp } from '../src/lab/lab-up.ts';

const TARGET_3_NODES_S = 15;

function residentMiB(labDir: string): number {
  let kib = 0;
  for (const { pid } of labProcesses(labDir)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kib / 1024;
}

async function measure(workers: number, subnet: string, controlPlanes: number): Promise<{ upS: number; readyS: number; rssMiB: number; processes: number }> {
  const labDir = mkdtempSync(join(tmpdir(), `kfd-bench-lab-${controlPlanes}cp-${workers}-`));
  const quiet = () => {};
  // A first start lays out PKI and keys; the measured start is the second, as for any user after the first run.
  await labUp({ labDir, workers, subnet, controlPlanes, log: quiet, timeoutMs: 180_000 });
  await labDown(labDir, quiet);
  const started = Date.now();
  const result = await labUp({ labDir, workers, subnet, controlPlanes, log: quiet, timeoutMs: 180_000 });
  const upS = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 5_000)); // let start-up allocations settle before reading RSS
  const rssMiB = residentMiB(labDir);
  const processes = labProcesses(labDir).length;
  await labDown(labDir, quiet);
  return { upS, readyS: result.readyMs / 1000, rssMiB, processes };
}

/** npm run bench -- lab [--control-planes 1,3] [--subnet A.B.C] [WORKERS...]: each size with each control-plane count, side by side. */
export default async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'control-planes': { type: 'string', default: '1' }, subnet: { type: 'string', default: process.env.FIREDRILL_LAB_SUBNET || '127.0.40' } },
  });
  const subnet = values.subnet ?? '127.0.40';
  if (!/^127\.\d{1,3}\.\d{1,3}$/.test(subnet)) throw new Error(`--subnet must be three octets of a loopback address, like 127.0.40 (got "${subnet}")`);
  const sizes = positionals.length ? positionals.map(Number) : [3, 50];
  const controlPlaneCounts = (values['control-planes'] ?? '1').split(',').map(Number);
  await ensureBinaries((line) => process.stderr.write(`${line}\n`));
  process.stdout.write('lab start-up (binaries cached), time to every node Ready and guestbook available\n');
  process.stdout.write('control planes  workers  up (s)  ready after supervisor start (s)  resident memory (MiB)  processes\n');
  for (const workers of sizes) for (const controlPlanes of controlPlaneCounts) {
    const figures = await measure(workers, subnet, controlPlanes);
    process.stdout.write(
      `${String(controlPlanes).padStart(14)}  ${String(workers).padStart(7)}  ${figures.upS.toFixed(1).padStart(6)}  ${figures.readyS.toFixed(1).padStart(32)}  ${figures.rssMiB.toFixed(0).padStart(21)}  ${String(figures.processes).padStart(9)}\n`,
    );
    if (workers === 3 && controlPlanes === 1) process.stdout.write(`         target: 3 nodes ready in ${TARGET_3_NODES_S} s or less: ${figures.upS <= TARGET_3_NODES_S ? 'met' : 'NOT met'}\n`);
  }
}
