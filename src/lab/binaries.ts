// Finds the lab's binaries (prebuilt folder, build cache or PATH) and builds whatever is missing from Go modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir } from './dirs.ts';
import { buildGoModule, runGo } from './go-build.ts';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from './versions.ts';

export interface LabBinaries {
  etcd: string;
  etcdctl: string;
  etcdutl: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
  /** kwok's default stages (node initialize, heartbeat with lease, pod lifecycle), from its own module. */
  kwokStages: string;
}

const KUBERNETES_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'];
const ETCD_BINARIES = ['etcd', 'etcdctl', 'etcdutl'];

const kubernetesDir = () => join(cacheDir(), 'bin', `kubernetes-v${KUBERNETES_VERSION}`);
const etcdDir = () => join(cacheDir(), 'bin', `etcd-v${ETCD_VERSION}`);
const kwokDir = () => join(cacheDir(), 'bin', `kwok-v${KWOK_VERSION}`);

/** Returns every binary the lab needs, building the missing ones (minutes on the first run, then cached). */
export async function ensureBinaries(log: (line: string) => void): Promise<LabBinaries> {
  const prebuilt = process.env.FIREDRILL_BIN_DIR;
  const find = (name: string, cached: string): string | undefined => {
    if (prebuilt && existsSync(join(prebuilt, name))) return join(prebuilt, name);
    if (existsSync(join(cached, name))) return join(cached, name);
    return undefined;
  };
  const missing = (names: string[], dir: string) => names.some((name) => !find(name, dir));
  if (missing(KUBERNETES_BINARIES, kubernetesDir())) await buildKubernetes(log);
  if (missing(ETCD_BINARIES, etcdDir())) await buildEtcd(log);
  if (missing(['kwok'], kwokDir())) await buildKwok(log);
  if (!process.env.FIREDRILL_KWOK_STAGES && !existsSync(join(kwokDir(), 'stages.yaml'))) await writeKwokStages();
  const binary = (name: string, dir: string) => find(name, dir) ?? join(dir, name);
  return {
    etcd: binary('etcd', etcdDir()),
    etcdctl: binary('etcdctl', etcdDir()),
    etcdutl: binary('etcdutl', etcdDir()),
    kubeApiserver: binary('kube-apiserver', kubernetesDir()),
    kubeControllerManager: binary('kube-controller-manager', kubernetesDir()),
    kubeScheduler: binary('kube-scheduler', kubernetesDir()),
    kubectl: binary('kubectl', kubernetesDir()),
    kwok: binary('kwok', kwokDir()),
    kwokStages: process.env.FIREDRILL_KWOK_STAGES ?? join(kwokDir(), 'stages.yaml'),
  };
}

interface DownloadedModule {
  Dir: string;
  GoMod: string;
}

async function downloadModule(path: string, version: string): Promise<DownloadedModule> {
  const out = await runGo(['mod', 'download', '-json', `${path}@${version}`], cacheDir());
  return JSON.parse(out) as DownloadedModule;
}

/**
 * k8s.io/kubernetes replaces its staging modules with local folders, so it cannot be built with `go install`.
 * The wrapper requires it and points each staging module at its published v0.Y.Z release instead.
 */
