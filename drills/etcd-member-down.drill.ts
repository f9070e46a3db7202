// Drill (HA): the etcd leader stops; the other members elect a new leader and the API keeps accepting writes.
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
 * etcd's default --election-timeout is 1 s: followers campaign 1–2 s after the last heartbeat (and a member stopped
 * gracefully hands leadership over first). 5 s leaves room for a split vote and the etcdctl round trips.
 */
const ELECTION_WITHIN_S = 5;
/**
 * The API server beside the stopped member talks only to it (stacked etcd), so writes routed to it fail until the
 * load balancer's health checks take it out (kubeadm's guide: every second, out after 2 failures; /healthz fails
 * once its etcd check times out, 2 s): writes must succeed again within this many seconds of the stop.
 */
const WRITES_BACK_WITHIN_S = 10;
/** How long writes are sampled after the stop. */
const WRITE_WINDOW_S = 15;
const REJOIN_WITHIN_S = 30;
const CONFIGMAP = 'firedrill-etcd-writes';

drill(
  {
    name: 'etcd-member-down',
    title: 'etcd leader stopped: the other members carry on',
    teaches:
      'A 3-member etcd keeps quorum with one member gone: the others elect a new leader within an election timeout and the API keeps accepting writes (those routed to the API server beside the stopped member fail until the load balancer takes it out). The member rejoins and catches up when it returns.',
    faults: ['the etcd member that leads stopped (manifest moved out, or its service stopped) on its host'],
    expected: [
      `another member leads within ${ELECTION_WITHIN_S} s`,
      `a ConfigMap written every second through the load balancer: writes succeed again within ${WRITES_BACK_WITHIN_S} s of the stop and keep succeeding`,
      `once back, the member answers endpoint health within ${REJOIN_WITHIN_S} s`,
    ],
    duration: 'about 40 s',
    // On a single control plane this is etcd-down: no quorum is left.
    topologies: ['ha-control-plane'],
  },
  (d) => {
    let members: EtcdMember[];
    let leader: EtcdMember;
    let leaderHost: ProfileHost;
    let askFrom: ProfileHost;
    let stop: Fault;
    let process: string;
    let writes: ConfigMapChange;
    let sampler: ApiWriteSampler | undefined;
    let stoppedAt: Date;

    before(async () => {
      members = etcdMembersOf(d.profile).members;
      const first = controlPlaneHosts(d.profile)[0];
      if (!first) throw new Error(`profile ${d.profile.name} has no control-plane host`);
      if (d.dryRun) {
        // Nothing is asked in a dry run: the commands are shown for the first member.
        leader = members[0] as EtcdMember;
        d.observe('dry-run', `would ask etcdctl endpoint status on ${first.name} and stop the leading member; shown for ${leader.name}`);
      } else {
        const statuses = await etcdStatus(d.faultContext, d.profile, first, members);
        const found = leaderOf(statuses, members);
        if (!found) throw new Error(`no etcd member leads (etcdctl endpoint status: ${JSON.stringify(statuses)}): the cluster is not healthy, refusing to stop a member`);
        if (statuses.length < members.length) throw new Error(`only ${statuses.length} of ${members.length} etcd members answer: stopping one more could lose quorum, refusing`);
        leader = found;
      }
      leaderHost = hostByName(d.profile, leader.host);
      const other = controlPlaneHosts(d.profile).find((host) => host.name !== leaderHost.name);
      if (!other) throw new Error('no other control-plane host to ask etcd from');
      askFrom = other;
      const how = componentOn(d.profile, leaderHost, 'etcd');
      process = how.kind === 'static-pod' ? how.process : 'etcd';
      stop = stopComponentOn(d.profile, 'etcd', leaderHost);
      writes = new ConfigMapChange(requireApp(d).namespace, CONFIGMAP, { beat: '0' });
      d.observe('etcd', `${leader.name} on ${leaderHost.name} leads`);
      await d.preflight(stop, writes);
    });

    after(async () => {
      await sampler?.stop();
    });

    it('the other members elect a new leader', async () => {
      await d.inject(writes);
      if (!d.dryRun) {
        sampler = new ApiWriteSampler(d.target.kube, writes.namespace, writes.configMap);
        sampler.start();
      }
      await d.inject(stop);
      const started = performance.now();
      stoppedAt = new Date();
      if (d.skipInDryRun('another etcd member leads')) return;
      await waitForProcess(d.faultContext, leaderHost, process, false, d.timings.staticPodStopSeconds * 1000 + 10_000);
      const survivors = members.filter((member) => member !== leader);
      const { value: next } = await eventually(
        async () => {
          const now = leaderOf(await etcdStatus(d.faultContext, d.profile, askFrom, survivors), survivors);
          if (!now) throw new Error('no surviving member reports a leader');
          return now;
        },
        { description: `another etcd member than ${leader.name} leads`, timeoutMs: ELECTION_WITHIN_S * 1000 + 15_000, intervalMs: 200, maxIntervalMs: 500, signal: d.signal },
      );
      const elapsed = (performance.now() - started) / 1000;
      d.expect({
        name: 'new etcd leader',
        bound: `another member leads within ${ELECTION_WITHIN_S} s of the stop`,
        measured: `${next.name} leads, seen ${seconds(elapsed * 1000)} after the stop (the process is gone, asked from ${askFrom.name})`,
        ok: elapsed <= ELECTION_WITHIN_S,
        seconds: elapsed,
        upperSeconds: ELECTION_WITHIN_S,
      });
    });

    it('the API keeps accepting writes through the load balancer', async () => {
      if (d.skipInDryRun('writes keep succeeding') || !sampler) return;
      await sampler.runUntil(new Date(stoppedAt.getTime() + WRITE_WINDOW_S * 1000), d.signal);
      const { samples, failed, lastFailure } = sampler.summary(stoppedAt);
      const lastFailureS = lastFailure ? (lastFailure.at.getTime() - stoppedAt.getTime()) / 1000 : 0;
      d.expect({
        name: 'writes accepted with a member down',
        bound: `every write after ${WRITES_BACK_WITHIN_S} s of the stop succeeds (${WRITE_WINDOW_S} s sampled, one a second)`,
        measured: lastFailure
          ? `${failed} of ${samples} writes failed, the last ${lastFailureS.toFixed(1)} s after the stop (${lastFailure.error ?? 'error'})`
          : `all ${samples} writes succeeded`,
        ok: samples > 0 && lastFailureS <= WRITES_BACK_WITHIN_S,
        seconds: lastFailureS,
        upperSeconds: WRITES_BACK_WITHIN_S,
      });
    });

    it('after the restore the member rejoins and is healthy', async () => {
      await sampler?.stop();
      await d.restore(stop);
      if (d.skipInDryRun(`${leader.name} is healthy again`)) return;
      const { elapsedMs } = await eventually(
        async () => {
          if (!(await etcdMemberHealthy(d.faultContext, d.profile, askFrom, leader))) throw new Error(`${leader.name} does not answer endpoint health`);
        },
        { description: `${leader.name} healthy`, timeoutMs: REJOIN_WITHIN_S * 1000 + 10_000, intervalMs: 200, maxIntervalMs: 1_000, signal: d.signal },
      );
      const all = await etcdStatus(d.faultContext, d.profile, askFrom, members);
      d.expect({
        name: 'member rejoined',
        bound: `${leader.name} healthy within ${REJOIN_WITHIN_S} s of running again, all ${members.length} members answering`,
        measured: `healthy after ${seconds(elapsedMs)}; ${all.length} of ${members.length} members answer, ${leaderOf(all, members)?.name ?? 'none'} leads`,
        ok: elapsedMs <= REJOIN_WITHIN_S * 1000 && all.length === members.length,
        seconds: elapsedMs / 1000,
        upperSeconds: REJOIN_WITHIN_S,
      });
    });
  },
);
