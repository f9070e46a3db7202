// The restore journal: pending entries survive a reopen, restored ones disappear, a torn last line is ignored; the
// target's copy merges in by id; another cluster's entries and a live run's are left alone; one live run holds the lock.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { fsyncDir } from '../../../src/engine/fsync-dir.ts';
import { Journal, type JournalEntry, type JournalMirror } from '../../../src/engine/journal.ts';
import { JournalLockedError } from '../../../src/engine/journal-lock.ts';

const entry = (id: string, extra: Partial<JournalEntry> = {}): JournalEntry => ({
  id,
  drill: 'etcd-down',
  fault: `fault ${id}`,
  undo: { type: 'service-start', host: 'cp-1', unit: 'etcd' },
  recordedAt: new Date().toISOString(),
  manualFix: 'ssh cp-1 sudo systemctl start etcd',
  ...extra,
});

/** The target's copy, kept in a file of its own (standing for the control-plane host's file). */
class FileMirror implements JournalMirror {
  failing = false;
  constructor(readonly where: string) {}
  async append(line: string): Promise<void> {
    if (this.failing) throw new Error('host unreachable');
    appendFileSync(this.where, line + '\n');
  }
  async read() {
    return { text: existsSync(this.where) ? readFileSync(this.where, 'utf8') : '', warnings: [] };
  }
}

