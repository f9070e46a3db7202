// A valid cluster profile to derive malformed ones from.
export function validProfile(): Record<string, unknown> {
  return {
    apiVersion: 'firedrill.dev/v1',
    kind: 'ClusterProfile',
    name: 'staging',
    preset: 'kubeadm',
    cluster: { kubeconfig: '/home/sre/.kube/config', context: 'staging' },
    hosts: [
      { name: 'cp-1', role: 'control-plane', address: '10.0.0.10', port: 22, user: 'ubuntu', identityFile: '/home/sre/.ssh/id', knownHosts: '/home/sre/.ssh/known_hosts', sudo: true },
      { name: 'worker-1', role: 'worker', address: '10.0.1.11', user: 'ubuntu', knownHosts: '/home/sre/.ssh/known_hosts', jumpHost: 'cp-1' },
    ],
    components: {
      etcd: { kind: 'static-pod', manifest: '/etc/kubernetes/manifests/etcd.yaml', process: 'etcd' },
      'kube-apiserver': { kind: 'static-pod', manifest: '/etc/kubernetes/manifests/kube-apiserver.yaml', process: 'kube-apiserver' },
      'kube-controller-manager': { kind: 'static-pod', manifest: '/etc/kubernetes/manifests/kube-controller-manager.yaml', process: 'kube-controller' },
      'kube-scheduler': { kind: 'static-pod', manifest: '/etc/kubernetes/manifests/kube-scheduler.yaml', process: 'kube-scheduler' },
      kubelet: { kind: 'service', unit: 'kubelet' },
    },
    timings: { nodeMonitorGracePeriodSeconds: 50 },
    app: { namespace: 'default', deployment: 'guestbook', selector: 'app=guestbook', endpoint: 'https://guestbook.example.com/' },
  };
}
