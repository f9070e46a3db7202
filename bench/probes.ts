// Benchmark: how fast a watch-based probe sees an API change versus kubectl polled every 2 s, and each drill's
// engine overhead (wall time not spent waiting on the cluster).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { V1Node } from '@kubernetes/client-node';
import Mocha from 'mocha';
import { loadDrillFiles } from '../src/runner/load-drills.ts';
import { onRunEvent } from '../src/engine/run-events.ts';
import { closeSharedTarget } from '../src/engine/shared-target.ts';
import { setUnschedulable } from '../src/kube/node-schedulable.ts';
import { loadKubeConfig } from '../src/kube/kube-config.ts';
import { NODES } from '../src/kube/resources.ts';
import { ensureBinaries } from '../src/lab/binaries.ts';
import { defaultLabDir } from '../src/lab/dirs.ts';
import { labPaths } from '../src/lab/lab-paths.ts';
import { labUp } from '../src/lab/lab-up.ts';
import { waitedMs } from '../src/probes/wait-clock.ts';
import { waitForObjects } from '../src/probes/watch-objects.ts';

const run = promisify(execFile);
const TRANSITIONS = 15;
const POLL_MS = 2_000;
const TARGET_MEDIAN_MS = 250;
const TARGET_OVERHEAD_S = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))] ?? NaN;

/** A hand-written drill script's loop: `kubectl get` every 2 s, recording what it saw and when. */
function startPoller(kubectl: string, kubeconfig: string, node: string): { samples: { at: number; value: boolean }[]; stop: () => void } {
  const samples: { at: number; value: boolean }[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const next = Date.now() + POLL_MS;
      const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfig, 'get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']);
      samples.push({ at: Date.now(), value: stdout.trim() === 'true' });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
  };
  void loop();
  return { samples, stop: () => (stopped = true) };
}

async function detection(kubeconfigPath: string): Promise<void> {
  const kube = loadKubeConfig(kubeconfigPath);
  const { kubectl } = await ensureBinaries(() => {});
  const node = 'worker-1';
  const poller = startPoller(kubectl, kubeconfigPath, node);
  const watched: number[] = [];
  const polled: number[] = [];
  try {
    for (let index = 0; index < TRANSITIONS; index++) {
      const target = index % 2 === 0;
      let listed!: () => void;
      const ready = new Promise<void>((resolve) => (listed = resolve));
      const seen = waitForObjects<V1Node>({
        kubeconfig: kube,
        type: NODES,
        fieldSelector: `metadata.name=${node}`,
        description: `${node} unschedulable=${target}`,
        timeoutMs: 10_000,
        until: ([found]) => !!found && !!found.spec?.unschedulable === target,
        describe: ([found]) => String(!!found?.spec?.unschedulable),
        onObservation: () => listed(),
      });
      await ready;
      const changedAt = Date.now();
      await setUnschedulable(kube, node, target);
      watched.push((await seen).at.getTime() - changedAt);
      // Leave the poller time to see it too, with a random phase between changes, as in a real run.
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + 200 + Math.random() * POLL_MS));
      const first = poller.samples.find((sample) => sample.at >= changedAt && sample.value === target);
      if (first) polled.push(first.at - changedAt);
    }
  } finally {
    poller.stop();
    await setUnschedulable(kube, node, false);
  }
  process.stdout.write(`\ndetection of an API change (cordon/uncordon of ${node}), ${TRANSITIONS} transitions\n`);
  process.stdout.write('probe                         median (ms)   p95 (ms)\n');
  process.stdout.write(`watch (kube-firedrill)        ${median(watched).toFixed(0).padStart(11)}   ${p95(watched).toFixed(0).padStart(8)}\n`);
  process.stdout.write(`kubectl get every 2 s         ${median(polled).toFixed(0).padStart(11)}   ${p95(polled).toFixed(0).padStart(8)}\n`);
  process.stdout.write(`ratio (polling / watch)       ${(median(polled) / median(watched)).toFixed(1).padStart(11)}x\n`);
  process.stdout.write(`target: median detection under ${TARGET_MEDIAN_MS} ms: ${median(watched) < TARGET_MEDIAN_MS ? 'met' : 'NOT met'}\n`);
}

async function overhead(): Promise<void> {
  const dir = fileURLToPath(new URL('../drills/', import.meta.url));
  const mocha = new Mocha({ timeout: 300_000, reporter: 'spec' });
  const files = readdirSync(dir).filter((name) => name.endsWith('.drill.ts')).sort().map((name) => join(dir, name));
  const rows: { drill: string; wallS: number; waitedS: number }[] = [];
  let start = { at: 0, waited: 0 };
  onRunEvent((event) => {
    if (event.kind === 'drill-start') start = { at: Date.now(), waited: waitedMs() };
    if (event.kind === 'drill-end') rows.push({ drill: event.drill, wallS: (Date.now() - start.at) / 1000, waitedS: (waitedMs() - start.waited) / 1000 });
  });
  await loadDrillFiles(mocha, files);
  const failures = await new Promise<number>((done) => mocha.run(done));
  await closeSharedTarget();
  process.stdout.write(`\neach drill's wall time against its waits on the cluster (${failures} failing steps)\n`);
  process.stdout.write('drill                        wall (s)   waiting on Kubernetes (s)   engine overhead (s)\n');
  for (const row of rows) {
    const extra = row.wallS - row.waitedS;
    process.stdout.write(`${row.drill.padEnd(27)} ${row.wallS.toFixed(1).padStart(9)}   ${row.waitedS.toFixed(1).padStart(25)}   ${extra.toFixed(1).padStart(19)}${extra < TARGET_OVERHEAD_S ? '' : '  (over target)'}\n`);
  }
  process.stdout.write(`target: engine overhead under ${TARGET_OVERHEAD_S} s per drill\n`);
}

export default async function main(args: string[]): Promise<void> {
  const labDir = defaultLabDir();
  await labUp({ labDir, workers: 3, log: (line) => process.stderr.write(`lab: ${line}\n`) });
  if (!args.includes('--no-detection')) await detection(labPaths(labDir).kubeconfig);
  if (!args.includes('--no-drills')) await overhead();
}
