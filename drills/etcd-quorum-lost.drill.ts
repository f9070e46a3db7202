// Drill (HA): 2 of 3 etcd members stop; without quorum the API stops accepting writes, and both come back with them.
import { performance } from 'node:perf_hooks';
import {
  ApiWriteSampler,
  componentOn,
  ConfigMapChange,
  controlPlaneHosts,
  drill,
  etcdMemberHealthy,
  etcdMembersOf,
  etcdStatus,
  eventually,
  hostByName,
  leaderOf,
  stopComponentOn,
  waitForProcess,
  type EtcdMember,
  type Fault,
  type ProfileHost,
} from '../src/index.ts';
import { requireApp, seconds } from './app.ts';

/**
 * Without quorum nothing commits: a write hangs (counted as failed after 2 s) or, once the load balancer's health
 * checks took every API server out (their /healthz checks etcd), is refused. Every write from this long after the
 * second stop on must fail.
 */
const WRITES_FAIL_WITHIN_S = 5;
/** Writes are sampled this long after the second stop. */
const WRITE_WINDOW_S = 12;
/** Members back, they elect a leader within an election timeout; API servers reconnect and the balancer sees them healthy. */
const API_BACK_WITHIN_S = 45;
const CONFIGMAP = 'firedrill-etcd-quorum';

drill(
  {
    name: 'etcd-quorum-lost',
    title: 'etcd quorum lost: the API stops accepting writes until it is back',
    teaches:
      'etcd commits only with a majority. With 2 of 3 members gone the last one cannot commit, so the API stops accepting writes (running pods keep running). Bring the members back and quorum, a leader and the API return, with nothing lost.',
    faults: ['two etcd members stopped (manifest moved out, or their service stopped), each on its host; the first control-plane host keeps its member'],
    expected: [
      `a ConfigMap written every second through the load balancer: every write fails from ${WRITES_FAIL_WITHIN_S} s after the second stop on`,
      `once both are back: all members healthy with a leader, and writes accepted again within ${API_BACK_WITHIN_S} s`,
    ],
    duration: 'about 45 s',
    // On a single control plane there is no quorum to lose: that is etcd-down.
    topologies: ['ha-control-plane'],
  },
  (d) => {
    let members: EtcdMember[];
    let stopped: { member: EtcdMember; host: ProfileHost; process: string; fault: Fault }[];
    let keeper: ProfileHost;
    let writes: ConfigMapChange;
    let sampler: ApiWriteSampler | undefined;
    let lostAt: Date;

    before(async () => {
      members = etcdMembersOf(d.profile).members;
      const first = controlPlaneHosts(d.profile)[0];
      if (!first) throw new Error(`profile ${d.profile.name} has no control-plane host`);
      keeper = first;
      if (members.length !== 3) throw new Error(`etcd-quorum-lost is written for 3 members (it stops 2); etcdSnapshot.members lists ${members.length}`);
      if (!d.dryRun) {
        const statuses = await etcdStatus(d.faultContext, d.profile, keeper, members);
        if (statuses.length < members.length || !leaderOf(statuses, members)) {
          throw new Error(`etcd is not healthy before the drill (${statuses.length} of ${members.length} members answer, leader: ${leaderOf(statuses, members)?.name ?? 'none'}): refusing`);
        }
      }
      stopped = members
        .filter((member) => member.host !== keeper.name)
        .map((member) => {
          const host = hostByName(d.profile, member.host);
          const how = componentOn(d.profile, host, 'etcd');
          return { member, host, process: how.kind === 'static-pod' ? how.process : 'etcd', fault: stopComponentOn(d.profile, 'etcd', host) };
        });
      writes = new ConfigMapChange(requireApp(d).namespace, CONFIGMAP, { beat: '0' });
      await d.preflight(...stopped.map((entry) => entry.fault), writes);
    });

    after(async () => {
      await sampler?.stop();
    });

    it('with 2 of 3 members stopped, writes through the API fail', async () => {
      await d.inject(writes);
      if (!d.dryRun) {
        sampler = new ApiWriteSampler(d.target.kube, writes.namespace, writes.configMap);
        sampler.start();
      }
      for (const { fault } of stopped) await d.inject(fault);
      lostAt = new Date();
      if (d.skipInDryRun('writes fail') || !sampler) return;
      for (const { host, process } of stopped) await waitForProcess(d.faultContext, host, process, false, d.timings.staticPodStopSeconds * 1000 + 10_000);
      await sampler.runUntil(new Date(lostAt.getTime() + WRITE_WINDOW_S * 1000), d.signal);
      const { samples, failed, failingSince } = sampler.summary(lostAt);
      const sinceS = failingSince ? (failingSince.at.getTime() - lostAt.getTime()) / 1000 : undefined;
      d.expect({
        name: 'writes fail without quorum',
        bound: `every write from ${WRITES_FAIL_WITHIN_S} s after the second stop fails (${WRITE_WINDOW_S} s sampled, one a second)`,
        measured:
          sinceS === undefined
            ? `the last write succeeded (${failed} of ${samples} failed)`
            : `every write failed from ${Math.max(0, sinceS).toFixed(1)} s on (${failed} of ${samples}; ${failingSince?.error ?? ''})`,
        ok: sinceS !== undefined && sinceS <= WRITES_FAIL_WITHIN_S,
        seconds: sinceS,
        upperSeconds: WRITES_FAIL_WITHIN_S,
      });
    });

    it('after the restore quorum and the API come back', async () => {
      await sampler?.stop();
      const started = performance.now();
      for (const { fault } of [...stopped].reverse()) await d.restore(fault);
      if (d.skipInDryRun('quorum and the API come back') || !sampler) return;
      const api = sampler;
      await eventually(
        async () => {
          for (const { member } of stopped) if (!(await etcdMemberHealthy(d.faultContext, d.profile, keeper, member))) throw new Error(`${member.name} does not answer endpoint health`);
          if (!leaderOf(await etcdStatus(d.faultContext, d.profile, keeper, members), members)) throw new Error('no etcd member leads');
        },
        { description: 'every etcd member healthy, with a leader', timeoutMs: API_BACK_WITHIN_S * 1000, intervalMs: 200, maxIntervalMs: 1_000, signal: d.signal },
      );
      const quorumS = (performance.now() - started) / 1000;
      d.observe('etcd', `quorum back: all ${members.length} members healthy with a leader ${quorumS.toFixed(1)} s after the restore began`);
      await eventually(() => api.writeOnce(), { description: 'a write through the API accepted', timeoutMs: API_BACK_WITHIN_S * 1000 + 15_000, intervalMs: 200, maxIntervalMs: 1_000, attemptTimeoutMs: 3_000, signal: d.signal });
      const backS = (performance.now() - started) / 1000;
      d.expect({
        name: 'quorum and writes back',
        bound: `all members healthy with a leader, and a write accepted, within ${API_BACK_WITHIN_S} s of the restore`,
        measured: `quorum after ${seconds(quorumS * 1000)}, a write accepted after ${seconds(backS * 1000)}`,
        ok: backS <= API_BACK_WITHIN_S,
        seconds: backS,
        upperSeconds: API_BACK_WITHIN_S,
      });
    });
  },
);
