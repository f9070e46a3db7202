// A kubeconfig whose API server cannot be reached (nothing listens on port 1): for probes that must never list.
import { KubeConfig } from '@kubernetes/client-node';

export function unreachableApi(): KubeConfig {
  const kube = new KubeConfig();
  kube.loadFromOptions({
    clusters: [{ name: 'nowhere', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'nobody', token: 'none' }],
    contexts: [{ name: 'nowhere', cluster: 'nowhere', user: 'nobody' }],
    currentContext: 'nowhere',
  });
  return kube;
}
