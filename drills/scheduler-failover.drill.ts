// Drill (HA): the leading kube-scheduler stops; a standby takes its Lease and new pods are still scheduled.
import type { V1Pod } from '@kubernetes/client-node';
import { describePods, drill, isRunning, ScaleDeploymentChange, waitForObjects } from '../src/index.ts';
import { appPods, requireApp, seconds } from './app.ts';
import { expectFollower, expectTakeover, failoverMeta, findLeader, type Leader } from './leader-failover.ts';

const EXTRA = 2;

drill(failoverMeta('kube-scheduler', 'schedules new pods', `the app scaled up by ${EXTRA}: the new pods are scheduled and Running within podStartSeconds`), (d) => {
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
    // Scheduling by the new leader: its informers have synced, the pods are bound, then they start.
    const within = d.timings.podStartSeconds;
    const running = await waitForObjects<V1Pod>({
      ...appPods(d),
      description: `${scale.replicas} pods Running`,
      timeoutMs: within * 1000 + 10_000,
      until: (pods) => pods.filter(isRunning).length >= scale.replicas,
      describe: describePods,
    });
    const elapsed = running.elapsedMs / 1000;
    d.expect({
      name: 'pods scheduled by the new leader',
      bound: `${scale.replicas} pods Running within ${within} s of the scale-up (podStartSeconds)`,
      measured: `${scale.replicas} Running after ${seconds(running.elapsedMs)}`,
      ok: elapsed <= within,
      seconds: elapsed,
      upperSeconds: within,
    });
  });

  it('after the restore the old scheduler runs again as a follower', async () => {
    await expectFollower(d, leader, newHolder);
  });
});