/** Runs journal-holder.ts in another process and waits until it holds the lock and recorded its entry. */
async function holder(file: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'journal-holder.ts'), file, id], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${stderr}`)));
  });
  return child;
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL')));

describe('journal', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'kfd-journal-'));
  const file = () => join(dir(), 'lab.jsonl');
  const children: ChildProcess[] = [];
  afterEach(() => children.splice(0).forEach((child) => child.kill('SIGKILL')));

  it('keeps pending entries across instances, in order, until marked restored', async () => {
    const path = file();
    const journal = new Journal(path);
    await journal.recordPending(entry('a'));
    await journal.recordPending(entry('b'));
    await journal.recordPending(entry('c'));
    await journal.markRestored('b');
    expect(new Journal(path).pending().map((pending) => pending.id)).to.deep.equal(['a', 'c']);
  });

  it('ignores a line torn by a crash mid-write', async () => {
    const path = file();
    const journal = new Journal(path);
    await journal.recordPending(entry('a'));
    appendFileSync(path, '{"op":"pending","entry":{"id":"b"');
    expect(journal.pending().map((pending) => pending.id)).to.deep.equal(['a']);
  });

  it('names one journal per profile, safe as a file name', () => {
    expect(Journal.forProfile('staging/eu 1', dir()).file).to.match(/staging_eu_1\.jsonl$/);
  });

  it('compacts to the pending entries only', async () => {
    const path = file();
    const journal = new Journal(path);
    await journal.recordPending(entry('a'));
    await journal.recordPending(entry('b'));
    await journal.markRestored('a');
    journal.compact();
    expect(new Journal(path).pending().map((pending) => pending.id)).to.deep.equal(['b']);
    expect(readFileSync(path, 'utf8').trim().split('\n')).to.have.length(1);
  });

  it('stamps each entry with the cluster UID and the run that recorded it', async () => {
    const journal = new Journal(file(), { identity: { uid: 'uid-1', server: 'https://10.0.0.1:6443' } });
    await journal.recordPending(entry('a'));
    const [stamped] = journal.pending();
    expect(stamped?.cluster).to.deep.equal({ uid: 'uid-1', server: 'https://10.0.0.1:6443' });
    expect(stamped?.runner).to.include({ pid: process.pid, hostname: hostname() });
  });

  it('writes the target copy before returning, and merges it with the local journal by id', async () => {
    const mirror = new FileMirror(join(dir(), 'target.jsonl'));
    const identity = { uid: 'uid-1' };
    const runner = new Journal(file(), { identity, mirror });
    await runner.recordPending(entry('a', { recordedAt: '2026-01-01T00:00:01Z' }));
    await runner.recordPending(entry('b', { recordedAt: '2026-01-01T00:00:02Z' }));
    expect(readFileSync(mirror.where, 'utf8').trim().split('\n')).to.have.length(2);

    // Another machine: an empty local journal, the same target copy.
    const other = new Journal(file(), { identity, mirror });
    const view = await other.pendingEverywhere();
    expect(view.entries.map((pending) => pending.id)).to.deep.equal(['a', 'b']);
    expect(view.sources).to.deep.equal([other.file, mirror.where]);

    // Restored on that machine: both copies say so, and the runner's own journal agrees once merged.
    await other.markRestored('a');
    expect((await runner.pendingEverywhere()).entries.map((pending) => pending.id)).to.deep.equal(['b']);
    // An entry only the local journal has (its copy was lost) is still restored.
    await new Journal(runner.file).recordPending(entry('c', { cluster: identity }));
    expect((await runner.pendingEverywhere()).entries.map((pending) => pending.id)).to.deep.equal(['b', 'c']);
  });

  it('withdraws the entry and rejects when the target copy cannot be written (the fault must not act)', async () => {
    const mirror = new FileMirror(join(dir(), 'target.jsonl'));
    mirror.failing = true;
    const journal = new Journal(file(), { identity: { uid: 'uid-1' }, mirror });
    let error: Error | undefined;
    await journal.recordPending(entry('a')).catch((caught: Error) => (error = caught));
    expect(error?.message).to.include('could not copy the undo record of "fault a"').and.include('host unreachable').and.include('not injected');
    expect(journal.pending()).to.deep.equal([]);
  });

  it('marking restored never rejects when the target copy cannot be written, and says so', async () => {
    const mirror = new FileMirror(join(dir(), 'target.jsonl'));
    const warnings: string[] = [];
    const journal = new Journal(file(), { identity: { uid: 'uid-1' }, mirror, warn: (line) => warnings.push(line) });
    await journal.recordPending(entry('a'));
    mirror.failing = true;
    await journal.markRestored('a');
    expect(journal.pending()).to.deep.equal([]);
    expect(warnings.join('\n')).to.include('could not mark it restored in the target');
  });

  it("never restores an entry recorded on another cluster, and says which cluster it belongs to", async () => {
    const path = file();
    await new Journal(path, { identity: { uid: 'uid-old', server: 'https://old:6443' } }).recordPending(entry('old'));
    await new Journal(path, { identity: { uid: 'uid-new' } }).recordPending(entry('new'));
    const view = await new Journal(path, { identity: { uid: 'uid-new', server: 'https://new:6443' } }).pendingEverywhere();
    expect(view.entries.map((pending) => pending.id)).to.deep.equal(['new']);
    expect(view.skipped).to.have.length(1);
    expect(view.skipped[0]?.reason).to.include('not restoring "fault old"').and.include('kube-system UID uid-old, https://old:6443').and.include('uid-new');
    new Journal(path).compact();
    expect(new Journal(path).pending().map((pending) => pending.id)).to.deep.equal(['old', 'new']);
  });

  it('one live run holds the lock: another process is refused (naming its pid) until it dies, then takes over', async function () {
    this.timeout(30_000);
    const path = file();
    const child = await holder(path, 'theirs');
    children.push(child);
    const journal = new Journal(path);
    expect(() => journal.acquire()).to.throw(JournalLockedError, `pid ${child.pid}`);
    let refused: unknown;
    await journal.recordPending(entry('mine')).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(JournalLockedError);
    expect(() => journal.compact()).to.throw(JournalLockedError);
    // Its entry is a live run's: even read without the lock, it is not to be restored.
    const view = await journal.pendingEverywhere();
    expect(view.entries).to.deep.equal([]);
    expect(view.skipped[0]?.reason).to.include(`pid ${child.pid}`).and.include('still alive');
    await killed(child);
    journal.acquire();
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).to.include({ pid: process.pid });
    expect((await journal.pendingEverywhere()).entries.map((pending) => pending.id)).to.deep.equal(['theirs']);
    journal.release();
    expect(existsSync(`${path}.lock`)).to.equal(false);
  });

  it('compaction keeps entries another process appended (it compacts only under the lock)', async function () {
    this.timeout(30_000);
    const path = file();
    const mine = new Journal(path);
    await mine.recordPending(entry('a'));
    await mine.markRestored('a');
    mine.release();
    const child = await holder(path, 'appended-meanwhile');
    children.push(child);
    expect(() => mine.compact()).to.throw(JournalLockedError);
    await killed(child);
    mine.compact();
    expect(mine.pending().map((pending) => pending.id)).to.deep.equal(['appended-meanwhile']);
    mine.release();
  });

  it('takes over a torn lock file and fsyncs folders without throwing', () => {
    const folder = dir();
    fsyncDir(folder);
    const path = join(folder, 'nested', 'deeper', 'lab.jsonl');
    const journal = new Journal(path);
    writeFileSync(`${path}.lock`, '{"pid":');
    journal.acquire();
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).to.include({ pid: process.pid });
    journal.release();
  });
});
