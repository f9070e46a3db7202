// Builds Go programs from their published modules through a small wrapper module, with progress on stderr.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export class GoMissingError extends Error {
  readonly code = 'GO_MISSING';
  constructor() {
    super(
      'Go is needed to build the lab binaries the first time, and `go` was not found on PATH. ' +
        'Install Go 1.24 or newer (https://go.dev/dl, or your package manager), ' +
        'or point FIREDRILL_BIN_DIR at a folder that already holds etcd, kube-apiserver, ' +
        'kube-controller-manager, kube-scheduler, kubectl and kwok.',
    );
  }
}

export interface GoModuleBuild {
  /** Human name shown in progress lines, e.g. "kubernetes v1.34.4". */
  title: string;
  /** Folder of the wrapper module (created if missing). */
  moduleDir: string;
  /** Full text of the wrapper's go.mod. */
  goMod: string;
  /** Main packages to build; each becomes a binary in outDir named after its last path element. */
  packages: string[];
  outDir: string;
  ldflags?: string;
  tags?: string[];
}

/** Runs a command and resolves with its stdout; rejects with its stderr tail on failure. */
export function runGo(args: string[], cwd: string, onLine?: (line: string) => void): Promise<string> {
  // A working folder that does not exist also makes spawn fail with ENOENT: create it, so that ENOENT means no Go.
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolvePromise, reject) => {
    const child = spawn('go', args, {
      cwd,
      env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        stderrTail = (stderrTail + line + '\n').slice(-4000);
        onLine?.(line);
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' && !goOnPath() ? new GoMissingError() : new Error(`go ${args[0]} could not start in ${cwd}: ${error.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolvePromise(stdout);
      else reject(new Error(`go ${args.join(' ')} failed in ${cwd} (exit ${code}):\n${stderrTail + partial}`));
    });
  });
}

/** Writes the wrapper module, resolves its dependencies and builds the binaries, printing progress. */
export async function buildGoModule(build: GoModuleBuild, log: (line: string) => void): Promise<void> {
  mkdirSync(build.moduleDir, { recursive: true });
  mkdirSync(build.outDir, { recursive: true });
  writeFileSync(join(build.moduleDir, 'go.mod'), build.goMod);
  const imports = build.packages.map((pkg) => `\t_ "${pkg}"`).join('\n');
  writeFileSync(join(build.moduleDir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport (\n${imports}\n)\n`);
  const started = Date.now();
  log(`building ${build.title}: resolving modules (first run only)`);
  await runGo(['mod', 'tidy'], build.moduleDir);
  let compiled = 0;
  let lastReport = Date.now();
  const args = ['build', '-v', '-trimpath', '-o', build.outDir + '/'];
  if (build.tags?.length) args.push('-tags', build.tags.join(','));
  if (build.ldflags) args.push('-ldflags', build.ldflags);
  args.push(...build.packages);
  await runGo(args, build.moduleDir, (line) => {
    if (line.startsWith('go: ')) return;
    compiled += 1;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`building ${build.title}: ${compiled} packages compiled, ${elapsed(started)} elapsed`);
    }
  });
  log(`built ${build.title} in ${elapsed(started)} (${compiled} packages compiled)`);
}

function elapsed(since: number): string {
  const seconds = Math.round((Date.now() - since) / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export function goOnPath(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'go')));
}
