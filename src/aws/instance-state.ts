// An EC2 instance's state, read and awaited. EC2 has no watch: waiting polls DescribeInstances, with a deadline.
import type { Instance } from '@aws-sdk/client-ec2';
import { eventually } from '../probes/eventually.ts';
import type { Ec2 } from './ec2-client.ts';

/** An EC2 client error (not found, not allowed, bad request) does not heal by retrying; throttling does. */
function markPermanent(error: unknown): never {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number }; permanent?: boolean };
  const status = failure.$metadata?.httpStatusCode ?? 0;
  if (status >= 400 && status < 500 && !/Throttl|RequestLimitExceeded/.test(failure.name ?? '')) failure.permanent = true;
  throw error;
}

export async function describeInstance(ec2: Ec2, instanceId: string, signal?: AbortSignal): Promise<Instance> {
  const result = await ec2.client.send(new ec2.sdk.DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal: signal }).catch(markPermanent);
  const instance = result.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find((candidate) => candidate.InstanceId === instanceId);
  if (!instance) throw new Error(`EC2 instance ${instanceId} was not found`);
  return instance;
}

/** Resolves with the instance once it is in `state`; rejects with ProbeTimeoutError (last state seen) at the deadline. */
export async function waitForInstanceState(ec2: Ec2, instanceId: string, state: string, timeoutMs: number, signal?: AbortSignal): Promise<Instance> {
  const { value } = await eventually(
    async (attemptSignal) => {
      const instance = await describeInstance(ec2, instanceId, attemptSignal);
      const current = instance.State?.Name ?? 'unknown';
      if (current !== state) throw new Error(`${instanceId} is ${current}`);
      return instance;
    },
    { description: `EC2 instance ${instanceId} ${state}`, timeoutMs, intervalMs: 1_000, maxIntervalMs: 5_000, signal },
  );
  return value;
}
