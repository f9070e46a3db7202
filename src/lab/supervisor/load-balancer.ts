// The app's load balancer: an HTTP endpoint that routes to the Service's ready endpoints, as kube-proxy does.
import { createServer, type Server } from 'node:http';
import { DiscoveryV1Api, KubeConfig, makeInformer, type V1EndpointSlice } from '@kubernetes/client-node';

export interface LoadBalancerSpec {
  address: string;
  port: number;
  kubeconfig: string;
  namespace: string;
  service: string;
}

interface Backend {
  pod: string;
  address: string;
  node: string;
}

const RESTART_WATCH_MS = 1_000;

/**
 * The data plane is simulated (kwok pods run no containers), so the backend's answer is given here; what is real
 * is the routing: like kube-proxy, it follows the Service's EndpointSlices through a watch and keeps its last view
 * while the API server is unreachable, so the app keeps serving when the control plane is down.
 */
export class LoadBalancer {
  private readonly slices = new Map<string, Backend[]>();
  private server: Server | undefined;
  private next = 0;
  private stopped = false;

  constructor(
    private readonly spec: LoadBalancerSpec,
    private readonly onEvent: (message: string) => void,
  ) {}

  backends(): Backend[] {
    return [...this.slices.values()].flat();
  }

  async start(): Promise<void> {
    this.watch();
    this.server = createServer((request, response) => {
      const backends = this.backends();
      if (backends.length === 0) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: `no ready endpoints for ${this.spec.namespace}/${this.spec.service}` }) + '\n');
        return;
      }
      const backend = backends[this.next++ % backends.length];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ app: this.spec.service, path: request.url, servedBy: backend }) + '\n');
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.spec.port, this.spec.address, resolve);
    });
  }

  private watch(): void {
    const config = new KubeConfig();
    config.loadFromFile(this.spec.kubeconfig);
    const api = config.makeApiClient(DiscoveryV1Api);
    const selector = `kubernetes.io/service-name=${this.spec.service}`;
    const informer = makeInformer<V1EndpointSlice>(
      config,
      `/apis/discovery.k8s.io/v1/namespaces/${this.spec.namespace}/endpointslices`,
      () => api.listNamespacedEndpointSlice({ namespace: this.spec.namespace, labelSelector: selector }),
      selector,
    );
    const update = (slice: V1EndpointSlice) => this.slices.set(slice.metadata?.name ?? '', readyBackends(slice));
    informer.on('add', update);
    informer.on('update', update);
    informer.on('delete', (slice) => this.slices.delete(slice.metadata?.name ?? ''));
    informer.on('error', () => {
      if (!this.stopped) setTimeout(() => informer.start().catch(() => {}), RESTART_WATCH_MS);
    });
    informer.start().catch((error: Error) => {
      this.onEvent(`load balancer: watch not started yet (${error.message}), retrying`);
      setTimeout(() => !this.stopped && this.watch(), RESTART_WATCH_MS);
    });
    this.stopInformer = () => informer.stop();
  }

  private stopInformer: () => Promise<void> = async () => {};

  async stop(): Promise<void> {
    this.stopped = true;
    await this.stopInformer().catch(() => {});
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function readyBackends(slice: V1EndpointSlice): Backend[] {
  return (slice.endpoints ?? [])
    .filter((endpoint) => endpoint.conditions?.ready !== false)
    .map((endpoint) => ({ pod: endpoint.targetRef?.name ?? '', address: endpoint.addresses[0] ?? '', node: endpoint.nodeName ?? '' }));
}
