// Reads and validates a cluster profile file before anything is contacted.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import { ProfileError } from './profile-error.ts';
import { applyPreset } from './presets.ts';
import { kubeconfigProblems } from './kubeconfig-file.ts';
import { checkLocalFiles } from './profile-files.ts';
import { hostSchema, profileSchema, type ClusterProfile, type ProfileHost } from './profile-schema.ts';

function fieldPath(path: PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

function describeIssue(issue: z.core.$ZodIssue, prefix = ''): string {
  const where = prefix + fieldPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return `${where}: ${issue.message}`;
}

/** Two hosts may not share a name, nor an address and port (one machine listed twice would get two faults). */
export function duplicateHosts(hosts: readonly ProfileHost[], field: (index: number) => string): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const endpoints = new Map<string, string>();
  hosts.forEach((host, index) => {
    if (names.has(host.name)) problems.push(`${field(index)}.name: "${host.name}" is used by another host; host names must be unique`);
    names.add(host.name);
    const endpoint = `${host.address.toLowerCase()}:${host.port}`;
    const other = endpoints.get(endpoint);
    if (other !== undefined) problems.push(`${field(index)}.address: ${host.address} port ${host.port} is already host "${other}"; each host must be listed once`);
    else endpoints.set(endpoint, host.name);
  });
  return problems;
}

/** Hosts found elsewhere (the nodes) checked against the same schema as listed ones; field names the node. */
export function validateHosts(raw: readonly unknown[], field: (index: number) => string): { hosts: ProfileHost[]; problems: string[] } {
  const hosts: ProfileHost[] = [];
  const problems: string[] = [];
  raw.forEach((candidate, index) => {
    const result = hostSchema.safeParse(candidate);
    if (result.success) hosts.push(result.data);
    else problems.push(...result.error.issues.map((issue) => describeIssue(issue, `${field(index)}.`)));
  });
  if (problems.length === 0) problems.push(...duplicateHosts(hosts, field));
  return { hosts, problems };
}

/** Cross-field checks the schema cannot express: unique names and addresses, references to hosts that exist. */
function checkReferences(profile: ClusterProfile): string[] {
  const problems = duplicateHosts(profile.hosts, (index) => `hosts[${index}]`);
  const names = new Set(profile.hosts.map((host) => host.name));
  profile.hosts.forEach((host, index) => {
    if (host.jumpHost && !names.has(host.jumpHost)) problems.push(`hosts[${index}].jumpHost: no host named "${host.jumpHost}" in hosts`);
    if (host.jumpHost === host.name) problems.push(`hosts[${index}].jumpHost: a host cannot jump through itself`);
  });
  if (profile.hosts.length === 0 && !profile.discoverHosts) problems.push('hosts: list the hosts, or set discoverHosts to find them from the nodes');
  if (profile.hosts.length > 0 && !profile.hosts.some((host) => host.role === 'control-plane')) problems.push('hosts: at least one host must have role: control-plane');
  return problems;
}

export function parseProfile(text: string, file: string): ClusterProfile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new ProfileError(file, [`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const result = profileSchema.safeParse(applyPreset(raw));
  if (!result.success) throw new ProfileError(file, result.error.issues.map((issue) => describeIssue(issue)));
  const problems = checkReferences(result.data);
  if (problems.length > 0) throw new ProfileError(file, problems);
  return result.data;
}

/** Reads, validates, and checks that every local file the profile names can be read; throws ProfileError (exit 2). */
export function loadProfile(file: string): ClusterProfile {
  if (!existsSync(file)) throw new ProfileError(file, ['file not found: pass --profile with the path of a cluster profile, or leave it out to use the lab']);
  const profile = parseProfile(readFileSync(file, 'utf8'), file);
  const problems = checkLocalFiles(profile);
  if (!problems.some((problem) => problem.startsWith('cluster.kubeconfig:'))) problems.push(...kubeconfigProblems(profile));
  if (problems.length > 0) throw new ProfileError(file, problems);
  return profile;
}
