// Loads a kubeconfig (optionally a context) and makes raw HTTPS requests to the API with its credentials.
import { request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export function loadKubeConfig(path: string, context?: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(path);
  if (context) config.setCurrentContext(context);
  return config;
}

export interface RawResponse {
  status: number;
  body: string;
}

/** GET a path of the API server (e.g. /readyz, /version) with the kubeconfig's credentials. */
export async function apiGet(config: KubeConfig, path: string, signal?: AbortSignal): Promise<RawResponse> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new TypeError('kubeconfig has no current cluster');
  const url = new URL(path, cluster.server);
  const options: Parameters<typeof request>[1] = { method: 'GET', signal };
  await config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
