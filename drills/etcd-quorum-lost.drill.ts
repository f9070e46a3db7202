// Drill (HA): 2 of 3 etcd members stop; without quorum the API stops accepting writes, and both come back with them.
import { performance } from 'node:perf_hooks';
import {
  drill,
  etcdMemberHealthy,
  etcdStatus,
  eventually,
  leaderOf,
  quorumLostBounds,
  waitForProcess,
  type ApiWriteSampler,
  type ConfigMapChange,
  type EtcdMember,
  type ProfileHost,
} from '../src/index.ts';
import { seconds } from './app.ts';
import { etcdMembers, memberStop, requireHealthyEtcd, startWrites, writesTo, type MemberStop } from './etcd-members.ts';

const CONFIGMAP = 'firedrill-etcd-quorum';

drill(
  {
    name: 'etcd-quorum-lost',
    title: 'etcd quorum lost: the API stops accepting writes until it is back',
    teaches:
      'etcd commits only with a majority. With 2 of 3 members gone the last one cannot commit, so the API stops accepting writes (running pods keep running). Bring the members back and quorum, a leader and the API return, with nothing lost.',
    faults: ['two etcd members stopped (manifest moved out, or their service stopped), each on its host; the first control-plane host keeps its member'],
    // The bounds come from the profile's timings: see src/kube/etcd-bounds.ts.
    expected: [
      'a ConfigMap written every second through the load balancer: every write fails from the members’ stop time + 2 s + the election timeout after the second stop on',
      'once both are back: all members healthy with a leader, and writes accepted again within 2 × (stop time + 5 s) + 4 × etcdElectionTimeoutMs + 1 s + 2 s + apiLoadBalancerInSeconds',
    ],
    duration: 'about 45 s',
    // On a single control plane there is no quorum to lose: that is etcd-down.
    topologies: ['ha-control-plane'],
  },
  (d) => {
    let members: EtcdMember[];
    let stopped: MemberStop[];
    let keeper: ProfileHost;
    let bounds: ReturnType<typeof quorumLostBounds>;
    let writes: ConfigMapChange;
    let sampler: ApiWriteSampler | undefined;
    let lostAt: Date;

    before(async () => {
      const found = etcdMembers(d);
      members = found.members;
      keeper = found.first;
      if (members.length !== 3) throw new Error(`etcd-quorum-lost is written for 3 members (it stops 2); etcdSnapshot.members lists ${members.length}`);
      if (!d.dryRun) await requireHealthyEtcd(d, keeper, members);
      stopped = members.filter((member) => member.host !== keeper.name).map((member) => memberStop(d, member));
      bounds = quorumLostBounds(d.timings, Math.max(...stopped.map((entry) => entry.stopSeconds)), stopped.length);
      writes = writesTo(d, CONFIGMAP);
      await d.preflight(...stopped.map((entry) => entry.fault), writes);
    });

    after(async () => {
      await sampler?.stop();
    });

    it('with 2 of 3 members stopped, writes through the API fail', async () => {
      sampler = await startWrites(d, writes);
      for (const { fault } of stopped) await d.inject(fault);
      lostAt = new Date();
      if (d.skipInDryRun('writes fail') || !sampler) return;
      const { writesFailWithin, writeWindow } = bounds;
      for (const { host, process, stopSeconds } of stopped) await waitForProcess(d.faultContext, host, process, false, stopSeconds * 1000 + 10_000);
      await sampler.runUntil(new Date(lostAt.getTime() + writeWindow * 1000), d.signal);
      const { samples, failed, failingSince } = sampler.summary(lostAt);
      const sinceS = failingSince ? (failingSince.at.getTime() - lostAt.getTime()) / 1000 : undefined;
      d.expect({
        name: 'writes fail without quorum',
        bound: `every write from ${writesFailWithin} s after the second stop fails (${writeWindow} s sampled, one a second; stop time + 2 sample intervals + election timeout ${d.timings.etcdElectionTimeoutMs} ms)`,
        measured:
          sinceS === undefined
            ? `the last write succeeded (${failed} of ${samples} failed)`
            : `every write failed from ${Math.max(0, sinceS).toFixed(1)} s on (${failed} of ${samples}; ${failingSince?.error ?? ''})`,
        ok: sinceS !== undefined && sinceS <= writesFailWithin,
        seconds: sinceS,
        upperSeconds: writesFailWithin,
      });
    });

    it('after the restore quorum and the API come back', async () => {
      await sampler?.stop();
      const started = performance.now();
      for (const { fault } of [...stopped].reverse()) await d.restore(fault);
      if (d.skipInDryRun('quorum and the API come back') || !sampler) return;
      const api = sampler;
      const { apiBackWithin } = bounds;
      await eventually(
        async () => {
          for (const { member } of stopped) if (!(await etcdMemberHealthy(d.faultContext, d.profile, keeper, member))) throw new Error(`${member.name} does not answer endpoint health`);
          if (!leaderOf(await etcdStatus(d.faultContext, d.profile, keeper, members), members)) throw new Error('no etcd member leads');
        },
        { description: 'every etcd member healthy, with a leader', timeoutMs: apiBackWithin * 1000, intervalMs: 200, maxIntervalMs: 1_000, signal: d.signal },
      );
      const quorumS = (performance.now() - started) / 1000;
      d.observe('etcd', `quorum back: all ${members.length} members healthy with a leader ${quorumS.toFixed(1)} s after the restore began`);
      await eventually(() => api.writeOnce(), { description: 'a write through the API accepted', timeoutMs: apiBackWithin * 1000 + 15_000, intervalMs: 200, maxIntervalMs: 1_000, attemptTimeoutMs: 3_000, signal: d.signal });
      const backS = (performance.now() - started) / 1000;
      d.expect({
        name: 'quorum and writes back',
        bound: `all members healthy with a leader, and a write accepted, within ${apiBackWithin} s of the restore (${stopped.length} × (start + 5 s of restore checks) + election bound + 2 s etcd health check + balancer in ${d.timings.apiLoadBalancerInSeconds} s)`,
        measured: `quorum after ${seconds(quorumS * 1000)}, a write accepted after ${seconds(backS * 1000)}`,
        ok: backS <= apiBackWithin,
        seconds: backS,
        upperSeconds: apiBackWithin,
      });
    });
  },
);
