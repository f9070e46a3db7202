// Benchmark: rebuild of the history over 1,000 runs of 7 drills (target under 2 s), and the size of one run's HTML
// for a 7-drill game day with 5,000 Kubernetes events (target under 1 MB). Synthetic runs, built by the collector.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunEvent } from '../src/engine/run-events.ts';
import { RunCollector } from '../src/report/collector.ts';
import { rebuildHistory } from '../src/report/history.ts';
import { runPage } from '../src/report/html/run-page.ts';
import { junitXml } from '../src/report/junit.ts';
import type { RunReport } from '../src/report/report-types.ts';

const RUNS = 1_000;
const DRILLS = ['etcd-down', 'apiserver-killed', 'scheduler-down', 'controller-manager-down', 'kubelet-stopped', 'node-drain', 'app-availability'];
const TARGET_REBUILD_MS = 2_000;
const TARGET_HTML_BYTES = 1_000_000;
const REASONS = [
  ['Warning', 'NodeNotReady'],
  ['Normal', 'TaintManagerEviction'],
  ['Normal', 'Killing'],
  ['Normal', 'Scheduled'],
  ['Normal', 'Pulled'],
  ['Normal', 'Created'],
  ['Normal', 'Started'],
  ['Warning', 'FailedScheduling'],
  ['Warning', 'BackOff'],
  ['Warning', 'Unhealthy'],
] as const;

/** Deterministic pseudo-random numbers (mulberry32), so every run of the benchmark builds the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One game day: 7 drills of ~70 s each, with faults, commands, observations, timed expectations and events. */
export function syntheticRun(index: number, kubeEvents: number): RunReport {
  const rand = random(index + 1);
  const start = Date.parse('2026-01-01T09:00:00.000Z') + index * 86_400_000;
  const collector = new RunCollector(new Date(start));
  const emit = (seconds: number, event: Record<string, unknown>) => collector.record({ ...event, at: new Date(start + seconds * 1000).toISOString() } as RunEvent);
  emit(0, { kind: 'run-info', drill: '', info: { runId: `run-${String(index).padStart(4, '0')}`, profile: 'staging-eu', cluster: { name: 'staging-eu', context: 'staging', kubernetesVersion: 'v1.34.4', nodeCount: 6 }, runnerVersion: '0.1.0', dryRun: false } });
  DRILLS.forEach((drill, position) => {
    const t0 = 1 + position * 75;
    const worker = `worker-${1 + Math.floor(rand() * 3)}`;
    emit(t0, { kind: 'drill-start', drill, meta: { name: drill, title: `${drill}: what breaks and what keeps running`, teaches: 'What the cluster does when this component is down, and how it recovers once it is back.', faults: ['a component stopped'], expected: ['the API fails within 30 s', 'it recovers within 60 s'], duration: 'about 1 minute' } });
    for (const [offset, phase] of [[0, 'steady-state'], [3, 'preflight'], [4, 'inject'], [5, 'observe'], [50, 'restore'], [55, 'verify']] as const) emit(t0 + offset, { kind: 'phase', drill, phase });
    emit(t0 + 4, { kind: 'fault-injected', drill, fault: `stop ${drill} on ${worker}`, description: `systemctl stop ${drill}`, host: worker });
    for (let command = 0; command < 6; command++) emit(t0 + 3 + command * 9, { kind: 'command', drill, host: worker, argv: ['systemctl', command % 2 ? 'start' : 'is-active', drill], sudo: true, code: 0, durationMs: 40 + Math.round(rand() * 200), dryRun: false });
    for (let observation = 0; observation < 8; observation++) emit(t0 + 5 + observation * 5, { kind: 'observation', drill, probe: 'api', text: `readyz ${observation < 5 ? 'failing' : 'ok'} (${observation})` });
    const down = 5 + rand() * 20;
    const up = 10 + rand() * 40;
    emit(t0 + 5 + down, { kind: 'expectation', drill, name: 'API fails', bound: 'within 30 s', measured: `failing after ${down.toFixed(1)} s`, ok: down <= 30, seconds: down, upperSeconds: 30 });
    emit(t0 + 50, { kind: 'expectation', drill, name: 'app keeps serving', bound: 'at least 99% of requests', measured: '99.6% of 420 requests', ok: true });
    emit(t0 + 52 + up / 10, { kind: 'expectation', drill, name: 'API recovers', bound: 'within 45 s', measured: `answering after ${up.toFixed(1)} s`, ok: up <= 45, seconds: up, upperSeconds: 45 });
    const perDrill = Math.floor(kubeEvents / DRILLS.length) + (position < kubeEvents % DRILLS.length ? 1 : 0);
    for (let event = 0; event < perDrill; event++) {
      const [type, reason] = REASONS[Math.floor(rand() * REASONS.length)] as (typeof REASONS)[number];
      const pod = `web-${Math.floor(rand() * 400).toString(36)}${Math.floor(rand() * 1e5).toString(36)}`;
      emit(t0 + 5 + rand() * 55, { kind: 'kube-event', drill, object: `pod/app/${pod}`, reason, message: `${reason} for pod app/${pod} on ${worker}: container web (attempt ${event})`, type });
    }
    emit(t0 + 50, { kind: 'fault-restored', drill, fault: `stop ${drill} on ${worker}`, ok: true });
    const ok = up <= 45 && down <= 30;
    collector.testEnded({ titlePath: [drill, 'the API fails, and the app keeps serving'], state: 'passed', durationMs: 45_000 }, new Date(start + (t0 + 50) * 1000));
    collector.testEnded(
      { titlePath: [drill, 'the API recovers'], state: ok ? 'passed' : 'failed', durationMs: 10_000, ...(ok ? {} : { error: { name: 'ExpectationError', message: 'expected API recovers: within 45 s' } }) },
      new Date(start + (t0 + 60) * 1000),
    );
    emit(t0 + 62, { kind: 'drill-end', drill, result: ok ? 'passed' : 'deviated', restored: true });
  });
  return collector.snapshot(new Date(start + (DRILLS.length * 75 + 5) * 1000));
}

