// How a component runs on one host: the host's own override (hosts[].components) or the profile's default.
import type { ClusterProfile, ProfileComponents, ProfileHost } from './profile-schema.ts';

export function componentOn<K extends keyof ProfileComponents>(profile: ClusterProfile, host: ProfileHost, name: K): ProfileComponents[K] {
  const own: Partial<ProfileComponents> | undefined = host.components;
  return own?.[name] ?? profile.components[name];
}
