// A fresh machine: the lab's binaries are built into a cache folder that does not exist yet (Go's own module and build
// caches may be warm, as after `npm run lab -- build`). Catches first-run mistakes such as a missing working folder.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ensureBinaries, type LabBinaries } from '../../src/lab/binaries.ts';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from '../../src/lab/versions.ts';

/** Environment variables that would let ensureBinaries skip the build; cleared for the test, put back after. */
const SHORTCUTS = ['FIREDRILL_CACHE_DIR', 'FIREDRILL_BIN_DIR', 'FIREDRILL_KWOK_STAGES'] as const;

describe('first run on a fresh machine', function () {
  // With warm Go caches: 40 s to 2.6 min on a busy 2-core machine (the links); a cold Go build cache takes ~10 min.
  this.timeout(15 * 60_000);
  let parent: string;
  let cache: string;
  const saved: Partial<Record<(typeof SHORTCUTS)[number], string>> = {};

  before(() => {
    for (const name of SHORTCUTS) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    parent = mkdtempSync(join(tmpdir(), 'kfd-first-run-'));
    cache = join(parent, 'cache', 'kube-firedrill');
    process.env.FIREDRILL_CACHE_DIR = cache;
  });

  after(() => {
    for (const name of SHORTCUTS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    rmSync(parent, { recursive: true, force: true });
  });

  let binaries: LabBinaries | undefined;
  const lines: string[] = [];
  const built = (): LabBinaries => {
    if (!binaries) throw new Error('no binaries: the first build failed (see the first test)');
    return binaries;
  };

  it('builds every lab binary into a cache folder that did not exist', async () => {
    expect(existsSync(join(parent, 'cache')), 'the cache folder must not exist before the build').to.equal(false);
    const started = Date.now();
    binaries = await ensureBinaries((line) => lines.push(line));
    process.stderr.write(`      first build with an empty cache folder: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    for (const [name, path] of Object.entries(binaries)) {
      expect(path.startsWith(`${cache}/`), `${name} at ${path} must be in the new cache folder`).to.equal(true);
      accessSync(path, name === 'kwokStages' ? constants.R_OK : constants.X_OK);
    }
    expect(lines.filter((line) => line.startsWith('built '))).to.have.length(3);
  });

  it('built binaries that run and report the pinned versions', () => {
    const bin = built();
    const version = (binary: string, args = ['--version']) => execFileSync(binary, args, { encoding: 'utf8' });
    expect(version(bin.etcd)).to.include(`etcd Version: ${ETCD_VERSION}`);
    expect(version(bin.etcdctl, ['version'])).to.include(`etcdctl version: ${ETCD_VERSION}`);
    expect(version(bin.kubeApiserver)).to.include(`Kubernetes v${KUBERNETES_VERSION}`);
    expect(version(bin.kubeScheduler)).to.include(`Kubernetes v${KUBERNETES_VERSION}`);
    expect(version(bin.kwok)).to.include(`kwok version v${KWOK_VERSION}`);
    const stages = readFileSync(bin.kwokStages, 'utf8');
    expect(stages).to.include('kind: Stage').and.to.include('node-heartbeat-with-lease');
  });

  it('finds them in the cache the second time, building nothing', async () => {
    const again: string[] = [];
    const first = built();
    expect(await ensureBinaries((line) => again.push(line))).to.deep.equal(first);
    expect(again).to.deep.equal([]);
  });
});
