// Files of a running lab that users and tests read: kubeconfigs and the cluster profile.
import { join } from 'node:path';

export function labPaths(labDir: string) {
  return {
    kubeconfig: join(labDir, 'kubeconfig'),
    superAdminKubeconfig: join(labDir, 'pki', 'super-admin.conf'),
    loadBalancerKubeconfig: join(labDir, 'pki', 'load-balancer.conf'),
    profile: join(labDir, 'profile.yaml'),
  };
}
