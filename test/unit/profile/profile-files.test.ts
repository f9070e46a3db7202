// Files a profile names are checked when it is loaded: missing, unreadable or a folder is exit 2 naming the field.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { loadProfile } from '../../../src/profile/load-profile.ts';
import { ProfileError } from '../../../src/profile/profile-error.ts';
import { validProfile } from './profile-fixture.ts';

type Profile = ReturnType<typeof validProfile> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A kubeconfig with the fixture profile's context "staging". */
const KUBECONFIG = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443' } }],
  users: [{ name: 'u', user: { token: 'abc' } }],
  contexts: [
    { name: 'staging', context: { cluster: 'c', user: 'u' } },
    { name: 'dangling', context: { cluster: 'gone', user: 'u' } },
  ],
  'current-context': 'staging',
});

describe('files named by the profile', () => {
  let dir: string;
  let files: Record<'kubeconfig' | 'knownHosts' | 'identity' | 'credentials', string>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'firedrill-profile-files-'));
    files = { kubeconfig: join(dir, 'kubeconfig'), knownHosts: join(dir, 'known_hosts'), identity: join(dir, 'id'), credentials: join(dir, 'credentials') };
    for (const file of Object.values(files)) writeFileSync(file, 'x\n');
    writeFileSync(files.kubeconfig, KUBECONFIG);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The fixture profile pointing at the temp files, mutated, written, then loaded. */
  function load(mutate: (profile: Profile) => void = () => {}) {
    const profile = validProfile() as Profile;
    profile.cluster.kubeconfig = files.kubeconfig;
    for (const host of profile.hosts) host.knownHosts = files.knownHosts;
    profile.hosts[0].identityFile = files.identity;
    profile.aws = { region: 'eu-west-1', credentialsFile: files.credentials };
    mutate(profile);
    const path = join(dir, 'profile.yaml');
    writeFileSync(path, stringify(profile));
    return loadProfile(path);
  }

  function problems(mutate: (profile: Profile) => void): string[] {
    try {
      load(mutate);
    } catch (error) {
      expect(error).to.be.instanceOf(ProfileError);
      expect((error as ProfileError).exitCode).to.equal(2);
      return (error as ProfileError).problems;
    }
    throw new Error('the profile was accepted');
  }

  it('loads when every file is there', () => {
    expect(load().cluster.kubeconfig).to.equal(files.kubeconfig);
  });

  it('names each missing file by its field', () => {
    expect(problems((p) => (p.cluster.kubeconfig = '/nonexistent/kubeconfig'))).to.deep.equal(['cluster.kubeconfig: file /nonexistent/kubeconfig does not exist']);
    expect(problems((p) => (p.hosts[1].knownHosts = join(dir, 'nope')))).to.deep.equal([`hosts[1].knownHosts: file ${join(dir, 'nope')} does not exist`]);
    expect(problems((p) => (p.hosts[0].identityFile = join(dir, 'nope')))).to.deep.equal([`hosts[0].identityFile: file ${join(dir, 'nope')} does not exist`]);
    expect(problems((p) => (p.aws.credentialsFile = join(dir, 'nope')))).to.deep.equal([`aws.credentialsFile: file ${join(dir, 'nope')} does not exist`]);
  });

  it('checks the discovery settings too', () => {
    const found = problems((p) => {
      p.hosts = [];
      p.discoverHosts = { user: 'core', knownHosts: join(dir, 'nope'), identityFile: files.identity };
    });
    expect(found).to.deep.equal([`discoverHosts.knownHosts: file ${join(dir, 'nope')} does not exist`]);
  });

  it('refuses a folder, and lists every problem at once', () => {
    mkdirSync(join(dir, 'folder'));
    const found = problems((p) => {
      p.cluster.kubeconfig = join(dir, 'folder');
      p.hosts[0].knownHosts = '/nonexistent/known_hosts';
    });
    expect(found).to.deep.equal([`cluster.kubeconfig: ${join(dir, 'folder')} is not a file`, 'hosts[0].knownHosts: file /nonexistent/known_hosts does not exist']);
  });

  it('requires the kubeconfig to be YAML with the context the profile names, and its cluster', () => {
    writeFileSync(files.kubeconfig, 'clusters: [unclosed');
    expect(problems(() => {})[0]).to.match(new RegExp(`^cluster\\.kubeconfig: ${files.kubeconfig} is not valid YAML: `));
    writeFileSync(files.kubeconfig, KUBECONFIG);
    expect(problems((p) => (p.cluster.context = 'prod'))).to.deep.equal([`cluster.context: no context "prod" in ${files.kubeconfig} (it has: staging, dangling)`]);
    expect(problems((p) => (p.cluster.context = 'dangling'))).to.deep.equal([`cluster.context: context "dangling" names cluster "gone", which ${files.kubeconfig} does not define`]);
    writeFileSync(files.kubeconfig, KUBECONFIG.replace(/current-context: .*/, ''));
    expect(problems((p) => delete p.cluster.context)).to.deep.equal([`cluster.kubeconfig: ${files.kubeconfig} has no current-context; set cluster.context to one of: staging, dangling`]);
    writeFileSync(files.kubeconfig, KUBECONFIG);
    expect(load((p) => delete p.cluster.context).cluster.context).to.equal(undefined);
  });

  it('refuses a file this user cannot read', function () {
    if (process.getuid?.() === 0) this.skip(); // root reads any file
    chmodSync(files.kubeconfig, 0o000);
    expect(problems(() => {})).to.deep.equal([`cluster.kubeconfig: file ${files.kubeconfig} is not readable by this user`]);
  });
});
