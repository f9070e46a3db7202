// Finds, through the API server's discovery, the resource (plural, namespaced) that serves a kind in an apiVersion.
import type { KubeConfig, V1APIResourceList } from '@kubernetes/client-node';
import { apiGet } from './kube-config.ts';
import { apiVersionPath, type ResourceType } from './resources.ts';

/** Rejects, saying what the API server serves instead, if the apiVersion or the kind is unknown to it. */
export async function resourceTypeOf(kube: KubeConfig, apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceType> {
  if (!/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/.test(apiVersion)) throw new Error(`apiVersion must look like "v1" or "apps/v1" (got ${JSON.stringify(apiVersion)})`);
  const path = apiVersionPath(apiVersion);
  const response = await apiGet(kube, path, signal);
  if (response.status === 404) throw new Error(`the API server serves no apiVersion ${apiVersion} (GET ${path} answered 404)`);
  if (response.status !== 200) throw new Error(`discovery of apiVersion ${apiVersion} failed: GET ${path} answered ${response.status}: ${response.body.slice(0, 200)}`);
  const resources = ((JSON.parse(response.body) as V1APIResourceList).resources ?? []).filter((resource) => !resource.name.includes('/'));
  const found = resources.find((resource) => resource.kind === kind);
  if (!found) {
    const kinds = [...new Set(resources.map((resource) => resource.kind))].sort().join(', ');
    throw new Error(`the API server knows no kind ${kind} in apiVersion ${apiVersion} (it serves: ${kinds || 'nothing'})`);
  }
  return { apiVersion, kind, plural: found.name, namespaced: found.namespaced };
}
