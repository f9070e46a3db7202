// Drill (HA): the leading kube-controller-manager stops; a standby takes its Lease and a deleted pod is replaced.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { describePods, drill, isRunning, isTerminating, podName, waitForObjects } from '../src/index.ts';
import { appPods, requireApp, seconds } from './app.ts';
import { expectFollower, expectTakeover, failoverMeta, findLeader, type Leader } from './leader-failover.ts';

drill(failoverMeta('kube-controller-manager', 'reconciles', 'a deleted app pod is replaced by its ReplicaSet (Running within podStartSeconds)'), (d) => {
  let leader: Leader;
  let newHolder = '';

  before(async () => {
    leader = await findLeader(d, 'kube-controller-manager');
    requireApp(d);
    await d.preflight(leader.fault);
  });

  it('another controller-manager takes the Lease once the leader stops', async () => {
    newHolder = await expectTakeover(d, leader);
  });

  it('reconciling continues: a deleted pod is replaced', async () => {
    if (d.skipInDryRun('a deleted pod is replaced')) return;
    const { namespace, selector } = requireApp(d);
    const core = d.target.kube.makeApiClient(CoreV1Api);
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter((pod) => !isTerminating(pod));
    const victim = pods[0];
    if (!victim) throw new Error(`no app pod to delete in namespace ${namespace}`);
    const before = new Set(pods.map(podName));
    // Reconciling by the new leader: its controllers have synced, the ReplicaSet controller creates the pod, it starts.
    const within = d.timings.podStartSeconds;
    d.faultContext.announceApiChange('delete', `pod/${namespace}/${podName(victim)}`, 'its ReplicaSet must replace it (no restore needed)');
    await core.deleteNamespacedPod({ namespace, name: podName(victim) });
    const replaced = await waitForObjects<V1Pod>({
      ...appPods(d),
      description: `a new pod Running in place of ${podName(victim)}`,
      timeoutMs: within * 1000 + 10_000,
      until: (now) => now.some((pod) => !before.has(podName(pod)) && isRunning(pod)) && now.filter((pod) => !isTerminating(pod)).length >= pods.length,
      describe: describePods,
    });
    const elapsed = replaced.elapsedMs / 1000;
    d.expect({
      name: 'deleted pod replaced under the new leader',
      bound: `a replacement Running within ${within} s of the deletion (podStartSeconds)`,
      measured: `${replaced.objects.find((pod) => !before.has(podName(pod)) && isRunning(pod))?.metadata?.name} Running after ${seconds(replaced.elapsedMs)}`,
      ok: elapsed <= within,
      seconds: elapsed,
      upperSeconds: within,
    });
  });

  it('after the restore the old controller-manager runs again as a follower', async () => {
    await expectFollower(d, leader, newHolder);
  });
});
