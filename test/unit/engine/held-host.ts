// A host model (files, services, processes) behind a transport whose commands a test can hold and release, for
// deterministic interleavings of injects, restores and signals; plus a target and drill handle built on it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { DrillHandle } from '../../../src/engine/drill-handle.ts';
import { Journal } from '../../../src/engine/journal.ts';
import type { Target } from '../../../src/engine/target.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import type { ClusterProfile, ProfileHost } from '../../../src/profile/profile-schema.ts';
import type { CommandResult, Transport } from '../../../src/transport/transport.ts';
import { validProfile } from '../profile/profile-fixture.ts';

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** A command held on its way to the host: `reached` resolves when it arrives, `release` lets it act. */
export interface Hold {
  reached: Promise<string[]>;
  release: () => void;
}

/**
 * What the drills' commands do to a host: `mv -n`, the manifest move-back script, `systemctl start|stop|is-active`,
 * `pgrep -x`, preflight check scripts (pass). A held command acts only when released, as a slow SSH round trip would.
 */
export class HeldHost implements Transport {
  readonly files = new Set<string>();
  readonly active = new Set<string>();
  readonly commands: string[] = [];
  /** Units whose start fails (exit 1). */
  readonly broken = new Set<string>();
  private readonly holds: { match: (argv: string[]) => boolean; reached: Deferred<string[]>; gate: Deferred }[] = [];
  /** Each start of a unit, and each manifest moved back, makes a new process (a new PID). */
  private generation = 0;
  private readonly unitPid = new Map<string, number>();
  private manifestPid = 2000;

  /** Holds the next command `match` selects until released. */
  hold(match: (argv: string[]) => boolean): Hold {
    const held = { match, reached: deferred<string[]>(), gate: deferred() };
    this.holds.push(held);
    return { reached: held.reached.promise, release: () => held.gate.resolve() };
  }

  async run(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    this.commands.push(`${host.name}: ${argv.join(' ')}`);
    const index = this.holds.findIndex((held) => held.match(argv));
    if (index >= 0) {
      const [held] = this.holds.splice(index, 1);
      held!.reached.resolve(argv);
      await held!.gate.promise;
    }
    const { code, stdout } = this.act(argv);
    return { host: host.name, argv, sudo: host.sudo, code, stdout, stderr: code === 0 ? '' : 'failed\n', durationMs: 1 };
  }

  async check(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    const result = await this.run(host, argv);
    if (result.code !== 0) throw new Error(`${argv.join(' ')} failed on ${host.name} (exit ${result.code})`);
    return result;
  }

  async close(): Promise<void> {}

  private act(full: string[]): { code: number; stdout: string } {
    // Operands come after `--` (as every fault passes them); the model reads them without it.
    const argv = full.filter((word, index) => word !== '--' || index > 3);
    const [command, first, second, third] = argv;
    if (command === 'mv' && first === '-n') {
      if (!this.files.has(second!) || this.files.has(third!)) return { code: 1, stdout: '' };
      this.files.delete(second!);
      this.files.add(third!);
      return { code: 0, stdout: '' };
    }
    if (command === 'sh' && argv[2]?.startsWith('if test -f "$2"')) {
      const [manifest, backup] = argv.slice(4);
      let stdout = '';
      if (this.files.has(backup!) && !this.files.has(manifest!)) {
        this.files.delete(backup!);
        this.files.add(manifest!);
        this.manifestPid = 2000 + ++this.generation;
        stdout = 'moved\n';
      }
      return { code: this.files.has(manifest!) ? 0 : 4, stdout };
    }
    if (command === 'sh' && (argv[4] === 'unit' || argv[4] === 'process')) {
      // The component-health probe: boot id, the selected processes, and (no endpoint asked) no health line.
      const name = argv[5]!;
      const pid = argv[4] === 'unit' ? (this.active.has(name) ? this.unitPid.get(name) : undefined) : this.manifestPid;
      return { code: 0, stdout: `boot held-boot\n${pid === undefined ? '' : `proc ${pid} 100\n`}` };
    }
    if (command === 'systemctl') {
      if (first === 'stop') this.active.delete(second!);
      if (first === 'start') {
        if (this.broken.has(second!)) return { code: 1, stdout: '' };
        if (!this.active.has(second!)) this.unitPid.set(second!, 1000 + ++this.generation);
        this.active.add(second!);
      }
      if (first === 'is-active') return this.active.has(argv.at(-1)!) ? { code: 0, stdout: 'active\n' } : { code: 3, stdout: 'inactive\n' };
      return { code: 0, stdout: '' };
    }
    if (command === 'pgrep') return { code: 0, stdout: '4242\n' };
    return { code: 0, stdout: '' };
  }
}

export const MANIFEST = '/etc/kubernetes/manifests/kube-scheduler.yaml';

export function testProfile(): ClusterProfile {
  return parseProfile(stringify(validProfile()), 'profile.yaml');
}

/** A target on the held host with a journal of its own in a temp folder. */
export function heldTarget(host: HeldHost): Target {
  return {
    profile: testProfile(),
    kube: new KubeConfig(),
    identity: { uid: 'test-uid', server: 'https://127.0.0.1:6443', context: 'test' },
    transport: host,
    journal: new Journal(join(mkdtempSync(join(tmpdir(), 'kfd-held-')), 'journal.jsonl')),
    dryRun: false,
    close: async () => {},
  };
}

/** A drill handle opened on the target. */
export function openHandle(target: Target, name = 'test-drill'): DrillHandle {
  const handle = new DrillHandle({ name, title: name, teaches: '', faults: [], expected: [], duration: '' });
  handle.open(target);
  return handle;
}
