// Builds the fault for a control-plane component from how the profile says it runs (service or static pod).
import { componentOn } from '../profile/component-on.ts';
import type { ClusterProfile, ProfileHost } from '../profile/profile-schema.ts';
import type { Fault } from './fault.ts';
import { controlPlaneHosts } from './hosts.ts';
import { ManifestMoveFault } from './manifest-move.ts';
import { ProcessKillFault } from './process-kill.ts';
import { ServiceStopFault } from './service-stop.ts';

export type ControlPlaneComponent = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';

/** Drills act on the first control-plane host (on a multi-master cluster, one member at a time). */
export function componentHost(profile: ClusterProfile): ProfileHost {
  const host = controlPlaneHosts(profile)[0];
  if (!host) throw new Error(`profile ${profile.name} has no control-plane host`);
  return host;
}

/** Stops a component the way it runs: `systemctl stop` for a service, the manifest moved out for a static pod. */
export function stopComponent(profile: ClusterProfile, component: ControlPlaneComponent): Fault {
  return stopComponentOn(profile, component, componentHost(profile));
}

/** Stops the component on one host, as that host runs it (its own manifest path if hosts[].components says so). */
export function stopComponentOn(profile: ClusterProfile, component: ControlPlaneComponent, host: ProfileHost): Fault {
  const how = componentOn(profile, host, component);
  return how.kind === 'service' ? new ServiceStopFault(host, how.unit, how.health) : new ManifestMoveFault(host, how.manifest, how.process, how.health);
}

/** One fault per control-plane host: with every instance stopped, an HA control plane has none of the component left. */
export function stopComponentEverywhere(profile: ClusterProfile, component: ControlPlaneComponent): Fault[] {
  const hosts = controlPlaneHosts(profile);
  if (hosts.length === 0) throw new Error(`profile ${profile.name} has no control-plane host`);
  return hosts.map((host) => stopComponentOn(profile, component, host));
}

/** Kills the component's process; its supervisor (the kubelet, or systemd) must bring it back by itself. */
export function killComponent(profile: ClusterProfile, component: ControlPlaneComponent, comesBackWithinMs: number): ProcessKillFault {
  return killComponentOn(profile, component, componentHost(profile), comesBackWithinMs);
}

/** Kills the component's process on one host (on HA, one instance of several), as that host runs it. */
export function killComponentOn(profile: ClusterProfile, component: ControlPlaneComponent, host: ProfileHost, comesBackWithinMs: number): ProcessKillFault {
  const how = componentOn(profile, host, component);
  const process = how.kind === 'static-pod' ? how.process : component;
  return new ProcessKillFault(host, process, comesBackWithinMs, how.kind === 'static-pod' ? how.manifest : undefined, how.health);
}

export function stopKubelet(profile: ClusterProfile, host: ProfileHost): ServiceStopFault {
  const kubelet = profile.components.kubelet;
  return new ServiceStopFault(host, kubelet.unit, kubelet.health);
}
