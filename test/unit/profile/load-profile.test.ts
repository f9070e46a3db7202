// Profile validation: a good profile loads with defaults; each malformed one names its field path.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { ProfileError } from '../../../src/profile/profile-error.ts';
import { validProfile } from './profile-fixture.ts';

type Profile = ReturnType<typeof validProfile> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function rejects(mutate: (profile: Profile) => void): string {
  const profile = validProfile() as Profile;
  mutate(profile);
  try {
    parseProfile(stringify(profile), 'staging.yaml');
  } catch (error) {
    expect(error).to.be.instanceOf(ProfileError);
    expect((error as ProfileError).exitCode).to.equal(2);
    return (error as Error).message;
  }
  throw new Error('the profile was accepted');
}

describe('cluster profile validation', () => {
  it('accepts a valid profile and fills in defaults', () => {
    const profile = parseProfile(stringify(validProfile()), 'staging.yaml');
    expect(profile.hosts[1]?.port).to.equal(22);
    expect(profile.hosts[1]?.sudo).to.equal(false);
    expect(profile.timings.unreachableTolerationSeconds).to.equal(300);
    expect(profile.cluster.production).to.equal(false);
  });

  const cases: [string, (profile: Profile) => void, RegExp][] = [
    ['wrong apiVersion', (p) => (p.apiVersion = 'v2'), /apiVersion/],
    ['wrong kind', (p) => (p.kind = 'Profile'), /kind/],
    ['missing name', (p) => delete p.name, /name/],
    ['relative kubeconfig', (p) => (p.cluster.kubeconfig = 'kube/config'), /cluster\.kubeconfig: an absolute path/],
    ['no hosts', (p) => (p.hosts = []), /hosts/],
    ['port out of range', (p) => (p.hosts[1].port = 70000), /hosts\[1\]\.port/],
    ['port not an integer', (p) => (p.hosts[0].port = '22'), /hosts\[0\]\.port/],
    ['bad role', (p) => (p.hosts[0].role = 'master'), /hosts\[0\]\.role/],
    ['bad host name', (p) => (p.hosts[1].name = 'Worker One'), /hosts\[1\]\.name/],
    ['user with a space', (p) => (p.hosts[0].user = 'ubuntu; rm -rf /'), /hosts\[0\]\.user: a Unix user name/],
    ['missing knownHosts', (p) => delete p.hosts[0].knownHosts, /hosts\[0\]\.knownHosts/],
    ['unknown host field', (p) => (p.hosts[0].pasword = 'x'), /hosts\[0\]: unknown field "pasword"/],
    ['jump host that does not exist', (p) => (p.hosts[1].jumpHost = 'bastion'), /hosts\[1\]\.jumpHost: no host named "bastion"/],
    ['duplicate host names', (p) => (p.hosts[1].name = 'cp-1'), /hosts\[1\]\.name: "cp-1" is used by another host/],
    ['no control-plane host', (p) => (p.hosts[0].role = 'worker'), /at least one host must have role: control-plane/],
    ['unknown component kind', (p) => (p.components.etcd = { kind: 'container', name: 'etcd' }), /components\.etcd/],
    ['manifest not yaml', (p) => (p.components['kube-scheduler'].manifest = '/etc/kubernetes/manifests/sched'), /components\.kube-scheduler\.manifest/],
    ['process name longer than pgrep -x sees', (p) => (p.components['kube-controller-manager'].process = 'kube-controller-manager'), /components\.kube-controller-manager\.process/],
    ['unit with shell characters', (p) => (p.components.kubelet.unit = 'kubelet; reboot'), /components\.kubelet\.unit: a systemd unit name/],
    ['negative timing', (p) => (p.timings.nodeMonitorGracePeriodSeconds = -1), /timings\.nodeMonitorGracePeriodSeconds/],
    ['bad app selector', (p) => (p.app.selector = 'app in (a,b)'), /app\.selector/],
    ['app endpoint not a URL', (p) => (p.app.endpoint = 'guestbook:80'), /app\.endpoint/],
    ['EC2 instance ID malformed', (p) => (p.hosts[1].instanceId = 'worker-1'), /hosts\[1\]\.instanceId: an EC2 instance ID/],
    ['AWS region malformed', (p) => (p.aws = { region: 'Ireland' }), /aws\.region: an AWS region like eu-west-1/],
  ];
  for (const [title, mutate, expected] of cases) {
    it(`rejects ${title}`, () => expect(rejects(mutate)).to.match(expected));
  }

  it('rejects a file that is not YAML, saying so', () => {
    expect(() => parseProfile('hosts: [unclosed', 'bad.yaml')).to.throw(ProfileError, /bad\.yaml: invalid cluster profile:\n {2}- not valid YAML/);
  });

  it('lists every problem at once', () => {
    const message = rejects((p) => {
      p.hosts[0].port = 0;
      p.cluster.kubeconfig = 'x';
    });
    expect(message).to.match(/hosts\[0\]\.port/).and.to.match(/cluster\.kubeconfig/);
  });
});

