// The secret values in the files a profile names (the kubeconfig's tokens and keys, the AWS credentials file's secret
// keys), so that a run can mask them wherever they would appear.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ClusterProfile } from './profile-schema.ts';

/** Kubeconfig keys whose values are secrets: token, client-key-data, password, id-token, refresh-token, client-secret... */
const KUBECONFIG_SECRET_KEY = /token|password|secret|key-data/i;
/** Keys that name a file, not a secret. */
const FILE_KEY = /file$/i;

function collect(value: unknown, key: string, found: string[]): void {
  if (typeof value === 'string') {
    if (KUBECONFIG_SECRET_KEY.test(key) && !FILE_KEY.test(key)) found.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, key, found);
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // exec env entries are { name: X_TOKEN, value: ... }: the value is secret when the name says so.
    const named = (value as { name?: unknown }).name;
    for (const [name, item] of entries) collect(item, name === 'value' && typeof named === 'string' ? named : name, found);
  }
}

/** The secret values of a kubeconfig (users[].user.token, client-key-data, auth-provider and exec secrets). */
export function kubeconfigSecrets(text: string): string[] {
  const found: string[] = [];
  let config: unknown;
  try {
    config = parse(text);
  } catch {
    return found;
  }
  const users = (config as { users?: unknown } | null)?.users;
  collect(users, 'users', found);
  return found;
}

/** The secret values of an AWS shared credentials file (aws_secret_access_key, aws_session_token). */
export function awsCredentialsSecrets(text: string): string[] {
  return [...text.matchAll(/^\s*aws_(?:secret_access_key|session_token)\s*=\s*(\S+)\s*$/gim)].map((match) => match[1] as string);
}

/** Every secret value in the local files the profile names; files that cannot be read contribute nothing. */
export function profileSecrets(profile: ClusterProfile): string[] {
  const read = (file: string | undefined) => {
    try {
      return file ? readFileSync(file, 'utf8') : '';
    } catch {
      return '';
    }
  };
  return [...kubeconfigSecrets(read(profile.cluster.kubeconfig)), ...awsCredentialsSecrets(read(profile.aws?.credentialsFile))];
}
