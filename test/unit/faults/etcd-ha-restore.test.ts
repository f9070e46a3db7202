// etcd-restore on several members: the snapshot copied chunk by chunk and checked, each member restored into one
// new cluster, and etcd's own member list compared with the profile's.
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { memberSettings } from '../../../src/faults/etcd-member-settings.ts';
import { EtcdSnapshotCopy } from '../../../src/faults/etcd-snapshot-copy.ts';
import { EtcdDataRestoreFault } from '../../../src/faults/etcd-snapshot.ts';
import type { FaultContext } from '../../../src/faults/fault.ts';
import { apiServerUrlOn } from '../../../src/kube/api-server-on.ts';
import { memberMismatch, parseMemberList } from '../../../src/probes/etcd-member-list.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import type { ProfileHost } from '../../../src/profile/profile-schema.ts';
import type { CommandOptions, CommandResult, Transport } from '../../../src/transport/transport.ts';
import { validProfile } from '../profile/profile-fixture.ts';

const MIB = 1024 * 1024;
const settings = { endpoint: 'https://10.0.0.10:2379', caFile: '/ca', certFile: '/c', keyFile: '/k', dataDir: '/var/lib/etcd', memberName: 'cp-1', peerUrl: 'https://10.0.0.10:2380', keepPreviousDataDirs: 1, freeSpaceMarginMiB: 64 };
const members = [
  { name: 'cp-1', host: 'cp-1', peerUrl: 'https://10.0.0.10:2380', clientUrl: 'https://10.0.0.10:2379' },
  { name: 'cp-2', host: 'cp-2', peerUrl: 'https://10.0.0.11:2380', clientUrl: 'https://10.0.0.11:2379', dataDir: '/data/etcd' },
];

const raw = validProfile();
const hosts = raw.hosts as Record<string, unknown>[];
hosts.splice(1, 0, { ...hosts[0], name: 'cp-2', address: '10.0.0.11' });
const profile = parseProfile(stringify(raw), 'p.yaml');
const [cp1, cp2] = profile.hosts as [ProfileHost, ProfileHost];

/** Answers like two hosts with a snapshot of `size` bytes; records each command with the stdin it was given. */
class TwoHosts implements Transport {
  readonly seen: { host: string; argv: string[]; stdin?: string }[] = [];
  constructor(
    private readonly size: number,
    private readonly sums: Record<string, string>,
  ) {}

  async run(host: ProfileHost, argv: string[], options: CommandOptions = {}): Promise<CommandResult> {
    this.seen.push({ host: host.name, argv, stdin: options.stdin });
    const stdout = argv[0] === 'stat' ? `${this.size}\n` : argv[0] === 'sha256sum' ? `${this.sums[host.name]}  ${argv[2]}\n` : argv[2]?.startsWith('dd ') ? `chunk-${argv[5]}` : '';
    return { host: host.name, argv, sudo: host.sudo, code: 0, stdout, stderr: '', durationMs: 1 };
  }

  check(host: ProfileHost, argv: string[], options?: CommandOptions): Promise<CommandResult> {
    return this.run(host, argv, options);
  }

  async close(): Promise<void> {}
}

const context = (transport: Transport): FaultContext => ({ profile, transport, kube: new KubeConfig(), dryRun: false, signal: new AbortController().signal, announceApiChange: () => {} });

