// Watch probes against the lab's real API server, written as a new drill author would: no `describe`, a callback
// that throws. The probe must fail at once naming the callback, never report "held" without judging anything.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { AppsV1Api, type V1Pod } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { isRunning } from '../../src/kube/pods.ts';
import { PODS } from '../../src/kube/resources.ts';
import { holdsFor } from '../../src/probes/holds-for.ts';
import { ProbeCallbackError } from '../../src/probes/probe-callback-error.ts';
import { ProbeTimeoutError } from '../../src/probes/probe-timeout-error.ts';
import { waitForObjects } from '../../src/probes/watch-objects.ts';
import { useLab, type Lab } from './lab-fixture.ts';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/**
 * The pods these tests judge: a deployment of their own, named once per run, so no pod an earlier file or run left
 * terminating (for up to its grace period) is among them.
 */
const NAME = `firedrill-evidence-${randomBytes(3).toString('hex')}`;

describe('watch probes need evidence (lab)', function () {
  this.timeout(60_000);
  let lab: Lab;
  let pods: { kubeconfig: ReturnType<typeof loadKubeConfig>; type: typeof PODS; namespace: string; labelSelector: string };
  let apps: AppsV1Api | undefined;

  before(async () => {
    lab = await useLab();
    const kubeconfig = loadKubeConfig(lab.kubeconfig);
    const namespace = lab.profile.app!.namespace;
    apps = kubeconfig.makeApiClient(AppsV1Api);
    pods = { kubeconfig, type: PODS, namespace, labelSelector: `app=${NAME}` };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: NAME },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: NAME } },
          template: { metadata: { labels: { app: NAME } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] } },
        },
      },
    });
    await waitForObjects<V1Pod>({ ...pods, description: `${NAME}: 3 pods Running`, timeoutMs: 45_000, until: (list) => list.length === 3 && list.every(isRunning) });
  });

  after(async () => {
    await apps?.deleteNamespacedDeployment({ namespace: pods.namespace, name: NAME }).catch((error: { code?: number }) => {
      if (error.code !== 404) throw error;
    });
  });

  it('holdsFor whose `holds` throws fails at once, naming the callback and the error', async () => {
    const started = performance.now();
    const error = await rejection(
      holdsFor<V1Pod>({
        ...pods,
        description: '2 pods stay Pending',
        durationMs: 20_000,
        // A slip a new author makes: `spec.nodeName` read from the list, not from a pod.
        holds: (list) => (list as unknown as { spec: { nodeName: string } }[])[99]!.spec.nodeName === '',
      }),
    );
    expect(error).to.be.instanceOf(ProbeCallbackError);
    expect(error.message).to.match(/^holdsFor '2 pods stay Pending': its `holds` callback threw TypeError: Cannot read properties of undefined \(reading 'spec'\)$/);
    expect(performance.now() - started, 'failed at the first evaluation, not at the end of the duration').to.be.below(10_000);
  });

  it('waitForObjects without `describe` describes the pods by default when it times out', async () => {
    const error = await rejection(waitForObjects<V1Pod>({ ...pods, description: 'a pod named nothing-like-this', timeoutMs: 3_000, until: (list) => list.some((pod) => pod.metadata?.name === 'nothing-like-this') }));
    expect(error).to.be.instanceOf(ProbeTimeoutError);
    expect(error.message).to.match(/last seen: 3 objects: default\/firedrill-evidence-[\w-]+ \(Running\/[^)]*Ready=True[^)]*\)/);
  });

  it('waitForObjects whose `describe` throws fails at once, naming `describe`', async () => {
    const error = await rejection(
      waitForObjects<V1Pod>({
        ...pods,
        description: 'firedrill-evidence Running',
        timeoutMs: 20_000,
        until: () => true,
        // One past the end of the list: undefined.metadata.
        describe: (list) => list[list.length]!.metadata!.name!,
      }),
    );
    expect(error.message).to.match(/^waitForObjects 'firedrill-evidence Running': its `describe` callback threw TypeError: /);
  });

  it('a condition without `return` is named, not taken as "false" until the deadline', async () => {
    const error = await rejection(
      waitForObjects<V1Pod>({
        ...pods,
        description: 'firedrill-evidence Running',
        timeoutMs: 20_000,
        until: ((list: V1Pod[]) => {
          void list.every((pod) => pod.status?.phase === 'Running');
        }) as unknown as (list: V1Pod[]) => boolean,
      }),
    );
    expect(error.message).to.equal("waitForObjects 'firedrill-evidence Running': its `until` callback returned undefined instead of true or false (a missing `return`?)");
  });

  it('holdsFor without `describe` passes with the default description after judging the real pods', async () => {
    const last = await holdsFor<V1Pod>({ ...pods, description: 'the firedrill-evidence pods stay Running', durationMs: 2_000, holds: (list) => list.length > 0 && list.every((pod) => pod.status?.phase === 'Running') });
    expect(last).to.match(/^3 objects: default\/firedrill-evidence-/);
  });
});
