// known_hosts parsing and lookup: plain, bracketed, comma-separated, wildcard, hashed, @revoked and @cert-authority entries.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { containsKey, expectedKeys, fingerprint, hostKeyName, hostsMatch, keyType, parseKnownHosts } from '../../../src/transport/known-hosts.ts';

/** A fake ed25519 public key blob (the SSH wire format: type string, then key string). */
function blob(seed: string): Buffer {
  const part = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return Buffer.concat([part(Buffer.from('ssh-ed25519')), part(createHash('sha256').update(seed).digest())]);
}
const KEY_A = blob('a').toString('base64');
const KEY_B = blob('b').toString('base64');
const KEY_C = blob('c').toString('base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known hosts', () => {
  it('names port 22 hosts bare and other ports in brackets', () => {
    expect(hostKeyName('10.0.0.1', 22)).to.equal('10.0.0.1');
    expect(hostKeyName('10.0.0.1', 2222)).to.equal('[10.0.0.1]:2222');
  });

  it('parses entries, skipping comments, blank lines and broken lines', () => {
    const entries = parseKnownHosts(`# comment\n\n10.0.0.1 ssh-ed25519 ${KEY_A} root@cp\nbroken-line\n@revoked * ssh-ed25519 ${KEY_B}\n`);
    expect(entries).to.deep.equal([
      { marker: undefined, hosts: '10.0.0.1', type: 'ssh-ed25519', key: KEY_A },
      { marker: 'revoked', hosts: '*', type: 'ssh-ed25519', key: KEY_B },
    ]);
  });

  it('finds a plain entry for port 22 only', () => {
    const entries = parseKnownHosts(`10.0.0.1 ssh-ed25519 ${KEY_A}\n`);
    expect(expectedKeys(entries, '10.0.0.1', 22).keys).to.deep.equal([{ type: 'ssh-ed25519', key: KEY_A }]);
    expect(expectedKeys(entries, '10.0.0.1', 2222).keys).to.deep.equal([]);
    expect(expectedKeys(entries, '10.0.0.10', 22).keys).to.deep.equal([]);
  });

  it('finds a [host]:port entry for that port only', () => {
    const entries = parseKnownHosts(`[127.0.10.1]:2222 ssh-ed25519 ${KEY_A}\n`);
    expect(expectedKeys(entries, '127.0.10.1', 2222).keys).to.have.length(1);
    expect(expectedKeys(entries, '127.0.10.1', 22).keys).to.have.length(0);
    expect(expectedKeys(entries, '127.0.10.1', 2223).keys).to.have.length(0);
  });

  it('matches comma-separated names, wildcards and negations', () => {
    const entries = parseKnownHosts(`cp.example.com,10.0.0.1,[10.0.0.1]:2222 ssh-ed25519 ${KEY_A}\n*.example.com,!bad.example.com ssh-ed25519 ${KEY_B}\n`);
    expect(expectedKeys(entries, '10.0.0.1', 22).keys.map((k) => k.key)).to.deep.equal([KEY_A]);
    expect(expectedKeys(entries, '10.0.0.1', 2222).keys.map((k) => k.key)).to.deep.equal([KEY_A]);
    expect(expectedKeys(entries, 'cp.example.com', 22).keys.map((k) => k.key)).to.deep.equal([KEY_A, KEY_B]);
    expect(expectedKeys(entries, 'bad.example.com', 22).keys).to.deep.equal([]);
    expect(hostsMatch('10.0.0.?', '10.0.0.7')).to.equal(true);
    expect(hostsMatch('10.0.0.?', '10.0.0.70')).to.equal(false);
    expect(hostsMatch('10.0.0.1', '10.0.0.1x')).to.equal(false);
  });

  it('matches hashed entries (HMAC-SHA1 of the name with the salt)', () => {
    const entries = parseKnownHosts(`${hashed('[127.0.10.11]:2222')} ssh-ed25519 ${KEY_A}\n${hashed('10.0.0.5')} ssh-ed25519 ${KEY_B}\n`);
    expect(expectedKeys(entries, '127.0.10.11', 2222).keys.map((k) => k.key)).to.deep.equal([KEY_A]);
    expect(expectedKeys(entries, '127.0.10.11', 22).keys).to.deep.equal([]);
    expect(expectedKeys(entries, '10.0.0.5', 22).keys.map((k) => k.key)).to.deep.equal([KEY_B]);
    expect(expectedKeys(entries, '10.0.0.6', 22).keys).to.deep.equal([]);
  });

  it('returns @revoked keys separately and skips @cert-authority lines', () => {
    const entries = parseKnownHosts(
      [`10.0.0.1 ssh-ed25519 ${KEY_A}`, `@revoked 10.0.0.* ssh-ed25519 ${KEY_B}`, `@cert-authority *.example.com,10.0.0.1 ssh-ed25519 ${KEY_C}`].join('\n'),
    );
    const found = expectedKeys(entries, '10.0.0.1', 22);
    expect(found.keys.map((k) => k.key)).to.deep.equal([KEY_A]);
    expect(found.revoked.map((k) => k.key)).to.deep.equal([KEY_B]);
    expect(containsKey(found.revoked, blob('b'))).to.equal(true);
    expect(containsKey(found.keys, blob('b'))).to.equal(false);
  });

  it('fingerprints a key like ssh-keygen -l (SHA256, unpadded base64) and reads its type', () => {
    const expected = `SHA256:${createHash('sha256').update(blob('a')).digest('base64').replace(/=+$/, '')}`;
    expect(fingerprint(KEY_A)).to.equal(expected);
    expect(fingerprint(blob('a'))).to.equal(expected);
    expect(keyType(blob('a'))).to.equal('ssh-ed25519');
  });
});
