// The EC2 stop fault against a real EC2 API emulator (moto's server): preflight, inject, restore, crash restore.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EC2Client, RunInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { PreflightError, RestoreError } from '../../src/engine/errors.ts';
import { Journal } from '../../src/engine/journal.ts';
import { restorePending } from '../../src/engine/restore-pending.ts';
import { describeInstance } from '../../src/aws/instance-state.ts';
import { ec2Api } from '../../src/aws/ec2-client.ts';
import { Ec2InstanceStopFault } from '../../src/faults/ec2-instance-stop.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { restoreUndo } from '../../src/faults/restorers.ts';
import { ensureEc2Emulator, startEc2Emulator, type Ec2Emulator } from '../../src/lab/ec2-emulator.ts';
import { profileSchema, type ClusterProfile, type ProfileHost } from '../../src/profile/profile-schema.ts';
import { DryRunTransport } from '../../src/transport/dry-run-transport.ts';

const REGION = 'eu-west-1';

describe('EC2 instance stop fault (against moto server)', function () {
  this.timeout(120_000);
  let emulator: Ec2Emulator;
  let emulatorBin: string;
  let ec2: EC2Client;
  let profile: ClusterProfile;
  const changes: string[] = [];

  const context = (dryRun = false): FaultContext => ({
    profile,
    transport: new DryRunTransport(),
    kube: new KubeConfig(),
    dryRun,
    signal: new AbortController().signal,
    announceApiChange: (verb, object, detail) => changes.push(`${verb} ${object} (${detail})`),
  });
  const host = (instanceId: string): ProfileHost => ({ name: 'worker-1', role: 'worker', address: '10.0.1.11', port: 22, user: 'ubuntu', knownHosts: '/dev/null', sudo: true, instanceId });
  const launch = async () => {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't3.small' }));
    return run.Instances?.[0]?.InstanceId as string;
  };
  const stateOf = async (id: string) => (await describeInstance(await ec2Api(profile), id)).State?.Name;

  before(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    delete process.env.AWS_PROFILE;
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    emulatorBin = dirname(await ensureEc2Emulator((line) => console.log(`      ${line}`)));
    emulator = await startEc2Emulator(join(emulatorBin, 'moto_server'), '127.0.0.1', 15_000 + (process.pid % 1_000));
    ec2 = new EC2Client({ region: REGION, endpoint: emulator.endpoint });
    profile = profileSchema.parse({
      apiVersion: 'firedrill.dev/v1',
      kind: 'ClusterProfile',
      name: 'ec2-test',
      cluster: { kubeconfig: '/dev/null' },
      aws: { region: REGION, endpoint: emulator.endpoint },
      components: {
        etcd: { kind: 'service', unit: 'etcd' },
        'kube-apiserver': { kind: 'service', unit: 'kube-apiserver' },
        'kube-controller-manager': { kind: 'service', unit: 'kube-controller-manager' },
        'kube-scheduler': { kind: 'service', unit: 'kube-scheduler' },
        kubelet: { kind: 'service', unit: 'kubelet' },
      },
      timings: {},
    });
  });

  after(async () => {
    await emulator?.stop();
  });

  it('stops a running instance and the restore starts it and waits until it runs', async () => {
    const id = await launch();
    const fault = new Ec2InstanceStopFault(host(id));
    await fault.preflight(context());
    expect(fault.undo()).to.deep.equal({ type: 'ec2-start', host: 'worker-1', instanceId: id });
    await fault.inject(context());
    expect(await stateOf(id)).to.be.oneOf(['stopping', 'stopped']);
    await restoreUndo(fault.undo(), context());
    expect(await stateOf(id)).to.equal('running');
    await restoreUndo(fault.undo(), context()); // idempotent: a running instance stays running
    expect(await stateOf(id)).to.equal('running');
    expect(fault.manualFix()).to.equal(`aws ec2 start-instances --region ${REGION} --endpoint-url ${emulator.endpoint} --instance-ids ${id}`);
  });

  it('refuses in preflight an instance that is not running, naming it, and changes nothing', async () => {
    const id = await launch();
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    const error = await new Ec2InstanceStopFault(host(id)).preflight(context()).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(PreflightError);
    expect((error as Error).message).to.include(`${id} must be running before the drill stops it (it is stopped)`).and.to.include('Nothing was changed');
    expect(await stateOf(id)).to.equal('stopped');
  });

  it('refuses in preflight an instance that does not exist, and a profile without an aws section', async () => {
    const missing = await new Ec2InstanceStopFault(host('i-0123456789abcdef0')).preflight(context()).catch((caught: unknown) => caught as Error);
    expect(missing).to.be.instanceOf(PreflightError);
    expect(missing?.message).to.include('cannot describe i-0123456789abcdef0').and.to.include('InvalidInstanceID.NotFound');
    const noAws = { ...profile, aws: undefined };
    const error = await new Ec2InstanceStopFault(host('i-0123456789abcdef0')).preflight({ ...context(), profile: noAws }).catch((caught: unknown) => caught as Error);
    expect(error?.message).to.include('has no aws section: set aws.region');
  });

  it('in a dry run only announces the stop and the start', async () => {
    const id = await launch();
    changes.length = 0;
    const fault = new Ec2InstanceStopFault(host(id));
    await fault.preflight(context(true));
    await fault.inject(context(true));
    await restoreUndo(fault.undo(), context(true));
    expect(changes).to.deep.equal([`stop ec2-instance/${id} (the instance behind worker-1)`, `start ec2-instance/${id} (restore)`]);
    expect(await stateOf(id)).to.equal('running');
  });

  it('after a crash, the journal entry starts the instance again', async () => {
    const id = await launch();
    const fault = new Ec2InstanceStopFault(host(id));
    await fault.preflight(context());
    const journal = new Journal(join(mkdtempSync(join(tmpdir(), 'kfd-journal-')), 'ec2-test.jsonl'));
    journal.recordPending({ id: 'crash-1', drill: 'ec2-node-stopped', fault: fault.name, undo: fault.undo(), manualFix: fault.manualFix(), recordedAt: new Date().toISOString() });
    await fault.inject(context());
    // The runner dies here; the next run finds the entry.
    const identity = { uid: 'test-cluster', server: 'https://127.0.0.1:6443', context: 'test' };
    const target = { profile, kube: new KubeConfig(), identity, transport: new DryRunTransport(), journal, dryRun: false, close: async () => {} };
    const outcome = await restorePending(target, () => {});
    expect(outcome).to.deep.equal({ restored: [fault.name], failed: [], skipped: [] });
    expect(journal.pending()).to.deep.equal([]);
    expect(await stateOf(id)).to.equal('running');
  });

  it('a terminated instance cannot be restored: the restore fails loudly with the manual fix', async () => {
    const id = await launch();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const error = await restoreUndo({ type: 'ec2-start', host: 'worker-1', instanceId: id }, context()).catch((caught: unknown) => caught as Error);
    expect(error).to.be.instanceOf(RestoreError);
    expect(error?.message).to.include('it is terminated: nothing can start it again').and.to.include(`fix it by hand: aws ec2 start-instances --region ${REGION}`);
  });

  describe('an instance in an Auto Scaling group', () => {
    let member: string;
    let tags: Record<string, string>;

    before(() => {
      // The group is created through the emulator's own Auto Scaling API (boto3 in its virtualenv): it launches the
      // instance and tags it as EC2 Auto Scaling does.
      const helper = join(dirname(fileURLToPath(import.meta.url)), 'create-asg.py');
      const out = execFileSync(join(emulatorBin, 'python'), [helper, emulator.endpoint, REGION, `firedrill-asg-${process.pid}`], { encoding: 'utf8' });
      ({ instanceId: member, tags } = JSON.parse(out) as { instanceId: string; tags: Record<string, string> });
    });

    it('carries the aws:autoscaling:groupName tag, as on AWS', () => {
      expect(tags).to.have.property('aws:autoscaling:groupName', `firedrill-asg-${process.pid}`);
    });

    it('is refused in preflight, naming the group and what to do, and changes nothing', async () => {
      const error = await new Ec2InstanceStopFault(host(member)).preflight(context()).catch((caught: unknown) => caught as Error);
      expect(error).to.be.instanceOf(PreflightError);
      expect(error?.message)
        .to.include(`${member} is a member of the Auto Scaling group firedrill-asg-${process.pid}`)
        .and.to.include('would mark the stopped instance unhealthy and terminate it')
        .and.to.include(`aws autoscaling enter-standby --auto-scaling-group-name firedrill-asg-${process.pid} --instance-ids ${member}`)
        .and.to.include('--scaling-processes HealthCheck ReplaceUnhealthy')
        .and.to.include('aws.allowAutoScalingGroupMembers: true')
        .and.to.include('Nothing was changed');
      expect(await stateOf(member)).to.equal('running');
    });

    it('passes preflight once the profile acknowledges the group is handled', async () => {
      const acknowledged = { ...profile, aws: { ...profile.aws!, allowAutoScalingGroupMembers: true } };
      const fault = new Ec2InstanceStopFault(host(member));
      await fault.preflight({ ...context(), profile: acknowledged });
      expect(fault.instanceId).to.equal(member);
      expect(await stateOf(member)).to.equal('running');
    });
  });
});
