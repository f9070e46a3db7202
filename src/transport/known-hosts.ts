// Reads an OpenSSH known_hosts file and finds the host keys expected for an address and port.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KnownKey {
  /** Key type as written in the file, e.g. ssh-ed25519. */
  type: string;
  /** The public key blob, base64 as in the file. */
  key: string;
}

export interface KnownHostsEntry extends KnownKey {
  marker?: 'revoked' | 'cert-authority';
  /** The host field: comma-separated patterns, or one hashed `|1|salt|hash` name. */
  hosts: string;
}

export interface ExpectedKeys {
  keys: KnownKey[];
  /** Keys marked @revoked for this host: never accept them. */
  revoked: KnownKey[];
}

export function parseKnownHosts(text: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostsEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift()?.slice(1) as KnownHostsEntry['marker'];
    else if (fields[0]?.startsWith('@')) continue; // an unknown marker: OpenSSH ignores the line too
    const [hosts, type, key] = fields;
    if (!hosts || !type || !key) continue;
    entries.push({ marker, hosts, type, key });
  }
  return entries;
}

/** The name OpenSSH looks up: the bare address on port 22, `[address]:port` otherwise. */
export function hostKeyName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function hashedNameMatches(hashed: string, name: string): boolean {
  const [, version, salt, hash] = hashed.split('|');
  if (version !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

function patternMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

/** Whether an entry's host field names `name`: any pattern matches and no negated (`!`) pattern does. */
export function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) return hashedNameMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (patternMatches(pattern.slice(1), name)) return false;
    } else if (patternMatches(pattern, name)) matched = true;
  }
  return matched;
}

export function expectedKeys(entries: KnownHostsEntry[], address: string, port: number): ExpectedKeys {
  const name = hostKeyName(address, port);
  const found: ExpectedKeys = { keys: [], revoked: [] };
  for (const entry of entries) {
    if (entry.marker === 'cert-authority' || !hostsMatch(entry.hosts, name)) continue;
    (entry.marker === 'revoked' ? found.revoked : found.keys).push({ type: entry.type, key: entry.key });
  }
  return found;
}

/** The keys a known_hosts file expects for address:port; a missing file expects none. */
export function readExpectedKeys(path: string, address: string, port: number): ExpectedKeys {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return expectedKeys(parseKnownHosts(text), address, port);
}

/** OpenSSH's fingerprint of a public key blob: SHA256:<unpadded base64 of its SHA-256>. */
export function fingerprint(blob: Buffer | string): string {
  const bytes = typeof blob === 'string' ? Buffer.from(blob, 'base64') : blob;
  return `SHA256:${createHash('sha256').update(bytes).digest('base64').replace(/=+$/, '')}`;
}

/** Whether the presented key blob is one of the keys. */
export function containsKey(keys: KnownKey[], blob: Buffer): boolean {
  return keys.some((known) => Buffer.from(known.key, 'base64').equals(blob));
}

/** The key type a public key blob starts with (an SSH string), e.g. ssh-ed25519. */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  return blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1');
}
