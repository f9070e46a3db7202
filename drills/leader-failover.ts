// Shared by the failover drills: stop the instance that holds a leader-election Lease, see another instance take the
// Lease within the bound the profile's lease timings give, and the old one come back as a follower.
import { performance } from 'node:perf_hooks';
import type { DrillHandle, DrillMeta, LeaderElectedComponent, LeaseRef, ProfileHost } from '../src/index.ts';
import { failoverBoundSeconds, holderHostname, hostOfHolder, leaderHolds, leaseOf, ManifestMoveFault, readLease, stopComponentOn, waitForNewLeader, waitForProcess } from '../src/index.ts';
import { seconds } from './app.ts';

const SHORT: Record<LeaderElectedComponent, string> = { 'kube-scheduler': 'scheduler', 'kube-controller-manager': 'controller-manager' };

/** `work`: what goes on under the new leader, in words ("schedules new pods"); `check`: how the drill sees it. */
export function failoverMeta(component: LeaderElectedComponent, work: string, check: string): DrillMeta {
  const short = SHORT[component];
  return {
    name: `${short}-failover`,
    title: `${component} leader stopped: a standby takes over`,
    teaches:
      `On an HA control plane one ${component} leads (it holds a Lease) and the others wait. Stop the leader and, once its lease expires, ` +
      `another instance takes the Lease and ${work}; the old one comes back as a follower.`,
    faults: [`the ${component} static-pod manifest moved out on the host whose instance holds the Lease`],
    expected: [
      `the leader's ${component} process stops`,
      'another instance holds the Lease within leaseDuration + 4 × retryPeriod (profile timings) of the old leader’s last renewal',
      check,
      'once the manifest is back the old instance runs again and the new leader keeps the Lease',
    ],
    duration: 'about 30 s',
    // With one instance there is nothing to fail over to.
    topologies: ['ha-control-plane'],
  };
}

export interface Leader {
  component: LeaderElectedComponent;
  lease: LeaseRef;
  holder: string;
  host: ProfileHost;
  fault: ManifestMoveFault;
}

/** Who leads now (from the Lease's holderIdentity), on which profile host, and the fault that stops it there. */
export async function findLeader(d: DrillHandle, component: LeaderElectedComponent): Promise<Leader> {
  const lease = leaseOf(d.profile, component);
  const holder = (await readLease(d.target.kube, lease)).spec?.holderIdentity ?? '';
  const host = hostOfHolder(d.profile, holder);
  const fault = stopComponentOn(d.profile, component, host);
  if (!(fault instanceof ManifestMoveFault)) throw new Error(`${d.meta.name} needs ${component} to run as a static pod on ${host.name}`);
  d.observe(`Lease ${component}`, `held by ${holder}: the leader runs on ${host.name}`);
  return { component, lease, holder, host, fault };
}

/** Stops the leader and expects another instance to take the Lease in time; returns the new holder. */
export async function expectTakeover(d: DrillHandle, leader: Leader): Promise<string> {
  const { leaderElectionLeaseDurationSeconds: duration, leaderElectionRetryPeriodSeconds: retry, staticPodStopSeconds } = d.timings;
  const bound = failoverBoundSeconds(d.timings);
  // The watch starts before the stop, so it sees the old leader's last renewal.
  const takeover = d.dryRun
    ? undefined
    : waitForNewLeader({
        kubeconfig: d.target.kube,
        lease: leader.lease,
        oldHolder: leader.holder,
        timeoutMs: (staticPodStopSeconds + bound) * 1000 + 20_000,
        signal: d.signal,
        onObservation: ({ at, text }) => d.observe(`Lease ${leader.component}`, text, at),
      }).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
  await d.inject(leader.fault);
  if (d.skipInDryRun(`another ${leader.component} takes the Lease`) || !takeover) return '';
  const started = performance.now();
  const stoppedMs = await waitForProcess(d.faultContext, leader.host, leader.fault.process, false, staticPodStopSeconds * 1000 + 5_000);
  d.observe('process', `${leader.fault.process} on ${leader.host.name} stopped after ${seconds(stoppedMs)}`);
  const outcome = await takeover;
  if ('error' in outcome) throw outcome.error;
  const next = outcome.value;
  const newHost = hostOfHolder(d.profile, next.holder);
  // Measured on the control plane's own clocks: old leader's last renewTime to the new leader's acquireTime.
  const measured = next.takeoverSeconds ?? (performance.now() - started) / 1000;
  const since = next.takeoverSeconds === undefined ? `the stop began (the last renewal by ${leader.holder} was not seen)` : `the last renewal by ${leader.holder}`;
  d.expect({
    name: `${leader.component} leadership moved`,
    bound: `another instance holds the Lease within ${bound} s of the old leader's last renewal (leaseDuration ${duration} s + retryPeriod ${retry} s + 3 × ${retry} s margin)`,
    measured: `${next.holder} (on ${newHost.name}) acquired it ${measured.toFixed(1)} s after ${since}`,
    ok: newHost.name !== leader.host.name && measured <= bound,
    seconds: measured,
    upperSeconds: bound,
  });
  return next.holder;
}

/** Restores the old leader's manifest (the restore waits for its process) and expects the new leader to keep the Lease. */
export async function expectFollower(d: DrillHandle, leader: Leader, newHolder: string): Promise<void> {
  await d.restore(leader.fault);
  if (d.skipInDryRun(`${leader.component} on ${leader.host.name} runs again as a follower`)) return;
  const { leaderElectionLeaseDurationSeconds: duration, leaderElectionRetryPeriodSeconds: retry } = d.timings;
  // Long enough for the returning instance to try (every retryPeriod) and to have seen a whole lease go by.
  const holdSeconds = duration + retry;
  const last = await leaderHolds({
    kubeconfig: d.target.kube,
    lease: leader.lease,
    holder: newHolder,
    durationMs: holdSeconds * 1000,
    signal: d.signal,
    onObservation: ({ at, text }) => d.observe(`Lease ${leader.component}`, text, at),
  });
  d.expect({
    name: `${leader.component} on ${leader.host.name} back as a follower`,
    bound: `its process runs again and ${holderHostname(newHolder)} keeps the Lease for ${holdSeconds} s`,
    measured: last,
    ok: true,
  });
}
