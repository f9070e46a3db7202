// Per-host component overrides (hosts[].components): validated like `components`, and componentOn picks the host's own.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { stopComponentEverywhere } from '../../../src/faults/component-faults.ts';
import { ManifestMoveFault } from '../../../src/faults/manifest-move.ts';
import { componentOn } from '../../../src/profile/component-on.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { ProfileError } from '../../../src/profile/profile-error.ts';
import { validProfile } from './profile-fixture.ts';

const OWN = '/srv/cp-2/manifests/kube-scheduler.yaml';

function haProfile(override: Record<string, unknown>) {
  const raw = validProfile();
  const hosts = raw.hosts as Record<string, unknown>[];
  hosts.push({ name: 'cp-2', role: 'control-plane', address: '10.0.0.11', user: 'ubuntu', knownHosts: '/home/sre/.ssh/known_hosts', components: override });
  return parseProfile(stringify(raw), 'ha.yaml');
}

describe('per-host components', () => {
  it('returns the host’s override, else the profile’s default', () => {
    const profile = haProfile({ 'kube-scheduler': { kind: 'static-pod', manifest: OWN, process: 'kube-scheduler', lease: 'kube-system/kube-scheduler' } });
    const [cp1, , cp2] = profile.hosts;
    if (!cp1 || !cp2) throw new Error('fixture has no cp-1/cp-2');
    expect(componentOn(profile, cp2, 'kube-scheduler')).to.deep.equal({ kind: 'static-pod', manifest: OWN, process: 'kube-scheduler', lease: 'kube-system/kube-scheduler' });
    expect(componentOn(profile, cp1, 'kube-scheduler')).to.include({ manifest: '/etc/kubernetes/manifests/kube-scheduler.yaml' });
    expect(componentOn(profile, cp2, 'kube-apiserver')).to.include({ manifest: '/etc/kubernetes/manifests/kube-apiserver.yaml' });
  });

  it('stops a component on every control-plane host, each at its own path', () => {
    const profile = haProfile({ 'kube-scheduler': { kind: 'static-pod', manifest: OWN, process: 'kube-scheduler' } });
    const faults = stopComponentEverywhere(profile, 'kube-scheduler');
    expect(faults.map((fault) => [fault.host?.name, (fault as ManifestMoveFault).manifest])).to.deep.equal([
      ['cp-1', '/etc/kubernetes/manifests/kube-scheduler.yaml'],
      ['cp-2', OWN],
    ]);
    expect(faults.every((fault) => fault instanceof ManifestMoveFault)).to.equal(true);
    expect(new Set(faults.map((fault) => fault.name)).size).to.equal(2);
  });

  it('rejects a bad override with its path, and an unknown component', () => {
    expect(() => haProfile({ 'kube-scheduler': { kind: 'static-pod', manifest: 'relative.yaml', process: 'kube-scheduler' } }))
      .to.throw(ProfileError)
      .with.property('message')
      .that.matches(/hosts\.2\.components\.kube-scheduler\.manifest|hosts\[2\]\.components\.kube-scheduler\.manifest/);
    expect(() => haProfile({ 'kube-proxy': { kind: 'service', unit: 'kube-proxy' } })).to.throw(ProfileError, /kube-proxy/);
  });
});
