// Writes the lab's cluster profile: the same format a user writes for a real cluster.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { profileSchema, type ClusterProfile } from '../profile/profile-schema.ts';
import { GUESTBOOK } from './bootstrap.ts';
import type { LabTimings } from './components.ts';
import { manifestsDir } from './host-setup.ts';
import { labPaths } from './lab-paths.ts';
import { awsCredentialsPath } from './lab-state.ts';
import type { LabPki } from './pki.ts';
import type { LabSsh } from './ssh-setup.ts';
import { etcdClientUrl, etcdPeerUrl } from './components.ts';
import { controlPlaneHost, controlPlaneHosts, type LabHost, type LabTopology } from './topology.ts';

export function labProfile(topology: LabTopology, ssh: LabSsh, timings: LabTimings, pki: LabPki): ClusterProfile {
  const cp = controlPlaneHost(topology);
  // Leader election (and so a Lease) only with several control planes: one instance runs without it.
  const lease = (name: string) => (controlPlaneHosts(topology).length > 1 ? { lease: `kube-system/${name}` } : {});
  // Each lab host has its own manifests folder: the first host's paths are the default, the others override them.
  const components = (host: LabHost) => {
    const manifest = (name: string) => join(manifestsDir(host), `${name}.yaml`);
    // Health endpoints of the components on that host, verified against the lab's CA.
    const secure = (port: number, path: string) => ({ url: `https://${host.address}:${port}/${path}`, caFile: pki.ca.cert });
    const etcdHealth = { url: `${etcdClientUrl(topology, host)}/health`, caFile: pki.ca.cert, certFile: pki.etcdAdmin.cert, keyFile: pki.etcdAdmin.key };
    return {
      etcd:
        topology.etcdMode === 'static-pod'
          ? { kind: 'static-pod', manifest: manifest('etcd'), process: 'etcd', health: etcdHealth }
          : { kind: 'service', unit: 'etcd', health: etcdHealth },
      'kube-apiserver': { kind: 'static-pod', manifest: manifest('kube-apiserver'), process: 'kube-apiserver', health: secure(topology.apiPort, 'readyz') },
      'kube-controller-manager': {
        kind: 'static-pod',
        manifest: manifest('kube-controller-manager'),
        process: 'kube-controller',
        health: secure(topology.controllerManagerPort, 'healthz'),
        ...lease('kube-controller-manager'),
      },
      'kube-scheduler': { kind: 'static-pod', manifest: manifest('kube-scheduler'), process: 'kube-scheduler', health: secure(topology.schedulerPort, 'healthz'), ...lease('kube-scheduler') },
    };
  };
  const profile = {
    apiVersion: 'firedrill.dev/v1',
    kind: 'ClusterProfile',
    name: topology.apiLoadBalancer ? 'lab-ha' : 'lab',
    preset: 'lab',
    cluster: {
      kubeconfig: labPaths(topology.labDir).kubeconfig,
      context: 'firedrill-lab',
      production: false,
      // The control-plane host's own filesystem is its folder: the lock file lives there, not in the machine's /var/lib.
      lockFile: join(cp.dir, 'var', 'lib', 'kube-firedrill', 'lock'),
    },
    hosts: topology.hosts.map((host) => ({
      name: host.name,
      role: host.role,
      address: host.address,
      port: topology.sshPort,
      user: ssh.user,
      identityFile: ssh.identityFile,
      knownHosts: ssh.knownHosts,
      // As root the lab still goes through sudo, so the sudo path of every fault is exercised.
      sudo: ssh.user === 'root',
      node: host.name,
      ...(host.role === 'control-plane' && host.name !== cp.name ? { components: components(host) } : {}),
    })),
    etcdSnapshot: {
      endpoint: `https://${cp.address}:${topology.etcdClientPort}`,
      caFile: pki.ca.cert,
      certFile: pki.etcdAdmin.cert,
      keyFile: pki.etcdAdmin.key,
      dataDir: join(cp.dir, 'var', 'lib', 'etcd'),
      memberName: cp.name,
      peerUrl: etcdPeerUrl(topology, cp),
      members: controlPlaneHosts(topology).map((host) => ({
        name: host.name,
        host: host.name,
        peerUrl: etcdPeerUrl(topology, host),
        clientUrl: etcdClientUrl(topology, host),
        // Each lab host's filesystem is its own folder.
        dataDir: join(host.dir, 'var', 'lib', 'etcd'),
      })),
    },
    components: { ...components(cp), kubelet: { kind: 'service', unit: 'kubelet' } },
    aws: {
      region: topology.ec2Api.region,
      endpoint: `http://${topology.ec2Api.address}:${topology.ec2Api.port}`,
      credentialsFile: awsCredentialsPath(topology.labDir),
      profile: 'firedrill-lab',
    },
    timings,
    // The lab's hosts share one machine: each keeps its journal copy in its own folder.
    safety: { selfHealAfterSeconds: 900, journalDir: join(cp.dir, 'var', 'lib', 'kube-firedrill', 'journal') },
    app: {
      namespace: GUESTBOOK.namespace,
      deployment: GUESTBOOK.name,
      selector: GUESTBOOK.selector,
      endpoint: `http://${topology.loadBalancer.address}:${topology.loadBalancer.port}/`,
    },
  };
  return profileSchema.parse(profile);
}

export function writeLabProfile(topology: LabTopology, ssh: LabSsh, timings: LabTimings, pki: LabPki): string {
  const path = labPaths(topology.labDir).profile;
  writeFileSync(awsCredentialsPath(topology.labDir), '# The lab\'s EC2 API accepts any key.\n[firedrill-lab]\naws_access_key_id = lab\naws_secret_access_key = lab\n', { mode: 0o600 });
  const header = '# Cluster profile of the kube-firedrill lab, written by `npm run lab -- up`.\n';
  writeFileSync(path, header + stringify(labProfile(topology, ssh, timings, pki)));
  return path;
}
