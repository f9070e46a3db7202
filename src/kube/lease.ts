// A coordination.k8s.io Lease read, created, renewed and deleted with raw requests (each bounded), keeping its
// resourceVersion so that every change is a compare-and-swap.
import type { KubeConfig } from '@kubernetes/client-node';
import { apiRequest } from './api-request.ts';

export interface LeaseRecord {
  name: string;
  namespace: string;
  resourceVersion?: string;
  annotations: Record<string, string>;
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: Date;
  renewTime?: Date;
  leaseTransitions?: number;
}

/** Another writer changed the Lease since it was read (HTTP 409), or created it first. */
export class LeaseConflictError extends Error {
  constructor(what: string) {
    super(`${what}: the Lease was changed by someone else at the same time`);
    this.name = 'LeaseConflictError';
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

/** MicroTime as the API server parses it: RFC 3339 with exactly six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const path = (namespace: string, name?: string) => `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases${name ? `/${encodeURIComponent(name)}` : ''}`;

interface LeaseJson {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; annotations?: Record<string, string> };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

function fromJson(text: string): LeaseRecord {
  const json = JSON.parse(text) as LeaseJson;
  const spec = json.spec ?? {};
  return {
    name: json.metadata?.name ?? '',
    namespace: json.metadata?.namespace ?? '',
    resourceVersion: json.metadata?.resourceVersion,
    annotations: json.metadata?.annotations ?? {},
    holderIdentity: spec.holderIdentity,
    leaseDurationSeconds: spec.leaseDurationSeconds,
    acquireTime: spec.acquireTime ? new Date(spec.acquireTime) : undefined,
    renewTime: spec.renewTime ? new Date(spec.renewTime) : undefined,
    leaseTransitions: spec.leaseTransitions,
  };
}

function toJson(lease: LeaseRecord): object {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: lease.name, namespace: lease.namespace, annotations: lease.annotations, ...(lease.resourceVersion ? { resourceVersion: lease.resourceVersion } : {}) },
    spec: {
      holderIdentity: lease.holderIdentity,
      leaseDurationSeconds: lease.leaseDurationSeconds,
      ...(lease.acquireTime ? { acquireTime: microTime(lease.acquireTime) } : {}),
      ...(lease.renewTime ? { renewTime: microTime(lease.renewTime) } : {}),
      leaseTransitions: lease.leaseTransitions ?? 0,
    },
  };
}

function failure(what: string, status: number, body: string): Error {
  let message = body.slice(0, 300);
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? message;
  } catch {
    // not JSON: the excerpt stands
  }
  return new Error(`${what}: HTTP ${status}: ${message}`);
}

export async function readLease(kube: KubeConfig, namespace: string, name: string): Promise<LeaseRecord | undefined> {
  const response = await apiRequest(kube, 'GET', path(namespace, name), undefined, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw failure(`reading Lease ${namespace}/${name}`, response.status, response.body);
  return fromJson(response.body);
}

export async function createLease(kube: KubeConfig, lease: LeaseRecord): Promise<LeaseRecord> {
  const what = `creating Lease ${lease.namespace}/${lease.name}`;
  const response = await apiRequest(kube, 'POST', path(lease.namespace), toJson({ ...lease, resourceVersion: undefined }), AbortSignal.timeout(REQUEST_TIMEOUT_MS));
  if (response.status === 409) throw new LeaseConflictError(what);
  if (response.status !== 201 && response.status !== 200) throw failure(what, response.status, response.body);
  return fromJson(response.body);
}

/** Replaces the Lease if nobody changed it since lease.resourceVersion was read. */
export async function replaceLease(kube: KubeConfig, lease: LeaseRecord): Promise<LeaseRecord> {
  const what = `updating Lease ${lease.namespace}/${lease.name}`;
  const response = await apiRequest(kube, 'PUT', path(lease.namespace, lease.name), toJson(lease), AbortSignal.timeout(REQUEST_TIMEOUT_MS));
  if (response.status === 409) throw new LeaseConflictError(what);
  if (response.status !== 200) throw failure(what, response.status, response.body);
  return fromJson(response.body);
}

/** Deletes the Lease if nobody changed it since resourceVersion; a Lease already gone is fine. */
export async function deleteLease(kube: KubeConfig, namespace: string, name: string, resourceVersion: string): Promise<void> {
  const what = `deleting Lease ${namespace}/${name}`;
  const body = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } };
  const response = await apiRequest(kube, 'DELETE', path(namespace, name), body, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
  if (response.status === 404) return;
  if (response.status === 409) throw new LeaseConflictError(what);
  if (response.status !== 200 && response.status !== 202) throw failure(what, response.status, response.body);
}
