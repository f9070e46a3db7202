// One target per drill process, opened by the first drill and closed when the process ends.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VersionApi } from '@kubernetes/client-node';
import { acquireClusterLock, describeClusterLock, releaseClusterLock } from './cluster-lock.ts';
import { onInterrupt } from './interrupts.ts';
import { owedRestores } from './open-drills.ts';
import { emitRunEvent, type RunInfo } from './run-events.ts';
import { openTarget, targetOptionsFromEnv, type Target } from './target.ts';

let shared: Promise<Target> | undefined;
let runInfo: RunInfo | undefined;
let announced = false;

/** Emits the run's info once, when the first drill starts (the reporter subscribes when mocha starts running). */
export function announceRun(): void {
  if (announced || !runInfo) return;
  announced = true;
  emitRunEvent({ kind: 'run-info', drill: '', info: runInfo });
}

const runnerVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function runId(): string {
  process.env.FIREDRILL_RUN_ID ??= `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 6)}`;
  return process.env.FIREDRILL_RUN_ID;
}

export function sharedTarget(): Promise<Target> {
  shared ??= (async () => {
    const log = (message: string) => emitRunEvent({ kind: 'log', drill: '', level: 'info', message });
    const options = targetOptionsFromEnv(log);
    const target = await openTarget({
      ...options,
      onCommand: (result) =>
        emitRunEvent({
          kind: 'command',
          drill: currentDrill,
          host: result.host,
          argv: result.argv,
          sudo: result.sudo,
          code: options.dryRun ? null : result.code,
          durationMs: Math.round(result.durationMs),
          dryRun: options.dryRun,
          ...(result.code !== 0 && result.stderr ? { stderr: result.stderr.slice(0, 500) } : {}),
        }),
    });
    try {
      await takeLock(target, options.dryRun, log);
    } catch (error) {
      await target.close();
      throw error;
    }
    let kubernetesVersion: string | undefined;
    try {
      kubernetesVersion = (await target.kube.makeApiClient(VersionApi).getCode()).gitVersion;
    } catch {
      kubernetesVersion = undefined;
    }
    runInfo = {
      runId: runId(),
      profile: target.profile.name,
      cluster: {
        name: target.profile.name,
        context: target.identity.context,
        server: target.identity.server,
        uid: target.identity.uid,
        kubernetesVersion,
        nodeCount: target.nodeCount ?? target.profile.hosts.length,
      },
      runnerVersion,
      dryRun: target.dryRun,
    };
    return target;
  })();
  return shared;
}

/** One runner per cluster: a real run takes the cluster lock (released by closeSharedTarget, or on an interrupt); a dry run only says whether it is held. */
async function takeLock(target: Target, dryRun: boolean, log: (line: string) => void): Promise<void> {
  if (dryRun) {
    log(`dry run: ${await describeClusterLock(target, runId())}`);
    return;
  }
  await acquireClusterLock(target, { runId: runId(), purpose: 'drill', breakLock: process.env.FIREDRILL_BREAK_LOCK === '1', log });
  // After the interrupt path's restores, before it exits. While anything is still broken (a restore failed or was
  // abandoned) the lock stays: no other run may drill a broken cluster; the exit message says how to take it over.
  onInterrupt(async () => {
    if (owedRestores().length > 0) return;
    await releaseClusterLock().catch((error: Error) => log(error.message));
  });
}

/** The drill whose commands are running now (drills run one after another). */
let currentDrill = '';
export function setCurrentDrill(name: string): void {
  currentDrill = name;
}

export async function closeSharedTarget(): Promise<void> {
  if (!shared) return;
  const target = await shared.catch(() => undefined);
  shared = undefined;
  // A lock that could not be released is reported stale by the next run; it does not change this run's outcome.
  await releaseClusterLock().catch((error: Error) => emitRunEvent({ kind: 'log', drill: '', level: 'warn', message: error.message }));
  await target?.close();
}