const row = (what: string, measured: string, target: string, ok: boolean) => `  ${what.padEnd(58)} ${measured.padStart(12)}   target ${target.padEnd(9)} ${ok ? 'OK' : 'MISSED'}\n`;

export default async function main(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? RUNS);
  const root = mkdtempSync(join(tmpdir(), 'kfd-bench-report-'));
  try {
    process.stdout.write(`report benchmark: writing ${runs} synthetic runs of ${DRILLS.length} drills into ${root}...\n`);
    let jsonBytes = 0;
    for (let index = 0; index < runs; index++) {
      const report = syntheticRun(index, 40 * DRILLS.length);
      const text = JSON.stringify(report, null, 2);
      jsonBytes += text.length;
      mkdirSync(join(root, report.runId));
      writeFileSync(join(root, report.runId, 'report.json'), text);
    }
    const timings: number[] = [];
    let result = rebuildHistory(root, (line) => process.stderr.write(`${line}\n`));
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now();
      result = rebuildHistory(root, (line) => process.stderr.write(`${line}\n`));
      timings.push(performance.now() - started);
    }
    const rebuildMs = Math.max(...timings);

    const gameDay = syntheticRun(runs, 5_000);
    const page = runPage(gameDay);
    const htmlBytes = Buffer.byteLength(page);
    const historyBytes = statSync(result.file).size;

    process.stdout.write(`\n  ${'measure'.padEnd(58)} ${'measured'.padStart(12)}\n`);
    process.stdout.write(row(`history rebuild, ${result.runs} runs × ${DRILLS.length} drills (worst of 3)`, `${Math.round(rebuildMs)} ms`, `< ${TARGET_REBUILD_MS} ms`, rebuildMs < TARGET_REBUILD_MS));
    process.stdout.write(row(`run index.html, ${DRILLS.length} drills, ${gameDay.drills.reduce((sum, drill) => sum + drill.kubeEvents.length, 0)} K8s events`, `${(htmlBytes / 1000).toFixed(0)} kB`, '< 1000 kB', htmlBytes < TARGET_HTML_BYTES));
    process.stdout.write(`\n  for reference: rebuild times ${timings.map((ms) => `${Math.round(ms)} ms`).join(', ')}; ${(jsonBytes / 1e6).toFixed(0)} MB of report.json read each time;\n`);
    process.stdout.write(`  history page ${(historyBytes / 1000).toFixed(0)} kB; that game day's report.json ${(Buffer.byteLength(JSON.stringify(gameDay, null, 2)) / 1000).toFixed(0)} kB, junit.xml ${(Buffer.byteLength(junitXml(gameDay)) / 1000).toFixed(0)} kB\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