describe('etcd-restore on several members', () => {
  it('copies the snapshot in 8 MiB chunks through the runner, into the backup folder beside the member’s data dir', async () => {
    const copy = new EtcdSnapshotCopy(cp1, '/var/lib/firedrill-backup/etcd-1.db', cp2, memberSettings(settings, members[1]!));
    expect(copy.file).to.equal('/data/firedrill-backup/etcd-1.db');
    const transport = new TwoHosts(17 * MIB, { 'cp-1': 'abc', 'cp-2': 'abc' });
    await copy.inject(context(transport));
    const reads = transport.seen.filter((command) => command.host === 'cp-1' && command.argv[2]?.startsWith('dd '));
    expect(reads.map((command) => command.argv.slice(4))).to.deep.equal([
      ['/var/lib/firedrill-backup/etcd-1.db', '0', '8'],
      ['/var/lib/firedrill-backup/etcd-1.db', '8', '8'],
      ['/var/lib/firedrill-backup/etcd-1.db', '16', '8'],
    ]);
    const writes = transport.seen.filter((command) => command.host === 'cp-2' && command.argv[2] === 'base64 -d >> "$1"');
    expect(writes.map((command) => [command.argv[4], command.stdin])).to.deep.equal([
      ['/data/firedrill-backup/etcd-1.db', 'chunk-0'],
      ['/data/firedrill-backup/etcd-1.db', 'chunk-8'],
      ['/data/firedrill-backup/etcd-1.db', 'chunk-16'],
    ]);
    expect(copy.undo()).to.deep.equal({ type: 'etcd-snapshot-remove', host: 'cp-2', file: '/data/firedrill-backup/etcd-1.db', dataDir: '/data/etcd', endpoint: 'https://10.0.0.11:2379' });
  });

  it('fails a copy whose checksum differs, naming both files', async () => {
    const copy = new EtcdSnapshotCopy(cp1, '/var/lib/firedrill-backup/etcd-1.db', cp2, memberSettings(settings, members[1]!));
    const error = await copy.inject(context(new TwoHosts(10, { 'cp-1': 'abc', 'cp-2': 'abd' }))).catch((caught: Error) => caught);
    expect(error).to.be.an('error').with.property('message').that.includes('the copy cp-2:/data/firedrill-backup/etcd-1.db differs from cp-1:/var/lib/firedrill-backup/etcd-1.db (sha256 abd vs abc)');
  });

  it('restores each member into one cluster: the full --initial-cluster, one token, its own name and peer URL', async () => {
    const cluster = { members: members.map(({ name, peerUrl }) => ({ name, peerUrl })), token: 'kube-firedrill-restore-1' };
    const fault = new EtcdDataRestoreFault(cp2, memberSettings(settings, members[1]!), '/data/firedrill-backup/etcd-1.db', cluster);
    const transport = new TwoHosts(0, {});
    await fault.prepare(context(transport));
    const restore = transport.seen.find((command) => command.argv[0] === 'etcdutl')?.argv;
    expect(restore).to.deep.equal([
      'etcdutl', 'snapshot', 'restore', '/data/firedrill-backup/etcd-1.db',
      '--data-dir=/data/etcd.firedrill-restored',
      '--name=cp-2',
      '--initial-cluster=cp-1=https://10.0.0.10:2380,cp-2=https://10.0.0.11:2380',
      '--initial-cluster-token=kube-firedrill-restore-1',
      '--initial-advertise-peer-urls=https://10.0.0.11:2380',
      '--bump-revision=1000000000',
      '--mark-compacted',
    ]);
    // Prepared: the swap alone remains, and the live data dir was not touched before it.
    expect(transport.seen.some((command) => command.argv[0] === 'mv')).to.equal(false);
    await fault.inject(context(transport));
    expect(transport.seen.filter((command) => command.argv[0] === 'etcdutl')).to.have.length(1);
    expect(transport.seen.filter((command) => command.argv[0] === 'mv').map((command) => command.argv.slice(2))).to.deep.equal([
      ['/data/etcd', fault.previous],
      ['/data/etcd.firedrill-restored', '/data/etcd'],
    ]);
  });

  it('compares etcd’s member list with the profile’s members', () => {
    const listed = parseMemberList(
      '{"header":{"cluster_id":17237436991929493444},"members":[{"ID":9372538179322589801,"name":"cp-1","peerURLs":["https://10.0.0.10:2380"],"clientURLs":["https://10.0.0.10:2379"]},' +
        '{"ID":9372538179322589802,"name":"cp-2","peerURLs":["https://10.0.0.11:2380"],"clientURLs":["https://10.0.0.11:2379"]}]}',
    );
    expect(memberMismatch(listed, members)).to.equal(undefined);
    expect(memberMismatch(listed, members.slice(0, 1))).to.equal('etcd lists 2 member(s) (cp-1=https://10.0.0.10:2380, cp-2=https://10.0.0.11:2380), the profile expects 1 (cp-1=https://10.0.0.10:2380)');
    expect(memberMismatch(listed, [members[0]!, { ...members[1]!, peerUrl: 'https://10.0.0.99:2380' }])).to.match(/the profile expects 2 \(cp-1=https:\/\/10.0.0.10:2380, cp-2=https:\/\/10.0.0.99:2380\)/);
  });

  it('asks each API server at its host’s address, not through the load balancer', () => {
    const kube = new KubeConfig();
    kube.loadFromOptions({ clusters: [{ name: 'c', server: 'https://lb.example.com:8443' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    // The kubeadm preset's health URL is on loopback: the host's address is used instead, the port kept.
    const kubeadm = parseProfile(stringify({ ...raw, components: { ...(raw.components as object), 'kube-apiserver': { kind: 'static-pod', manifest: '/etc/kubernetes/manifests/kube-apiserver.yaml', process: 'kube-apiserver', health: { url: 'https://127.0.0.1:6443/readyz' } } } }), 'p.yaml');
    expect(apiServerUrlOn(kubeadm, cp2, kube)).to.equal('https://10.0.0.11:6443');
    // Without a health URL: the host's address at the kubeconfig's port.
    expect(apiServerUrlOn(profile, cp2, kube)).to.equal('https://10.0.0.11:8443');
  });
});
