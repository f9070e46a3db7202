// The restore journal: pending entries survive a reopen, restored ones disappear, a torn last line is ignored.
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Journal, type JournalEntry } from '../../../src/engine/journal.ts';

const entry = (id: string): JournalEntry => ({
  id,
  drill: 'etcd-down',
  fault: `fault ${id}`,
  undo: { type: 'service-start', host: 'cp-1', unit: 'etcd' },
  recordedAt: new Date().toISOString(),
  manualFix: 'ssh cp-1 sudo systemctl start etcd',
});

describe('journal', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'kfd-journal-')), 'lab.jsonl');

  it('keeps pending entries across instances, in order, until marked restored', () => {
    const path = file();
    const journal = new Journal(path);
    journal.recordPending(entry('a'));
    journal.recordPending(entry('b'));
    journal.recordPending(entry('c'));
    journal.markRestored('b');
    expect(new Journal(path).pending().map((pending) => pending.id)).to.deep.equal(['a', 'c']);
  });

  it('ignores a line torn by a crash mid-write', () => {
    const path = file();
    const journal = new Journal(path);
    journal.recordPending(entry('a'));
    appendFileSync(path, '{"op":"pending","entry":{"id":"b"');
    expect(journal.pending().map((pending) => pending.id)).to.deep.equal(['a']);
  });

  it('names one journal per profile, safe as a file name', () => {
    expect(Journal.forProfile('staging/eu 1', mkdtempSync(join(tmpdir(), 'kfd-'))).file).to.match(/staging_eu_1\.jsonl$/);
  });

  it('compacts to the pending entries only', () => {
    const path = file();
    const journal = new Journal(path);
    journal.recordPending(entry('a'));
    journal.recordPending(entry('b'));
    journal.markRestored('a');
    journal.compact();
    expect(new Journal(path).pending().map((pending) => pending.id)).to.deep.equal(['b']);
    expect(readFileSync(path, 'utf8').trim().split('\n')).to.have.length(1);
  });
});
