// Presets: how the control plane runs on common installs, so a profile only lists what differs.
const manifests = '/etc/kubernetes/manifests';
const staticPod = (name: string, process = name, health?: string, lease?: string) => ({
  kind: 'static-pod',
  manifest: `${manifests}/${name}.yaml`,
  process,
  ...(health ? { health: { url: health } } : {}),
  ...(lease ? { lease } : {}),
});

export const PRESET_COMPONENTS: Record<string, Record<string, unknown>> = {
  /**
   * kubeadm: etcd and the three control-plane components as static pods, the kubelet as a systemd unit. Health
   * endpoints as kubeadm's probes and ports have them: etcd's metrics listener (127.0.0.1:2381), the API server's
   * /readyz on 6443, the controller-manager's and scheduler's secure ports 10257 and 10259, the kubelet's 10248.
   */
  kubeadm: {
    etcd: staticPod('etcd', 'etcd', 'http://127.0.0.1:2381/readyz'),
    'kube-apiserver': staticPod('kube-apiserver', 'kube-apiserver', 'https://127.0.0.1:6443/readyz'),
    'kube-controller-manager': staticPod('kube-controller-manager', 'kube-controller', 'https://127.0.0.1:10257/healthz', 'kube-system/kube-controller-manager'),
    'kube-scheduler': staticPod('kube-scheduler', 'kube-scheduler', 'https://127.0.0.1:10259/healthz', 'kube-system/kube-scheduler'),
    kubelet: { kind: 'service', unit: 'kubelet', health: { url: 'http://127.0.0.1:10248/healthz' } },
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