describe('profile presets', () => {
  it('fills in the kubeadm components when the profile leaves them out', () => {
    const raw = validProfile() as Record<string, unknown>;
    delete raw.components;
    const profile = parseProfile(stringify(raw), 'kubeadm.yaml');
    expect(profile.components.etcd).to.deep.equal({ kind: 'static-pod', manifest: '/etc/kubernetes/manifests/etcd.yaml', process: 'etcd', health: { url: 'http://127.0.0.1:2381/readyz' } });
    expect(profile.components['kube-apiserver'].health).to.deep.equal({ url: 'https://127.0.0.1:6443/readyz' });
    expect(profile.components['kube-scheduler'].health).to.deep.equal({ url: 'https://127.0.0.1:10259/healthz' });
    expect(profile.components['kube-controller-manager'].health).to.deep.equal({ url: 'https://127.0.0.1:10257/healthz' });
    expect(profile.components.kubelet).to.deep.equal({ kind: 'service', unit: 'kubelet', health: { url: 'http://127.0.0.1:10248/healthz' } });
  });

  it('requires a health endpoint\'s client certificate and key together, naming the field', () => {
    const raw = validProfile() as Record<string, unknown>;
    raw.components = { ...(raw.components as object), 'kube-apiserver': { kind: 'static-pod', manifest: '/etc/kubernetes/manifests/kube-apiserver.yaml', process: 'kube-apiserver', health: { url: 'https://127.0.0.1:6443/readyz', certFile: '/etc/c.crt' } } };
    expect(() => parseProfile(stringify(raw), 'p.yaml')).to.throw(ProfileError, /components\.kube-apiserver\.health\.keyFile: certFile and keyFile go together/);
  });

  it('runs etcd2 as a systemd unit in the kube-aws preset, and explicit components win', () => {
    const raw = { ...validProfile(), preset: 'kube-aws', components: { kubelet: { kind: 'service', unit: 'kubelet.service' } } };
    const profile = parseProfile(stringify(raw), 'kube-aws.yaml');
    expect(profile.components.etcd).to.deep.equal({ kind: 'service', unit: 'etcd2' });
    expect(profile.components.kubelet.unit).to.equal('kubelet.service');
  });

  it('accepts discoverHosts instead of hosts, and requires one of them', () => {
    const raw = { ...validProfile(), hosts: undefined, discoverHosts: { user: 'core', knownHosts: '/home/sre/.ssh/known_hosts' } };
    expect(parseProfile(stringify(raw), 'p.yaml').discoverHosts?.port).to.equal(22);
    expect(() => parseProfile(stringify({ ...raw, discoverHosts: undefined }), 'p.yaml')).to.throw(ProfileError, /hosts: list the hosts, or set discoverHosts/);
  });
});
