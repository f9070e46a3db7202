// Fault: stop the EC2 instance behind a node (its kubelet stops with it); restore starts it and waits until it runs.
import { PreflightError, RestoreError } from '../engine/errors.ts';
import type { UndoRecord } from '../engine/journal.ts';
import { ec2Api, type Ec2 } from '../aws/ec2-client.ts';
import { hostInstanceId } from '../aws/host-instance.ts';
import { autoScalingGroupOf, autoScalingRefusal } from '../aws/auto-scaling.ts';
import { describeInstance, waitForInstanceState } from '../aws/instance-state.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';
import type { Fault, FaultContext, Restorer } from './fault.ts';
import { shellQuote } from '../transport/shell-quote.ts';

/** How long an instance may take to finish stopping, then to start and run again (EC2 takes minutes at worst). */
const STATE_CHANGE_TIMEOUT_MS = 10 * 60_000;

export class Ec2InstanceStopFault implements Fault {
  readonly name: string;
  readonly description: string;
  private resolved: string | undefined;
  private profile: ClusterProfile | undefined;

  constructor(readonly host: ProfileHost) {
    this.name = `stop the EC2 instance of ${host.name}`;
    this.description = `ec2:StopInstances on the instance behind ${host.name}; restore: ec2:StartInstances, then wait until it is running`;
  }

  get instanceId(): string {
    if (!this.resolved) throw new Error(`${this.name}: preflight has not run`);
    return this.resolved;
  }

  async preflight(context: FaultContext): Promise<void> {
    const fail = (message: string, cause?: unknown) => new PreflightError(this.name, this.host.name, message, { cause });
    this.profile = context.profile;
    let ec2: Ec2;
    try {
      ec2 = await ec2Api(context.profile);
      this.resolved = await hostInstanceId(context.kube, this.host);
    } catch (error) {
      throw fail((error as Error).message, error);
    }
    if (context.dryRun) return;
    const instance = await describeInstance(ec2, this.instanceId, context.signal).catch((error: Error) => {
      throw fail(`cannot describe ${this.instanceId}: ${error.name}: ${error.message}`, error);
    });
    const state = instance.State?.Name;
    if (state !== 'running') throw fail(`${this.instanceId} must be running before the drill stops it (it is ${state})`);
    if (instance.RootDeviceType !== 'ebs') throw fail(`${this.instanceId} has an ${instance.RootDeviceType} root device: only EBS-backed instances can be stopped and started again`);
    if (instance.InstanceLifecycle === 'spot') throw fail(`${this.instanceId} is a Spot instance: stopping it may hand its capacity back; use an On-Demand node`);
    const group = autoScalingGroupOf(instance);
    if (group && !context.profile.aws?.allowAutoScalingGroupMembers) throw fail(autoScalingRefusal(this.instanceId, group));
    // Both calls the fault and its restore make, tried with DryRun: EC2 answers DryRunOperation when IAM allows them.
    const dryRuns = {
      'ec2:StopInstances': () => ec2.client.send(new ec2.sdk.StopInstancesCommand({ InstanceIds: [this.instanceId], DryRun: true }), { abortSignal: context.signal }),
      'ec2:StartInstances': () => ec2.client.send(new ec2.sdk.StartInstancesCommand({ InstanceIds: [this.instanceId], DryRun: true }), { abortSignal: context.signal }),
    };
    for (const [action, call] of Object.entries(dryRuns)) {
      const answer = await call().then(() => 'no DryRunOperation', (error: Error) => error.name);
      if (answer !== 'DryRunOperation') throw fail(`the credentials in use must allow ${action} on ${this.instanceId} (DryRun answered ${answer})`);
    }
  }

  undo(): UndoRecord {
    return { type: 'ec2-start', host: this.host.name, instanceId: this.instanceId };
  }

  manualFix(): string {
    return startCommand(this.profile, this.resolved ?? '<instance-id>');
  }

  async inject(context: FaultContext): Promise<void> {
    context.announceApiChange('stop', `ec2-instance/${this.instanceId}`, `the instance behind ${this.host.name}`);
    if (context.dryRun) return;
    const ec2 = await ec2Api(context.profile);
    await ec2.client.send(new ec2.sdk.StopInstancesCommand({ InstanceIds: [this.instanceId] }), { abortSignal: context.signal });
  }
}

function startCommand(profile: ClusterProfile | undefined, instanceId: string): string {
  const region = profile?.aws ? ['--region', profile.aws.region] : [];
  const endpoint = profile?.aws?.endpoint ? ['--endpoint-url', profile.aws.endpoint] : [];
  return shellQuote(['aws', 'ec2', 'start-instances', ...region, ...endpoint, '--instance-ids', instanceId]);
}

/** Idempotent: waits out a stop in progress, starts a stopped instance, then waits until it is running. */
export const restoreEc2Start: Restorer = async (undo, context) => {
  const instanceId = String(undo.instanceId);
  const what = `EC2 instance ${instanceId} of ${String(undo.host)}`;
  context.announceApiChange('start', `ec2-instance/${instanceId}`, 'restore');
  if (context.dryRun) return;
  const fix = startCommand(context.profile, instanceId);
  try {
    const ec2 = await ec2Api(context.profile);
    let state = (await describeInstance(ec2, instanceId)).State?.Name;
    if (state === 'terminated' || state === 'shutting-down') throw new Error(`it is ${state}: nothing can start it again; replace the node`);
    if (state === 'stopping') state = (await waitForInstanceState(ec2, instanceId, 'stopped', STATE_CHANGE_TIMEOUT_MS)).State?.Name;
    if (state === 'stopped') await ec2.client.send(new ec2.sdk.StartInstancesCommand({ InstanceIds: [instanceId] }));
    await waitForInstanceState(ec2, instanceId, 'running', STATE_CHANGE_TIMEOUT_MS);
  } catch (error) {
    throw new RestoreError(what, fix, (error as Error).message, { cause: error });
  }
};
