// The cluster profile: everything the framework knows about a target cluster, as a zod schema.
import { z } from 'zod';
import { HOST_ADDRESS_HINT, isHostAddress } from './host-address.ts';

const hostName = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a lowercase host name (letters, digits, "-" and ".")');
const absolutePath = z.string().startsWith('/', 'an absolute path');
const seconds = z.number().int().nonnegative();
const milliseconds = z.number().int().positive();
const regexSource = z.string().min(1).refine((source) => {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}, 'a regular expression (JavaScript syntax), e.g. "prod|live"');

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
  /** Where this host runs a component differently from `components` (another manifest path): a partial of it, same schema. */
  get components() {
    return componentsSchema.partial().optional();
  },
});

/** Names that end up as command operands: no leading "-", nothing a shell or an option parser would read. */
const unitName = z.string().regex(/^[A-Za-z0-9_@.:][A-Za-z0-9_@.:-]{0,255}$/, 'a systemd unit name (letters, digits, "_@.:-", not starting with "-")');
/**
 * The component's health endpoint, asked on its own host (curl, else wget) after a restore: it is back when a new
 * process answers 200 here. Without caFile the server certificate is not verified (as the kubelet's probes do).
 */
export const healthSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }),
    caFile: absolutePath.optional(),
    certFile: absolutePath.optional(),
    keyFile: absolutePath.optional(),
  })
  .refine((health) => (health.certFile === undefined) === (health.keyFile === undefined), { message: 'certFile and keyFile go together', path: ['keyFile'] });

const serviceComponent = z.strictObject({
  kind: z.literal('service'),
  unit: unitName,
  health: healthSchema.optional(),
});
const staticPodComponent = z.strictObject({
  kind: z.literal('static-pod'),
  manifest: absolutePath.regex(/\.(ya?ml|json)$/, 'a manifest file (.yaml)'),
  /** Exact process name as pgrep -x sees it (the kernel keeps the first 15 characters). */
  process: z.string().regex(/^[A-Za-z0-9_.][A-Za-z0-9_.:-]{0,14}$/, 'a process name of 1-15 characters (letters, digits, "_.:-", not starting with "-"), as pgrep -x sees it'),
  health: healthSchema.optional(),
  /** The Lease its leader election holds, as namespace/name (kube-scheduler and kube-controller-manager). */
  lease: z.string().regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, 'a Lease as namespace/name, like kube-system/kube-scheduler').optional(),
});

export const componentSchema = z.discriminatedUnion('kind', [serviceComponent, staticPodComponent]);

const componentsSchema = z.strictObject({
  etcd: componentSchema,
  'kube-apiserver': componentSchema,
  'kube-controller-manager': componentSchema,
  'kube-scheduler': componentSchema,
  kubelet: serviceComponent,
});

export const profileSchema = z.strictObject({
  apiVersion: z.literal('firedrill.dev/v1'),
  kind: z.literal('ClusterProfile'),
  name: z.string().min(1),
  preset: z.enum(['kubeadm', 'kube-aws', 'lab', 'custom']).default('custom'),
  cluster: z.strictObject({
    kubeconfig: absolutePath,
    context: z.string().optional(),
    /** The kube-system namespace's metadata.uid: pins the profile to one cluster; a run against another is refused. */
    uid: z.string().regex(/^[0-9a-fA-F-]{8,64}$/, 'the UID of the kube-system namespace (kubectl get ns kube-system -o jsonpath={.metadata.uid})').optional(),
    /** A production cluster: drills refuse to run unless --i-know-this-is-production is given. */
    production: z.boolean().default(false),
    /** Regular expressions (case-insensitive) that mark the profile name, effective context or server URL as production. */
    productionPatterns: z.array(regexSource).default(['prod']),
    /** The lock file on the first control-plane host that, with a Lease in kube-system, keeps a second runner out. */
    lockFile: absolutePath.default('/var/lib/kube-firedrill/lock'),
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
      /** How many replaced data dirs (<dataDir>.firedrill-previous-<time>) to keep after a verified restore. */
      keepPreviousDataDirs: z.number().int().nonnegative().default(1),
      /** Disk space (MiB) that must stay free beyond the snapshot and the restored data dir, checked in preflight. */
      freeSpaceMarginMiB: z.number().int().nonnegative().default(64),
      /** Every member of the etcd cluster (one per control-plane host on a stacked HA cluster). */
      members: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            /** The profile host it runs on. */
            host: z.string().min(1),
            peerUrl: z.url({ protocol: /^https?$/ }),
            clientUrl: z.url({ protocol: /^https?$/ }),
            /** Its data dir on its host, if not etcdSnapshot.dataDir (the same path on every host, as kubeadm lays it out). */
            dataDir: absolutePath.optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  /** How node drains behave (kubectl drain's flags): losing emptyDir data is opt-in; evictions wait this long for PodDisruptionBudgets. */
  drain: z
    .strictObject({
      deleteEmptyDirData: z.boolean().default(false),
      timeoutSeconds: z.number().int().positive().default(120),
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
      /**
       * Stop instances that belong to an Auto Scaling group. Set it only once each such instance is in Standby, or its
       * group's HealthCheck and ReplaceUnhealthy processes are suspended: otherwise the group terminates the stopped instance.
       */
      allowAutoScalingGroupMembers: z.boolean().default(false),
    })
    .optional(),
  components: componentsSchema,
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
    /** Leader election of kube-scheduler and kube-controller-manager (--leader-elect-lease-duration, -renew-deadline, -retry-period). */
    leaderElectionLeaseDurationSeconds: seconds.default(15),
    leaderElectionRenewDeadlineSeconds: seconds.default(10),
    leaderElectionRetryPeriodSeconds: seconds.default(2),
    /** etcd's --heartbeat-interval and --election-timeout (etcd's and kubeadm's defaults: 100 ms and 1000 ms). */
    etcdHeartbeatIntervalMs: milliseconds.default(100),
    etcdElectionTimeoutMs: milliseconds.default(1000),
    /**
     * How long the API load balancer takes to stop routing to an API server whose health check fails (check interval
     * × fall), and to route to it again once it passes (interval × rise). Defaults: kubeadm's HA guide's HAProxy,
     * which keeps HAProxy's check defaults (inter 2s, fall 3, rise 2).
     */
    apiLoadBalancerOutSeconds: seconds.default(6),
    apiLoadBalancerInSeconds: seconds.default(4),
    /**
     * How long a new pod of the app takes from creation to Running while the scheduler and controllers work: scheduling,
     * image pull, start. The bound on replacements and scale-ups; raise it for an app with large images or slow starts.
     */
    podStartSeconds: z.number().int().positive().default(60),
  }),
  /** What protects the cluster if the runner vanishes mid-drill (killed, or its machine lost). */
  safety: z
    .strictObject({
      /**
       * After this long a host undoes a moved manifest or a stopped unit by itself (a systemd timer armed before the
       * fault acts, disarmed by the restore). Must be longer than any drill takes.
       */
      selfHealAfterSeconds: z.number().int().min(10).default(900),
      /** Folder on each control-plane host for the target's copy of the restore journal (written with sudo if set). */
      journalDir: absolutePath.default('/var/lib/kube-firedrill/journal'),
    })
    .prefault({}),
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
export type ProfileComponents = z.infer<typeof componentsSchema>;
export type HostDiscovery = z.infer<typeof discoverySchema>;
export type ComponentHealth = z.infer<typeof healthSchema>;
