// Watch probes against the lab's real API server, written as a new drill author would: no `describe`, a callback
// that throws. The probe must fail at once naming the callback, never report "held" without judging anything.
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/kube/kube-config.ts';
import { isRunning, isTerminating } from '../../src/kube/pods.ts';
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

describe('watch probes need evidence (lab)', function () {
  this.timeout(60_000);
  let lab: Lab;
  let pods: { kubeconfig: ReturnType<typeof loadKubeConfig>; type: typeof PODS; namespace: string; labelSelector: string };

  before(async () => {
    lab = await useLab();
    const app = lab.profile.app!;
    pods = { kubeconfig: loadKubeConfig(lab.kubeconfig), type: PODS, namespace: app.namespace, labelSelector: app.selector };
    // The tests below judge the app as the lab deploys it; an earlier file's pod may still be terminating.
    await waitForObjects<V1Pod>({
      ...pods,
      description: 'guestbook settled: 3 pods Running, none terminating',
      timeoutMs: 60_000,
      until: (list) => list.length === 3 && list.every((pod) => isRunning(pod) && !isTerminating(pod)),
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
    expect(error.message).to.match(/last seen: 3 objects: default\/guestbook-[\w-]+ \(Running\/[^)]*Ready=True[^)]*\)/);
  });

  it('waitForObjects whose `describe` throws fails at once, naming `describe`', async () => {
    const error = await rejection(
      waitForObjects<V1Pod>({
        ...pods,
        description: 'guestbook Running',
        timeoutMs: 20_000,
        until: () => true,
        // One past the end of the list: undefined.metadata.
        describe: (list) => list[list.length]!.metadata!.name!,
      }),
    );
    expect(error.message).to.match(/^waitForObjects 'guestbook Running': its `describe` callback threw TypeError: /);
  });

  it('a condition without `return` is named, not taken as "false" until the deadline', async () => {
    const error = await rejection(
      waitForObjects<V1Pod>({
        ...pods,
        description: 'guestbook Running',
        timeoutMs: 20_000,
        until: ((list: V1Pod[]) => {
          void list.every((pod) => pod.status?.phase === 'Running');
        }) as unknown as (list: V1Pod[]) => boolean,
      }),
    );
    expect(error.message).to.equal("waitForObjects 'guestbook Running': its `until` callback returned undefined instead of true or false (a missing `return`?)");
  });

  it('holdsFor without `describe` passes with the default description after judging the real pods', async () => {
    const last = await holdsFor<V1Pod>({ ...pods, description: 'the guestbook pods stay Running', durationMs: 2_000, holds: (list) => list.length > 0 && list.every((pod) => pod.status?.phase === 'Running') });
    expect(last).to.match(/^3 objects: default\/guestbook-/);
  });
});
