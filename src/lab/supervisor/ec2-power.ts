// The lab's cloud: each host is an instance in the EC2 API emulator, and its power follows the instance. Stopping
// (or terminating) the instance stops the host's kubelet; starting it again starts the kubelet, as a reboot would.
import { writeFileSync } from 'node:fs';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { waitForEc2Emulator } from '../ec2-emulator.ts';
import type { LabHost } from '../topology.ts';

export interface Ec2PowerOptions {
  endpoint: string;
  region: string;
  zone: string;
  hosts: LabHost[];
  /** Where host name → instance ID is written once every host has its instance. */
  instancesFile: string;
  power: (host: string, on: boolean) => Promise<void>;
  log: (message: string) => void;
}

const POLL_MS = 500;
/** moto accepts any AMI ID that looks like one. */
const IMAGE_ID = 'ami-12c6146b';
const OFF = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);

export async function startEc2Power(options: Ec2PowerOptions): Promise<{ stop(): void }> {
  const ec2 = new EC2Client({ region: options.region, endpoint: options.endpoint, credentials: { accessKeyId: 'lab', secretAccessKey: 'lab' }, maxAttempts: 1 });
  await waitForEc2Emulator(options.endpoint);
  const instances = new Map<string, string>();
  for (const host of options.hosts) {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: IMAGE_ID,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.medium',
        Placement: { AvailabilityZone: options.zone },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: host.name }, { Key: 'firedrill-lab-host', Value: host.name }] }],
      }),
    );
    instances.set(run.Instances?.[0]?.InstanceId ?? '', host.name);
  }
  writeFileSync(options.instancesFile, JSON.stringify(Object.fromEntries([...instances].map(([id, host]) => [host, id])), null, 2) + '\n');
  options.log(`ec2: ${instances.size} instances running in the EC2 API at ${options.endpoint}`);

  const powered = new Map([...instances.values()].map((host) => [host, true]));
  let stopped = false;
  const poll = async () => {
    const result = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [...instances.keys()] }));
    for (const instance of result.Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? []) {
      const host = instances.get(instance.InstanceId ?? '');
      if (!host) continue;
      const on = !OFF.has(instance.State?.Name ?? '');
      if (on === powered.get(host)) continue;
      powered.set(host, on);
      options.log(`ec2: instance ${instance.InstanceId} of ${host} is ${instance.State?.Name}: kubelet ${on ? 'starts' : 'stops'}`);
      await options.power(host, on);
    }
  };
  const loop = async () => {
    while (!stopped) {
      await poll().catch((error: Error) => options.log(`ec2: ${error.message}`));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  void loop();
  return { stop: () => (stopped = true) };
}

