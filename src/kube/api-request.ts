// One request to the API server with a JSON body and the kubeconfig's credentials, bounded by an AbortSignal.
import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RawResponse } from './kube-config.ts';

export async function apiRequest(config: KubeConfig, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, signal: AbortSignal): Promise<RawResponse> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new TypeError('kubeconfig has no current cluster');
  const url = new URL(path, cluster.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const options: Parameters<typeof request>[1] = {
    method,
    signal,
    headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
  };
  await config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
