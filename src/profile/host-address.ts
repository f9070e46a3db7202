// A host's address as ssh gets it: an IP address or a DNS name, never anything ssh could read as an option or a second word.
import { isIP } from 'node:net';

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** True for an IPv4/IPv6 address or a DNS name (letters, digits and inner "-" per label, at most 253 characters). */
export function isHostAddress(value: string): boolean {
  if (isIP(value) !== 0) return true;
  if (value.length > 253) return false;
  const labels = value.replace(/\.$/, '').split('.');
  // All-numeric names like 10.0.0.300 are mistyped IP addresses, not DNS names.
  if (labels.every((label) => /^\d+$/.test(label))) return false;
  return labels.every((label) => LABEL.test(label));
}

export const HOST_ADDRESS_HINT = 'an IP address or DNS name (e.g. 10.0.0.10 or cp-1.example.com)';
