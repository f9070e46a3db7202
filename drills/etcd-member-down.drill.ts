// Drill (HA): the etcd leader stops; the other members elect a new leader and the API keeps accepting writes.
import { performance } from 'node:perf_hooks';
import {
  controlPlaneHosts,
  drill,
  etcdMemberHealthy,
  etcdStatus,
  eventually,
  leaderOf,
  memberDownBounds,
  waitForProcess,
  type ApiWriteSampler,
  type ConfigMapChange,
  type EtcdMember,
  type ProfileHost,
} from '../src/index.ts';
import { seconds } from './app.ts';
import { etcdMembers, memberStop, requireHealthyEtcd, startWrites, writesTo, type MemberStop } from './etcd-members.ts';

const CONFIGMAP = 'firedrill-etcd-writes';

drill(
  {
    name: 'etcd-member-down',
    title: 'etcd leader stopped: the other members carry on',
    teaches:
      'A 3-member etcd keeps quorum with one member gone: the others elect a new leader within an election timeout and the API keeps accepting writes (those routed to the API server beside the stopped member fail until the load balancer takes it out). The member rejoins and catches up when it returns.',
    faults: ['the etcd member that leads stopped (manifest moved out, or its service stopped) on its host'],
    // The bounds come from the profile's timings: see src/kube/etcd-bounds.ts.
    expected: [
      'another member leads within the member’s stop time + 4 × etcdElectionTimeoutMs + 1 s of the stop',
      'a ConfigMap written every second through the load balancer: writes succeed again within that + the API server’s etcd health-check timeout (2 s) + apiLoadBalancerOutSeconds + 1 s of the stop, and keep succeeding',
      'once back, the member answers endpoint health within 2 × (4 × etcdElectionTimeoutMs + 1 s)',
    ],
    duration: 'about 40 s',
    // On a single control plane this is etcd-down: no quorum is left.
    topologies: ['ha-control-plane'],
  },
  (d) => {
    let members: EtcdMember[];
    let leader: MemberStop;
    let askFrom: ProfileHost;
    let bounds: ReturnType<typeof memberDownBounds>;
    let writes: ConfigMapChange;
    let sampler: ApiWriteSampler | undefined;
    let stoppedAt: Date;

    before(async () => {
      const found = etcdMembers(d);
      members = found.members;
      if (d.dryRun) {
        // Nothing is asked in a dry run: the commands are shown for the first member.
        leader = memberStop(d, members[0] as EtcdMember);
        d.observe('dry-run', `would ask etcdctl endpoint status on ${found.first.name} and stop the leading member; shown for ${leader.member.name}`);
      } else {
        leader = memberStop(d, await requireHealthyEtcd(d, found.first, members));
      }
      const other = controlPlaneHosts(d.profile).find((host) => host.name !== leader.host.name);
      if (!other) throw new Error('no other control-plane host to ask etcd from');
      askFrom = other;
      bounds = memberDownBounds(d.timings, leader.stopSeconds);
      writes = writesTo(d, CONFIGMAP);
      d.observe('etcd', `${leader.member.name} on ${leader.host.name} leads`);
      await d.preflight(leader.fault, writes);
    });

    after(async () => {
      await sampler?.stop();
    });

    it('the other members elect a new leader', async () => {
      sampler = await startWrites(d, writes);
      await d.inject(leader.fault);
      const started = performance.now();
      stoppedAt = new Date();
      if (d.skipInDryRun('another etcd member leads')) return;
      await waitForProcess(d.faultContext, leader.host, leader.process, false, leader.stopSeconds * 1000 + 10_000);
      const survivors = members.filter((member) => member !== leader.member);
      const { value: next } = await eventually(
        async () => {
          const now = leaderOf(await etcdStatus(d.faultContext, d.profile, askFrom, survivors), survivors);
          if (!now) throw new Error('no surviving member reports a leader');
          return now;
        },
        { description: `another etcd member than ${leader.member.name} leads`, timeoutMs: bounds.electionWithin * 1000 + 15_000, intervalMs: 200, maxIntervalMs: 500, signal: d.signal },
      );
      const elapsed = (performance.now() - started) / 1000;
      d.expect({
        name: 'new etcd leader',
        bound: `another member leads within ${bounds.electionWithin} s of the stop (stop ${leader.stopSeconds} s + 4 × election timeout ${d.timings.etcdElectionTimeoutMs} ms + 1 s)`,
        measured: `${next.name} leads, seen ${seconds(elapsed * 1000)} after the stop (the process is gone, asked from ${askFrom.name})`,
        ok: elapsed <= bounds.electionWithin,
        seconds: elapsed,
        upperSeconds: bounds.electionWithin,
      });
    });

    it('the API keeps accepting writes through the load balancer', async () => {
      if (d.skipInDryRun('writes keep succeeding') || !sampler) return;
      const { writesBackWithin, writeWindow } = bounds;
      await sampler.runUntil(new Date(stoppedAt.getTime() + writeWindow * 1000), d.signal);
      const { samples, failed, lastFailure } = sampler.summary(stoppedAt);
      const lastFailureS = lastFailure ? (lastFailure.at.getTime() - stoppedAt.getTime()) / 1000 : 0;
      d.expect({
        name: 'writes accepted with a member down',
        bound: `every write after ${writesBackWithin} s of the stop succeeds (${writeWindow} s sampled, one a second; new leader bound + 2 s etcd health check + balancer out ${d.timings.apiLoadBalancerOutSeconds} s + 1 s)`,
        measured: lastFailure
          ? `${failed} of ${samples} writes failed, the last ${lastFailureS.toFixed(1)} s after the stop (${lastFailure.error ?? 'error'})`
          : `all ${samples} writes succeeded`,
        ok: samples > 0 && lastFailureS <= writesBackWithin,
        seconds: lastFailureS,
        upperSeconds: writesBackWithin,
      });
    });

    it('after the restore the member rejoins and is healthy', async () => {
      await sampler?.stop();
      await d.restore(leader.fault);
      if (d.skipInDryRun(`${leader.member.name} is healthy again`)) return;
      const { rejoinWithin } = bounds;
      const { elapsedMs } = await eventually(
        async () => {
          if (!(await etcdMemberHealthy(d.faultContext, d.profile, askFrom, leader.member))) throw new Error(`${leader.member.name} does not answer endpoint health`);
        },
        { description: `${leader.member.name} healthy`, timeoutMs: rejoinWithin * 1000 + 10_000, intervalMs: 200, maxIntervalMs: 1_000, signal: d.signal },
      );
      const all = await etcdStatus(d.faultContext, d.profile, askFrom, members);
      d.expect({
        name: 'member rejoined',
        bound: `${leader.member.name} healthy within ${rejoinWithin} s of running again (2 × the election bound), all ${members.length} members answering`,
        measured: `healthy after ${seconds(elapsedMs)}; ${all.length} of ${members.length} members answer, ${leaderOf(all, members)?.name ?? 'none'} leads`,
        ok: elapsedMs <= rejoinWithin * 1000 && all.length === members.length,
        seconds: elapsedMs / 1000,
        upperSeconds: rejoinWithin,
      });
    });
  },
);
