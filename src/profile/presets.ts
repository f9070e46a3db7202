// Presets: how the control plane runs on common installs, so a profile only lists what differs.
const manifests = '/etc/kubernetes/manifests';
const staticPod = (name: string, process = name, lease?: string) => ({
  kind: 'static-pod',
  manifest: `${manifests}/${name}.yaml`,
  process,
  ...(lease ? { lease } : {}),
});

export const PRESET_COMPONENTS: Record<string, Record<string, unknown>> = {
  /** kubeadm: etcd and the three control-plane components as static pods, the kubelet as a systemd unit. */
  kubeadm: {
    etcd: staticPod('etcd'),
    'kube-apiserver': staticPod('kube-apiserver'),
    'kube-controller-manager': staticPod('kube-controller-manager', 'kube-controller', 'kube-system/kube-controller-manager'),
    'kube-scheduler': staticPod('kube-scheduler', 'kube-scheduler', 'kube-system/kube-scheduler'),
    kubelet: { kind: 'service', unit: 'kubelet' },
  },
  /** kube-aws on CoreOS (the original fire-drill workshop): etcd2 as a systemd unit, static pods for the rest. */
  'kube-aws': {
    etcd: { kind: 'service', unit: 'etcd2' },
    'kube-apiserver': staticPod('kube-apiserver'),
    'kube-controller-manager': staticPod('kube-controller-manager', 'kube-controller'),
    'kube-scheduler': staticPod('kube-scheduler'),
    kubelet: { kind: 'service', unit: 'kubelet' },
  },
};

/** Fills in `components` from the preset when the profile leaves them out (explicit entries win). */
export function applyPreset(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const profile = raw as Record<string, unknown>;
  const preset = PRESET_COMPONENTS[String(profile.preset)];
  if (!preset) return raw;
  const components = typeof profile.components === 'object' && profile.components !== null ? profile.components : {};
  return { ...profile, components: { ...preset, ...components }, timings: profile.timings ?? {} };
}
