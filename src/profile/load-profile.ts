// Reads and validates a cluster profile file before anything is contacted.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import { ProfileError } from './profile-error.ts';
import { applyPreset } from './presets.ts';
import { profileSchema, type ClusterProfile } from './profile-schema.ts';

function fieldPath(path: PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return `${where}: ${issue.message}`;
}

/** Cross-field checks the schema cannot express: unique names, references to hosts that exist. */
function checkReferences(profile: ClusterProfile): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  profile.hosts.forEach((host, index) => {
    if (names.has(host.name)) problems.push(`hosts[${index}].name: "${host.name}" is used by another host; host names must be unique`);
    names.add(host.name);
  });
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
  if (!result.success) throw new ProfileError(file, result.error.issues.map(describeIssue));
  const problems = checkReferences(result.data);
  if (problems.length > 0) throw new ProfileError(file, problems);
  return result.data;
}

export function loadProfile(file: string): ClusterProfile {
  if (!existsSync(file)) throw new ProfileError(file, ['file not found: pass --profile with the path of a cluster profile, or leave it out to use the lab']);
  return parseProfile(readFileSync(file, 'utf8'), file);
}
