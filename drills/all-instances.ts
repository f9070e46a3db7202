// Shared by the component-down drills: stop a component on every control-plane host (one journaled fault each),
// and, on an HA control plane, see a leader elected again after the restore.
import { performance } from 'node:perf_hooks';
import type { DrillHandle, LeaderElectedComponent } from '../src/index.ts';
import { failoverBoundSeconds, leaseOf, ManifestMoveFault, readLease, stopComponentEverywhere, waitForNewLeader, waitForProcess } from '../src/index.ts';
import { seconds } from './app.ts';

/** The component's static-pod fault on each control-plane host; throws if it does not run as a static pod. */
export function manifestFaultsEverywhere(d: DrillHandle, component: LeaderElectedComponent): ManifestMoveFault[] {
  return stopComponentEverywhere(d.profile, component).map((fault) => {
    if (!(fault instanceof ManifestMoveFault)) throw new Error(`${d.meta.name} needs ${component} to run as a static pod (on ${fault.host?.name ?? 'its host'})`);
    return fault;
  });
}

/** The Lease holder now, if the profile names the component's Lease (it does on an HA control plane). */
export async function currentHolder(d: DrillHandle, component: LeaderElectedComponent): Promise<string | undefined> {
  const how = d.profile.components[component];
  if (how.kind !== 'static-pod' || !how.lease || d.dryRun) return undefined;
  return (await readLease(d.target.kube, leaseOf(d.profile, component))).spec?.holderIdentity ?? '';
}

/** Injects every fault, then expects each host's process to stop within the static-pod stop time of its own injection. */
export async function stopAll(d: DrillHandle, faults: ManifestMoveFault[], label: string): Promise<void> {
  const bound = d.timings.staticPodStopSeconds;
  // Each wait starts right after its own injection and is settled into a value, so none is left unhandled meanwhile.
  const waits: Promise<{ host: string; ms?: number; error?: unknown }>[] = [];
  for (const fault of faults) {
    await d.inject(fault);
    if (d.dryRun) continue;
    const started = performance.now();
    waits.push(
      waitForProcess(d.faultContext, fault.host, fault.process, false, bound * 1000 + 5_000).then(
        () => ({ host: fault.host.name, ms: performance.now() - started }),
        (error: unknown) => ({ host: fault.host.name, error }),
      ),
    );
  }
  if (d.skipInDryRun(`${label} stops on every control-plane host`)) return;
  const results = await Promise.all(waits);
  const failed = results.find((result) => result.error !== undefined);
  if (failed) throw failed.error;
  const slowest = Math.max(...results.map((result) => result.ms ?? 0));
  const measured = results.map((result) => `${result.host} after ${seconds(result.ms ?? 0)}`).join(', ');
  d.expect({
    name: faults.length > 1 ? `${label} stopped on all ${faults.length} hosts` : `${label} stopped`,
    bound: `within ${bound} s of the manifest leaving`,
    measured: `stopped: ${measured}`,
    ok: slowest <= bound * 1000,
    seconds: slowest / 1000,
    upperSeconds: bound,
  });
}

/**
 * After every instance is back: an instance takes the Lease again (its holderIdentity has a new UUID, so it differs
 * from the one read before the restore). A fresh instance counts a lease from when it first reads it, so even an
 * expired one costs it a whole leaseDuration: the failover bound applies, counted from the restore.
 */
export async function expectLeaderAgain(d: DrillHandle, component: LeaderElectedComponent, before: string | undefined): Promise<void> {
  if (before === undefined || d.dryRun) return;
  const bound = failoverBoundSeconds(d.timings);
  const leader = await waitForNewLeader({
    kubeconfig: d.target.kube,
    lease: leaseOf(d.profile, component),
    oldHolder: before,
    timeoutMs: bound * 1000 + 30_000,
    signal: d.signal,
    onObservation: ({ at, text }) => d.observe(`Lease ${component}`, text, at),
  });
  d.expect({
    name: `${component} leader elected again`,
    bound: `a new holder of the Lease within ${bound} s of the restore`,
    measured: `${leader.holder} after ${seconds(leader.elapsedMs)}`,
    ok: leader.elapsedMs <= bound * 1000,
    seconds: leader.elapsedMs / 1000,
    upperSeconds: bound,
  });
}
