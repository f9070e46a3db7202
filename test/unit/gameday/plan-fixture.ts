// A folder holding a loadable cluster profile shaped like the lab's (hosts control-plane, worker-1..3), and plans next to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { validProfile } from '../profile/profile-fixture.ts';

const LAB_HOSTS = ['control-plane', 'worker-1', 'worker-2', 'worker-3'];

export interface PlanFolder {
  dir: string;
  /** profile.yaml in dir. */
  profile: string;
  /** Writes a plan file into dir and returns its path. */
  write(name: string, text: string): string;
  remove(): void;
}

export function planFolder(app: { endpoint?: string } = { endpoint: 'http://127.0.0.2:8080/' }): PlanFolder {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-plan-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  // A one-line kubeconfig with the profile's context.
  const kubeconfig = file('kubeconfig', JSON.stringify({ clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }], contexts: [{ name: 'staging', context: { cluster: 'c' } }] }));
  const knownHosts = file('known_hosts', '\n');
  const profile = validProfile() as Record<string, unknown> & { app: Record<string, unknown> };
  profile.cluster = { kubeconfig, context: 'staging' };
  profile.hosts = LAB_HOSTS.map((name, index) => ({ name, role: index === 0 ? 'control-plane' : 'worker', address: `127.0.0.${index + 1}`, user: 'sre', knownHosts }));
  profile.app = { ...profile.app, endpoint: app.endpoint };
  return { dir, profile: file('profile.yaml', stringify(profile)), write: file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