async function buildKubernetes(log: (line: string) => void): Promise<void> {
  const version = `v${KUBERNETES_VERSION}`;
  const release = await downloadModule('k8s.io/kubernetes', version);
  const upstreamGoMod = readFileSync(release.GoMod, 'utf8');
  const stagingVersion = `v0.${KUBERNETES_VERSION.split('.').slice(1).join('.')}`;
  const staging = [...upstreamGoMod.matchAll(/^\s*(k8s\.io\/[\w.-]+) => \.\/staging\//gm)].map((match) => match[1]);
  const directives = upstreamGoMod.split('\n').filter((line) => /^(go|godebug) /.test(line));
  const goMod = [
    'module kube-firedrill.local/kubernetes-build',
    '',
    ...directives,
    '',
    `require k8s.io/kubernetes ${version}`,
    '',
    'replace (',
    ...staging.map((module) => `\t${module} => ${module} ${stagingVersion}`),
    ')',
    '',
  ].join('\n');
  const [major, minor] = KUBERNETES_VERSION.split('.');
  const stamp = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
    `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
  ]);
  await buildGoModule(
    {
      title: `Kubernetes ${version} (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)`,
      moduleDir: join(cacheDir(), 'src', `kubernetes-${version}`),
      goMod,
      packages: KUBERNETES_BINARIES.map((name) => `k8s.io/kubernetes/cmd/${name}`),
      outDir: kubernetesDir(),
      tags: ['selinux', 'notest', 'grpcnotrace'],
      ldflags: ['-s', '-w', ...stamp].join(' '),
    },
    log,
  );
}

/** etcd's modules replace each other with relative folders too; the wrapper requires the published ones. */
async function buildEtcd(log: (line: string) => void): Promise<void> {
  const version = `v${ETCD_VERSION}`;
  await buildGoModule(
    {
      title: `etcd ${version} (etcd, etcdctl, etcdutl)`,
      moduleDir: join(cacheDir(), 'src', `etcd-${version}`),
      goMod: [
        'module kube-firedrill.local/etcd-build',
        '',
        'go 1.24.0',
        '',
        'require (',
        `\tgo.etcd.io/etcd/etcdctl/v3 ${version}`,
        `\tgo.etcd.io/etcd/etcdutl/v3 ${version}`,
        `\tgo.etcd.io/etcd/server/v3 ${version}`,
        ')',
        '',
      ].join('\n'),
      packages: ['go.etcd.io/etcd/server/v3', 'go.etcd.io/etcd/etcdctl/v3', 'go.etcd.io/etcd/etcdutl/v3'],
      outDir: etcdDir(),
      ldflags: `-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${version}`,
    },
    log,
  );
  // `go build` names the server binary after its package path (go.etcd.io/etcd/server/v3), not "etcd".
  renameIfPresent(join(etcdDir(), 'server'), join(etcdDir(), 'etcd'));
}

/** kwok has no replace directives; its default stages come from the same module, unmodified. */
async function buildKwok(log: (line: string) => void): Promise<void> {
  const version = `v${KWOK_VERSION}`;
  await buildGoModule(
    {
      title: `kwok ${version}`,
      moduleDir: join(cacheDir(), 'src', `kwok-${version}`),
      goMod: ['module kube-firedrill.local/kwok-build', '', 'go 1.26.0', '', `require sigs.k8s.io/kwok ${version}`, ''].join('\n'),
      packages: ['sigs.k8s.io/kwok/cmd/kwok'],
      outDir: kwokDir(),
      ldflags: '-s -w',
    },
    log,
  );
}

async function writeKwokStages(): Promise<void> {
  const version = `v${KWOK_VERSION}`;
  const module = await downloadModule('sigs.k8s.io/kwok', version);
  const stageFiles = [
    'node/fast/node-initialize.yaml',
    'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    ...['pod-create', 'pod-init-container-running', 'pod-init-container-completed', 'pod-ready', 'pod-complete', 'pod-delete'].map(
      (name) => `pod/general/${name}.yaml`,
    ),
  ];
  mkdirSync(kwokDir(), { recursive: true });
  const stages = stageFiles.map((file) => readFileSync(join(module.Dir, 'kustomize', 'stage', file), 'utf8').trim());
  writeFileSync(join(kwokDir(), 'stages.yaml'), stages.join('\n---\n') + '\n');
}

function renameIfPresent(from: string, to: string): void {
  if (existsSync(from) && !existsSync(to)) execFileSync('mv', [from, to]);
}

/** Looks a program up on PATH; used for the host tools the lab needs (sshd, ssh-keygen, openssl). */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
