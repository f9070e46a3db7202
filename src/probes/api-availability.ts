// Waits for the API server to stop answering, or to answer again, timing the transition; samples its availability.
import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet } from '../kube/kube-config.ts';
import { eventually, type EventuallyResult } from './eventually.ts';
import { HttpSampler } from './http-sampler.ts';

async function readyz(kube: KubeConfig, signal: AbortSignal): Promise<string> {
  try {
    const response = await apiGet(kube, '/readyz', signal);
    return response.status === 200 ? 'ok' : `answered ${response.status}`;
  } catch (error) {
    return `unreachable (${(error as Error).message})`;
  }
}

/** "Down" means /readyz does not answer 200: the connection fails, or the server says it is not ready. */
export function waitForApi(kube: KubeConfig, state: 'down' | 'up', timeoutMs: number, signal?: AbortSignal): Promise<EventuallyResult<string>> {
  return eventually(
    async (attemptSignal) => {
      const seen = await readyz(kube, attemptSignal);
      if ((seen === 'ok') !== (state === 'up')) throw new Error(`API server /readyz: ${seen}`);
      return seen;
    },
    { description: `the API server to be ${state}`, timeoutMs, intervalMs: 100, maxIntervalMs: 250, attemptTimeoutMs: 2_000, signal },
  );
}

/** A read every client can make: its answer (200) needs authentication, authorization and the API's storage. */
const API_READ = '/api/v1/namespaces/default';

/**
 * Samples the API through the kubeconfig's server (on HA, the load balancer) every `intervalMs`: a sample is served
 * when an authenticated read answers 200. Connections are kept alive between samples, as clients do.
 */
export function apiSampler(kube: KubeConfig, intervalMs = 100, requestTimeoutMs = 2_000): HttpSampler {
  return new HttpSampler(
    async (signal) => {
      const { status } = await apiGet(kube, API_READ, signal);
      return { status, ok: status === 200 };
    },
    intervalMs,
    requestTimeoutMs,
  );
}
