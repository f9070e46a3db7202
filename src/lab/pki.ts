// The lab's PKI: one CA, a serving certificate per server and a client identity per component, made with openssl.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiEndpoint, controlPlaneHosts, type LabTopology } from './topology.ts';

const run = promisify(execFile);

/** kwok lists every node and pod, which a kubelet's node identity may not; this group gets that read access. */
export const KWOK_NODES_GROUP = 'kube-firedrill:kwok-nodes';

export interface CertPair {
  cert: string;
  key: string;
}

export interface LabPki {
  dir: string;
  ca: CertPair;
  apiserver: CertPair;
  apiserverEtcdClient: CertPair;
  etcdServer: CertPair;
  /** Client of etcd for operators (etcdctl snapshot save in the etcd-restore drill). */
  etcdAdmin: CertPair;
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** Bootstrap identity in system:masters, used once to grant the admin its ClusterRoleBinding (as kubeadm does). */
  superAdmin: CertPair;
  admin: CertPair;
  controllerManager: CertPair;
  scheduler: CertPair;
  controllerManagerServing: CertPair;
  schedulerServing: CertPair;
  /** The load balancer reads Services and EndpointSlices like kube-proxy does, with kube-proxy's identity. */
  kubeProxy: CertPair;
  nodes: Record<string, CertPair>;
}

interface Subject {
  cn: string;
  o?: string | string[];
  server?: { ips: string[]; dns: string[] };
}

async function issue(dir: string, name: string, ca: CertPair | undefined, subject: Subject): Promise<CertPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  if (existsSync(pair.cert) && existsSync(pair.key)) return pair;
  const organizations = subject.o === undefined ? [] : [subject.o].flat();
  const subj = `${organizations.map((o) => `/O=${o}`).join('')}/CN=${subject.cn}`;
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  args.push('-keyout', pair.key, '-out', pair.cert, '-subj', subj);
  if (ca) {
    const usage = subject.server ? 'serverAuth,clientAuth' : 'clientAuth';
    args.push('-CA', ca.cert, '-CAkey', ca.key, '-days', '825');
    args.push('-addext', 'basicConstraints=critical,CA:FALSE');
    args.push('-addext', 'keyUsage=critical,digitalSignature,keyEncipherment');
    args.push('-addext', `extendedKeyUsage=${usage}`);
    if (subject.server) {
      const names = [...subject.server.ips.map((ip) => `IP:${ip}`), ...subject.server.dns.map((dns) => `DNS:${dns}`)];
      args.push('-addext', `subjectAltName=${names.join(',')}`);
    }
  } else {
    args.push('-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  }
  await run('openssl', args);
  return pair;
}

/** Creates whatever is missing of the lab's PKI (existing files are kept, so `up` is idempotent). */
export async function ensurePki(topology: LabTopology): Promise<LabPki> {
  const dir = join(topology.labDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const cps = controlPlaneHosts(topology);
  const cpAddresses = cps.map((host) => host.address);
  const apiAddresses = [...new Set([...cpAddresses, apiEndpoint(topology).address])];
  forgetServingCertsIfNamesChanged(dir, [...apiAddresses, ...cps.map((host) => host.name)]);
  const ca = await issue(dir, 'ca', undefined, { cn: 'kube-firedrill-lab-ca' });
  const localServer = (dns: string[]) => ({ ips: [...cpAddresses, '127.0.0.1'], dns: ['localhost', ...dns] });
  const serviceAccount = join(dir, 'sa.key');
  if (!existsSync(serviceAccount)) {
    await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', serviceAccount]);
    await run('openssl', ['pkey', '-in', serviceAccount, '-pubout', '-out', join(dir, 'sa.pub')]);
  }
  const kubernetesNames = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const [apiserver, apiserverEtcdClient, etcdServer, etcdAdmin, superAdmin, admin, controllerManager, scheduler] =
    await Promise.all([
      issue(dir, 'apiserver', ca, { cn: 'kube-apiserver', server: { ...localServer(kubernetesNames), ips: [...apiAddresses, '127.0.0.1', '10.96.0.1'] } }),
      issue(dir, 'apiserver-etcd-client', ca, { cn: 'kube-apiserver-etcd-client' }),
      issue(dir, 'etcd-server', ca, { cn: 'etcd', server: localServer(cps.map((host) => host.name)) }),
      issue(dir, 'etcd-admin', ca, { cn: 'kube-firedrill-etcd-admin' }),
      issue(dir, 'super-admin', ca, { cn: 'kubernetes-super-admin', o: 'system:masters' }),
      issue(dir, 'admin', ca, { cn: 'kubernetes-admin', o: 'kubeadm:cluster-admins' }),
      issue(dir, 'controller-manager', ca, { cn: 'system:kube-controller-manager' }),
      issue(dir, 'scheduler', ca, { cn: 'system:kube-scheduler' }),
    ]);
  const [controllerManagerServing, schedulerServing, kubeProxy] = await Promise.all([
    issue(dir, 'controller-manager-serving', ca, { cn: 'kube-controller-manager', server: localServer([]) }),
    issue(dir, 'scheduler-serving', ca, { cn: 'kube-scheduler', server: localServer([]) }),
    issue(dir, 'kube-proxy', ca, { cn: 'system:kube-proxy' }),
  ]);
  const nodes: Record<string, CertPair> = {};
  for (const host of topology.hosts) {
    nodes[host.name] = await issue(dir, `node-${host.name}`, ca, { cn: `system:node:${host.name}`, o: ['system:nodes', KWOK_NODES_GROUP] });
  }
  return {
    dir,
    ca,
    apiserver,
    apiserverEtcdClient,
    etcdServer,
    etcdAdmin,
    serviceAccountKey: serviceAccount,
    serviceAccountPub: join(dir, 'sa.pub'),
    superAdmin,
    admin,
    controllerManager,
    scheduler,
    controllerManagerServing,
    schedulerServing,
    kubeProxy,
    nodes,
  };
}

const SERVING_CERTS = ['apiserver', 'etcd-server', 'controller-manager-serving', 'scheduler-serving'];

/** Keys and client identities are kept between `up`s; serving certificates are made again when their names change. */
function forgetServingCertsIfNamesChanged(dir: string, names: string[]): void {
  const file = join(dir, 'serving-names.txt');
  const wanted = names.join('\n') + '\n';
  if (existsSync(file) && readFileSync(file, 'utf8') === wanted) return;
  for (const name of SERVING_CERTS) for (const ext of ['crt', 'key']) rmSync(join(dir, `${name}.${ext}`), { force: true });
  writeFileSync(file, wanted);
}

/** A kubeconfig that names its certificate files (they stay in the lab's PKI folder). */
export function writeKubeconfig(path: string, server: string, ca: string, user: string, identity: CertPair, context = 'firedrill-lab'): void {
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: firedrill-lab',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${ca}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate: ${identity.cert}`,
    `    client-key: ${identity.key}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    '    cluster: firedrill-lab',
    `    user: ${user}`,
    `current-context: ${context}`,
    '',
  ].join('\n');
  writeFileSync(path, text, { mode: 0o600 });
}
