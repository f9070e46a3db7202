// Drill (HA): the leading kube-scheduler stops; a standby takes its Lease and new pods are still scheduled.
import type { V1Pod } from '@kubernetes/client-node';
import { describePods, drill, isRunning, ScaleDeploymentChange, waitForObjects } from '../src/index.ts';
import { appPods, requireApp, seconds } from './app.ts';
import { expectFollower, expectTakeover, failoverMeta, findLeader, type Leader } from './leader-failover.ts';

const EXTRA = 2;
/** Scheduling by the new leader: its informers sync, then a few pods are bound and kwok-fast to Running. */
const SCHEDULED_WITHIN_S = 20;

drill(failoverMeta('kube-scheduler', 'schedules new pods', `the app scaled up by ${EXTRA}: the new pods are scheduled and Running within ${SCHEDULED_WITHIN_S} s`), (d) => {
  let leader: Leader;
  let scale: ScaleDeploymentChange;
  let newHolder = '';

  before(async () => {
    leader = await findLeader(d, 'kube-scheduler');
    const { namespace, deployment } = requireApp(d);
    scale = new ScaleDeploymentChange(namespace, deployment, { by: EXTRA });
    await d.preflight(leader.fault, scale);
  });

  it('another scheduler takes the Lease once the leader stops', async () => {
    newHolder = await expectTakeover(d, leader);
  });

  it('scheduling continues: scaled-up pods are scheduled', async () => {
    await d.inject(scale);
    if (d.skipInDryRun('the new pods are scheduled')) return;
    const running = await waitForObjects<V1Pod>({
      ...appPods(d),
      description: `${scale.replicas} pods Running`,
      timeoutMs: SCHEDULED_WITHIN_S * 1000 + 10_000,
      until: (pods) => pods.filter(isRunning).length >= scale.replicas,
      describe: describePods,
    });
    const elapsed = running.elapsedMs / 1000;
    d.expect({
      name: 'pods scheduled by the new leader',
      bound: `${scale.replicas} pods Running within ${SCHEDULED_WITHIN_S} s of the scale-up`,
      measured: `${scale.replicas} Running after ${seconds(running.elapsedMs)}`,
      ok: elapsed <= SCHEDULED_WITHIN_S,
      seconds: elapsed,
      upperSeconds: SCHEDULED_WITHIN_S,
    });
  });

  it('after the restore the old scheduler runs again as a follower', async () => {
    await expectFollower(d, leader, newHolder);
  });
});
