// The restore stack: newest first, past failures, failed entries kept for another try and left pending in the journal.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { KubeConfig } from '@kubernetes/client-node';
import { RestoreError } from '../../../src/engine/errors.ts';
import { Journal, type JournalEntry } from '../../../src/engine/journal.ts';
import { RestoreStack } from '../../../src/engine/restore-stack.ts';
import type { FaultContext } from '../../../src/faults/fault.ts';
import type { ProfileHost } from '../../../src/profile/profile-schema.ts';
import type { CommandResult, Transport } from '../../../src/transport/transport.ts';
import { validProfile } from '../profile/profile-fixture.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { stringify } from 'yaml';

/** Records commands; `systemctl start <broken>` fails. */
class RecordingTransport implements Transport {
  readonly commands: string[] = [];
  constructor(private readonly broken: Set<string>) {}
  async run(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    this.commands.push(`${host.name}: ${argv.join(' ')}`);
    const fails = argv[0] === 'systemctl' && argv[1] === 'start' && this.broken.has(argv.at(-1) ?? '');
    return { host: host.name, argv, sudo: host.sudo, code: fails ? 1 : 0, stdout: 'active\n', stderr: fails ? 'Job failed\n' : '', durationMs: 1 };
  }
  async check(host: ProfileHost, argv: string[]): Promise<CommandResult> {
    const result = await this.run(host, argv);
    if (result.code !== 0) throw new Error(`${argv.join(' ')} failed on ${host.name}`);
    return result;
  }
  async close(): Promise<void> {}
}

const entry = (unit: string): JournalEntry => ({
  id: unit,
  drill: 'test',
  fault: `stop ${unit}`,
  undo: { type: 'service-start', host: 'cp-1', unit },
  recordedAt: new Date().toISOString(),
  manualFix: `systemctl start ${unit}`,
});

describe('restore stack', () => {
  const setup = (broken: string[]) => {
    const transport = new RecordingTransport(new Set(broken));
    const context: FaultContext = {
      profile: parseProfile(stringify(validProfile()), 'p.yaml'),
      transport,
      kube: new KubeConfig(),
      dryRun: false,
      signal: new AbortController().signal,
      announceApiChange: () => {},
    };
    const journal = new Journal(join(mkdtempSync(join(tmpdir(), 'kfd-stack-')), 'j.jsonl'));
    const stack = new RestoreStack(journal, context);
    for (const unit of ['etcd', 'kubelet', 'containerd']) {
      journal.recordPending(entry(unit));
      stack.push(entry(unit));
    }
    return { transport, journal, stack };
  };

  it('restores newest first and marks each restored in the journal', async () => {
    const { transport, journal, stack } = setup([]);
    await stack.drain();
    expect(transport.commands.filter((command) => command.includes('start'))).to.deep.equal([
      'cp-1: systemctl start -- containerd',
      'cp-1: systemctl start -- kubelet',
      'cp-1: systemctl start -- etcd',
    ]);
    expect(journal.pending()).to.deep.equal([]);
    expect(stack.size).to.equal(0);
  });

  it('keeps going past a failure, throws a RestoreError with the manual fix, and keeps the failed entry', async () => {
    const { transport, journal, stack } = setup(['kubelet']);
    const error = await stack.drain().then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(RestoreError);
    expect((error as RestoreError).message).to.include('stop kubelet').and.to.include('fix it by hand: systemctl start kubelet');
    expect(transport.commands.some((command) => command.endsWith('systemctl start -- etcd'))).to.equal(true);
    expect(journal.pending().map((pending) => pending.id)).to.deep.equal(['kubelet']);
    expect(stack.size).to.equal(1);
  });

  it('restores only the selected entries when asked', async () => {
    const { journal, stack } = setup([]);
    await stack.drain((pending) => pending.id === 'kubelet');
    expect(journal.pending().map((pending) => pending.id)).to.deep.equal(['etcd', 'containerd']);
  });
});
