// Profile validation: a good profile loads with defaults; each malformed one names its field path.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { parseProfile, validateHosts } from '../../../src/profile/load-profile.ts';
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
    expect(profile.timings.podStartSeconds).to.equal(60);
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
    ['no time for a pod to start', (p) => (p.timings.podStartSeconds = 0), /timings\.podStartSeconds/],
    ['bad app selector', (p) => (p.app.selector = 'app in (a,b)'), /app\.selector/],
    ['app endpoint not a URL', (p) => (p.app.endpoint = 'guestbook:80'), /app\.endpoint/],
    ['EC2 instance ID malformed', (p) => (p.hosts[1].instanceId = 'worker-1'), /hosts\[1\]\.instanceId: an EC2 instance ID/],
    ['AWS region malformed', (p) => (p.aws = { region: 'Ireland' }), /aws\.region: an AWS region like eu-west-1/],
    ['address carrying an ssh option', (p) => (p.hosts[0].address = '10.0.0.10 -oProxyCommand=touch /tmp/x'), /hosts\[0\]\.address: an IP address or DNS name/],
    ['address with a space', (p) => (p.hosts[1].address = 'cp 1.example.com'), /hosts\[1\]\.address: an IP address or DNS name/],
    ['address starting with "-"', (p) => (p.hosts[1].address = '-oProxyCommand=x'), /hosts\[1\]\.address/],
    ['address that is a mistyped IP', (p) => (p.hosts[1].address = '10.0.0.300'), /hosts\[1\]\.address/],
    ['address with shell characters', (p) => (p.hosts[1].address = 'host;reboot'), /hosts\[1\]\.address/],
    ['address with a user in it', (p) => (p.hosts[1].address = 'root@10.0.1.11'), /hosts\[1\]\.address/],
    ['empty address', (p) => (p.hosts[1].address = ''), /hosts\[1\]\.address/],
    ['two hosts at one address and port', (p) => (p.hosts[1].address = '10.0.0.10'), /hosts\[1\]\.address: 10\.0\.0\.10 port 22 is already host "cp-1"/],
    ['process starting with "-"', (p) => (p.components.etcd.process = '-uroot'), /components\.etcd\.process: a process name/],
    ['process with a space', (p) => (p.components.etcd.process = 'etcd x'), /components\.etcd\.process/],
    ['process with shell characters', (p) => (p.components.etcd.process = 'etcd;id'), /components\.etcd\.process/],
    ['empty process', (p) => (p.components.etcd.process = ''), /components\.etcd\.process/],
    ['node name with shell characters', (p) => (p.hosts[1].node = 'worker-1; reboot'), /hosts\[1\]\.node: a Kubernetes node name/],
    ['unit starting with "-"', (p) => (p.components.kubelet.unit = '--now'), /components\.kubelet\.unit: a systemd unit name/],
  ];
  for (const [title, mutate, expected] of cases) {
    it(`rejects ${title}`, () => expect(rejects(mutate)).to.match(expected));
  }

  it('accepts IPv4, IPv6 and DNS names as addresses, and the same address on another port', () => {
    for (const address of ['10.0.0.10', '2001:db8::10', 'fe80::1', 'cp-1.example.com', 'ip-10-0-0-10.ec2.internal', 'localhost', 'CP1.Example.com.']) {
      const raw = validProfile() as Profile;
      raw.hosts[0].address = address;
      expect(parseProfile(stringify(raw), 'p.yaml').hosts[0]?.address).to.equal(address);
    }
    const raw = validProfile() as Profile;
    raw.hosts[1].address = '10.0.0.10';
    raw.hosts[1].port = 2222;
    expect(parseProfile(stringify(raw), 'p.yaml').hosts).to.have.length(2);
  });

  it('accepts process names pgrep -x can match', () => {
    for (const process of ['etcd', 'kube-controller', 'kube-apiserver', 'k3s-server', 'a', 'x.y_z:1']) {
      const raw = validProfile() as Profile;
      raw.components.etcd.process = process;
      expect(parseProfile(stringify(raw), 'p.yaml').components.etcd).to.include({ process });
    }
  });

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

describe('discovered hosts', () => {
  const discovered = (name: string, address: string) => ({ name, role: 'worker', address, port: 22, user: 'core', knownHosts: '/k', sudo: false, node: name });
  const label = (index: number) => `discoverHosts (node "n${index}")`;

  it('pass the host schema: a node address that is not an IP or DNS name is refused, naming the node', () => {
    const { problems } = validateHosts([discovered('n0', '10.0.0.1'), discovered('n1', '10.0.0.2 -oProxyCommand=x')], label);
    expect(problems).to.deep.equal(['discoverHosts (node "n1").address: an IP address or DNS name (e.g. 10.0.0.10 or cp-1.example.com)']);
  });

  it('refuses two nodes with one address or one name', () => {
    expect(validateHosts([discovered('n0', '10.0.0.1'), discovered('n1', '10.0.0.1')], label).problems).to.deep.equal([
      'discoverHosts (node "n1").address: 10.0.0.1 port 22 is already host "n0"; each host must be listed once',
    ]);
    expect(validateHosts([discovered('n0', '10.0.0.1'), discovered('n0', '10.0.0.2')], label).problems[0]).to.match(/name: "n0" is used by another host/);
  });

  it('returns the hosts with defaults when all are valid', () => {
    const { hosts, problems } = validateHosts([discovered('n0', '10.0.0.1'), discovered('n1', 'n1.internal')], label);
    expect(problems).to.deep.equal([]);
    expect(hosts.map((host) => host.address)).to.deep.equal(['10.0.0.1', 'n1.internal']);
  });
});
