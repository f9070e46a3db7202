// What the lab creates through the API once it is up: the admin binding, the Node objects and the guestbook app.
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1Deployment,
  type V1Node,
  type V1Service,
} from '@kubernetes/client-node';
import { KWOK_NODES_GROUP } from './pki.ts';
import type { LabTopology } from './topology.ts';

export const GUESTBOOK = { namespace: 'default', name: 'guestbook', replicas: 3, selector: 'app=guestbook' };

function kubeClient(kubeconfig: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  return config;
}

/** Creates an object unless it exists already (bootstrap runs again on every `up`). */
async function createIfMissing(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
  }
}

/** As kubeadm does: the admin identity is in kubeadm:cluster-admins, bound to cluster-admin by the super-admin. */
export async function bindClusterAdmins(superAdminKubeconfig: string): Promise<void> {
  const rbac = kubeClient(superAdminKubeconfig).makeApiClient(RbacAuthorizationV1Api);
  await createIfMissing(() =>
    rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'kubeadm:cluster-admins' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kubeadm:cluster-admins' }],
      },
    }),
  );
}

/** kwok lists all nodes and pods to find its own; the node authorizer allows a node only its own objects. */
export async function grantKwokReads(superAdminKubeconfig: string): Promise<void> {
  const rbac = kubeClient(superAdminKubeconfig).makeApiClient(RbacAuthorizationV1Api);
  const name = 'kube-firedrill:kwok-node-reader';
  await createIfMissing(() =>
    rbac.createClusterRole({
      body: { metadata: { name }, rules: [
          { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch'] },
        ] },
    }),
  );
  await createIfMissing(() =>
    rbac.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: KWOK_NODES_GROUP }],
      },
    }),
  );
}

/** Registers each host's Node (a real kubelet registers itself; kwok only manages a node that exists). */
/** Registers every host's node; `instances` (host → EC2 instance ID) gives each its AWS providerID. */
export async function registerNodes(adminKubeconfig: string, topology: LabTopology, instances: Record<string, string>): Promise<void> {
  const core = kubeClient(adminKubeconfig).makeApiClient(CoreV1Api);
  await Promise.all(
    topology.hosts.map((host) => {
      const controlPlane = host.role === 'control-plane';
      const node: V1Node = {
        metadata: {
          name: host.name,
          labels: {
            'kubernetes.io/hostname': host.name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'node.kubernetes.io/instance-type': 'kwok',
            ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : { 'node-role.kubernetes.io/worker': '' }),
          },
          annotations: { 'kwok.x-k8s.io/node': 'fake', 'firedrill.dev/lab-host': host.address },
        },
        spec: {
          podCIDR: host.podCidr,
          providerID: instances[host.name] ? `aws:///${topology.ec2Api.zone}/${instances[host.name]}` : undefined,
          taints: controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : [],
        },
      };
      return createIfMissing(() => core.createNode({ body: node }));
    }),
  );
}

export async function deployGuestbook(adminKubeconfig: string): Promise<void> {
  const config = kubeClient(adminKubeconfig);
  const labels = { app: GUESTBOOK.name };
  const deployment: V1Deployment = {
    metadata: { name: GUESTBOOK.name, namespace: GUESTBOOK.namespace, labels },
    spec: {
      replicas: GUESTBOOK.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'frontend', image: 'registry.k8s.io/guestbook:v3', ports: [{ containerPort: 3000 }] }],
          tolerations: [],
        },
      },
    },
  };
  const service: V1Service = {
    metadata: { name: GUESTBOOK.name, namespace: GUESTBOOK.namespace, labels },
    spec: { selector: labels, ports: [{ port: 80, targetPort: 3000 }] },
  };
  await createIfMissing(() => config.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: GUESTBOOK.namespace, body: deployment }));
  await createIfMissing(() => config.makeApiClient(CoreV1Api).createNamespacedService({ namespace: GUESTBOOK.namespace, body: service }));
}
