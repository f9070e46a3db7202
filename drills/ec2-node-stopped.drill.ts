// Drill: the EC2 instance behind a worker is stopped. The node goes NotReady after the grace period; once the instance
// runs again, the node comes back Ready.
import type { V1Node } from '@kubernetes/client-node';
import { drill, Ec2InstanceStopFault, isNodeReady, nodeName, waitForObjects, watchHeartbeats, type HeartbeatWatch } from '../src/index.ts';
import { busiestWorker, seconds } from './app.ts';
import { expectNotReadyAfterGrace, nodeWatch, readiness } from './node-readiness.ts';

/** How long a started instance may take to boot and its kubelet to post Ready (EC2 boots take minutes at worst). */
const BOOT_ALLOWANCE_S = 300;

drill(
  {
    name: 'ec2-node-stopped',
    topologies: ['single-control-plane', 'ha-control-plane'],
    title: 'EC2 node stopped: NotReady after the grace period, Ready again after it starts',
    teaches:
      'To Kubernetes, a machine that stops is a node whose heartbeats stop: nothing tells the control plane the instance is gone, it waits the node-monitor grace period like for a stopped kubelet. When the instance starts again, its kubelet registers heartbeats and the node is Ready again under the same name.',
    faults: ['the EC2 instance behind one worker stopped (ec2:StopInstances)'],
    expected: [
      'the node goes NotReady no earlier than the node-monitor grace period after its last heartbeat, and within it plus the monitor period and a small margin',
      'once the instance runs again, the node is Ready again',
    ],
    duration: 'about 30 seconds on the lab; minutes on AWS (stop and boot)',
    affects: 'one-worker',
    // A stopped instance may come back with another public IP, and loses its instance-store data.
    destructive: true,
  },
  (d) => {
    let fault: Ec2InstanceStopFault;
    let node: string;
    let heartbeats: HeartbeatWatch | undefined;

    before(async () => {
      const host = await busiestWorker(d);
      node = nodeName(host);
      fault = new Ec2InstanceStopFault(host);
      await d.preflight(fault);
      d.observe('ec2', `${node} runs on instance ${fault.instanceId}`);
      if (!d.dryRun) heartbeats = watchHeartbeats(d.target.kube, node, d.signal);
    });

    after(() => heartbeats?.stop());

    it('the node goes NotReady after the grace period once its instance stops', async () => {
      const stoppedAt = new Date();
      await d.inject(fault);
      if (d.skipInDryRun(`${node} goes NotReady`)) return;
      await expectNotReadyAfterGrace(d, node, heartbeats, stoppedAt, 'instance stop');
    });

    it('after the instance starts again the node is Ready', async () => {
      await d.restore(fault);
      if (d.skipInDryRun(`${node} Ready again`)) return;
      const ready = await waitForObjects<V1Node>({
        ...nodeWatch(d, node),
        description: `${node} Ready`,
        timeoutMs: BOOT_ALLOWANCE_S * 1000,
        until: ([seen]) => !!seen && isNodeReady(seen),
        describe: readiness(node),
      });
      d.expect({
        name: 'node Ready after the instance runs',
        bound: `Ready within ${BOOT_ALLOWANCE_S} s of the instance running`,
        measured: `Ready after ${seconds(ready.elapsedMs)}`,
        ok: ready.elapsedMs <= BOOT_ALLOWANCE_S * 1000,
        seconds: ready.elapsedMs / 1000,
        upperSeconds: BOOT_ALLOWANCE_S,
      });
    });
  },
);
