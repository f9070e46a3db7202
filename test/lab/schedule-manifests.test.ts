// The CronJob manifests under deploy/cronjob, applied to the lab's real API server with a server-side dry run: they
// are accepted as written, and broken copies are rejected (so the check is real). Nothing is created.
import { readFileSync } from 'node:fs';
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { useLab } from './lab-fixture.ts';

const MANIFESTS = new URL('../../deploy/cronjob/cronjob.yaml', import.meta.url);
const NAMESPACE = 'default';

type Manifest = KubernetesObject & { spec: Record<string, unknown> };

function manifests(): Manifest[] {
  return parseAllDocuments(readFileSync(MANIFESTS, 'utf8')).map((doc) => ({ ...(doc.toJS() as Manifest), metadata: { ...(doc.toJS() as Manifest).metadata, namespace: NAMESPACE } }));
}

function cronJob(all: Manifest[]): Manifest {
  const found = all.find((manifest) => manifest.kind === 'CronJob');
  if (!found) throw new Error('no CronJob in the manifests');
  return structuredClone(found);
}

/** The API server's answer to a dry-run create: the object as it would be stored, or the status code and message. */
async function dryRun(api: KubernetesObjectApi, manifest: Manifest): Promise<{ stored: KubernetesObject } | { code: number; message: string }> {
  try {
    return { stored: await api.create(manifest, undefined, 'All') };
  } catch (error) {
    const failure = error as { code?: number; body?: unknown };
    if (typeof failure.code !== 'number') throw error;
    const body = typeof failure.body === 'string' ? (JSON.parse(failure.body) as { message?: string }) : (failure.body as { message?: string });
    return { code: failure.code, message: body?.message ?? String(failure.body) };
  }
}

describe('schedule manifests against the lab API server', function () {
  this.timeout(300_000);
  let api: KubernetesObjectApi;
  before(async () => {
    const lab = await useLab();
    const config = new KubeConfig();
    config.loadFromFile(lab.kubeconfig);
    api = KubernetesObjectApi.makeApiClient(config);
  });

  it('accepts the PersistentVolumeClaim and the CronJob (server-side dry run) and stores nothing', async () => {
    const all = manifests();
    expect(all.map((manifest) => manifest.kind)).to.deep.equal(['PersistentVolumeClaim', 'CronJob']);
    for (const manifest of all) {
      const answer = await dryRun(api, manifest);
      expect(answer, `${manifest.kind} ${manifest.metadata?.name}: ${'message' in answer ? answer.message : ''}`).to.have.property('stored');
      const stored = (answer as { stored: KubernetesObject }).stored;
      expect(stored.kind).to.equal(manifest.kind);
      // Defaulted by the server, so the object went through its validation and admission.
      expect(stored.metadata?.uid, 'a dry run is given a uid').to.be.a('string');
      expect(stored.metadata?.creationTimestamp).to.not.equal(undefined);
    }
    const reads = await Promise.allSettled(all.map((manifest) => api.read({ apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: { name: manifest.metadata?.name as string, namespace: NAMESPACE } })));
    expect(reads.map((read) => (read.status === 'rejected' ? (read.reason as { code?: number }).code : 'exists')), 'a dry run creates nothing').to.deep.equal([404, 404]);
  });

  it('rejects broken copies, naming the field', async () => {
    const all = manifests();
    const policy = cronJob(all);
    policy.spec.concurrencyPolicy = 'Sometimes';
    const schedule = cronJob(all);
    schedule.spec.schedule = 'every tuesday';
    const image = cronJob(all);
    const podSpec = (image.spec as { jobTemplate: { spec: { template: { spec: { containers: { image?: string }[] } } } } }).jobTemplate.spec.template.spec;
    delete podSpec.containers[0]?.image;
    const answers = await Promise.all([policy, schedule, image].map((manifest) => dryRun(api, manifest)));
    expect(answers.map((answer) => ('code' in answer ? answer.code : 'accepted'))).to.deep.equal([422, 422, 422]);
    const messages = answers.map((answer) => ('message' in answer ? answer.message : ''));
    expect(messages[0]).to.include('spec.concurrencyPolicy').and.include('Sometimes');
    expect(messages[1]).to.include('spec.schedule');
    expect(messages[2]).to.include('spec.jobTemplate.spec.template.spec.containers[0].image');
  });
});
