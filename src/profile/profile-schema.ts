// The cluster profile: everything the framework knows about a target cluster, as a zod schema.
import { z } from 'zod';
import { HOST_ADDRESS_HINT, isHostAddress } from './host-address.ts';

const hostName = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a lowercase host name (letters, digits, "-" and ".")');
const absolutePath = z.string().startsWith('/', 'an absolute path');
const seconds = z.number().int().nonnegative();

/** How to reach hosts discovered from the nodes' addresses and role labels (hosts left out of the profile). */
export const discoverySchema = z.strictObject({
  addressType: z.enum(['InternalIP', 'ExternalIP', 'Hostname']).default('InternalIP'),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/, 'a Unix user name'),
  identityFile: z.string().startsWith('/', 'an absolute path').optional(),
  knownHosts: z.string().startsWith('/', 'an absolute path'),
  sudo: z.boolean().default(false),
});

export const hostSchema = z.strictObject({
  name: hostName,
  role: z.enum(['control-plane', 'worker']),
  address: z.string().refine(isHostAddress, HOST_ADDRESS_HINT),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/, 'a Unix user name'),
  /** Private key file; leave out to use the ssh-agent at SSH_AUTH_SOCK. */
  identityFile: absolutePath.optional(),
  knownHosts: absolutePath,
  /** Run commands through `sudo -n` (for a non-root user). */
  sudo: z.boolean().default(false),
  /** Name of another host in this profile to jump through (ProxyJump). */
  jumpHost: hostName.optional(),
  /** The Kubernetes node this host runs; defaults to the host name. */
  node: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'a Kubernetes node name (lowercase letters, digits, "-" and ".")').optional(),
  /** Its EC2 instance, for the EC2 faults; found from the node's spec.providerID (aws:///zone/i-…) if left out. */
  instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'an EC2 instance ID like i-0123456789abcdef0').optional(),
});

/** Names that end up as command operands: no leading "-", nothing a shell or an option parser would read. */
const unitName = z.string().regex(/^[A-Za-z0-9_@.:][A-Za-z0-9_@.:-]{0,255}$/, 'a systemd unit name (letters, digits, "_@.:-", not starting with "-")');
const serviceComponent = z.strictObject({ kind: z.literal('service'), unit: unitName });
const staticPodComponent = z.strictObject({
  kind: z.literal('static-pod'),
  manifest: absolutePath.regex(/\.(ya?ml|json)$/, 'a manifest file (.yaml)'),
  /** Exact process name as pgrep -x sees it (the kernel keeps the first 15 characters). */
  process: z.string().regex(/^[A-Za-z0-9_.][A-Za-z0-9_.:-]{0,14}$/, 'a process name of 1-15 characters (letters, digits, "_.:-", not starting with "-"), as pgrep -x sees it'),
});

export const componentSchema = z.discriminatedUnion('kind', [serviceComponent, staticPodComponent]);

export const profileSchema = z.strictObject({
  apiVersion: z.literal('firedrill.dev/v1'),
  kind: z.literal('ClusterProfile'),
  name: z.string().min(1),
  preset: z.enum(['kubeadm', 'kube-aws', 'lab', 'custom']).default('custom'),
  cluster: z.strictObject({
    kubeconfig: absolutePath,
    context: z.string().optional(),
    /** A production cluster: drills refuse to run unless --i-know-this-is-production is given. */
    production: z.boolean().default(false),
  }),
  hosts: z.array(hostSchema).default([]),
  /** Instead of listing hosts: find them from the Kubernetes nodes (control plane by the node-role label). */
  discoverHosts: discoverySchema.optional(),
  /** What the etcd-restore drill needs to back up and restore etcd on the first control-plane host. */
  etcdSnapshot: z
    .strictObject({
      endpoint: z.url({ protocol: /^https?$/ }),
      caFile: absolutePath,
      certFile: absolutePath,
      keyFile: absolutePath,
      dataDir: absolutePath,
      /** The member's name and peer URL, as etcd runs with them (--name, --initial-advertise-peer-urls). */
      memberName: z.string().min(1),
      peerUrl: z.url({ protocol: /^https?$/ }),
    })
    .optional(),
  /** For the EC2 faults: the region, and an EC2 API endpoint if not AWS's own. Credentials: the AWS SDK's usual chain, or a file. */
  aws: z
    .strictObject({
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region like eu-west-1'),
      endpoint: z.url({ protocol: /^https?$/ }).optional(),
      /** A shared credentials file (INI) to read instead of the usual chain, and the profile in it. */
      credentialsFile: absolutePath.optional(),
      profile: z.string().min(1).optional(),
    })
    .optional(),
  components: z.strictObject({
    etcd: componentSchema,
    'kube-apiserver': componentSchema,
    'kube-controller-manager': componentSchema,
    'kube-scheduler': componentSchema,
    kubelet: serviceComponent,
  }),
  timings: z.strictObject({
    nodeMonitorPeriodSeconds: seconds.default(5),
    nodeMonitorGracePeriodSeconds: seconds.default(50),
    nodeLeaseDurationSeconds: seconds.default(40),
    notReadyTolerationSeconds: seconds.default(300),
    unreachableTolerationSeconds: seconds.default(300),
    /** Longest the kubelet waits before restarting a crashed static pod (crash-loop backoff cap). */
    staticPodMaxBackoffSeconds: seconds.default(300),
    /** How long until a static pod stops once its manifest left the folder (file check period + termination grace). */
    staticPodStopSeconds: seconds.default(50),
  }),
  app: z
    .strictObject({
      namespace: z.string().default('default'),
      deployment: z.string(),
      selector: z.string().regex(/^[\w./-]+=[\w.-]+(,[\w./-]+=[\w.-]+)*$/, 'a label selector like app=guestbook'),
      endpoint: z.url({ protocol: /^https?$/ }).optional(),
    })
    .optional(),
});

export type ClusterProfile = z.infer<typeof profileSchema>;
export type ProfileHost = z.infer<typeof hostSchema>;
export type ProfileComponent = z.infer<typeof componentSchema>;
export type HostDiscovery = z.infer<typeof discoverySchema>;
