// Lab unit files round-trip: what the lab writes is what its service manager runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readUnitFile, writeUnitFile } from '../../../src/lab/unit-file.ts';

describe('unit files', () => {
  it('round-trips the command, quoting and environment', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kfd-unit-')), 'etcd.service');
    const unit = { description: 'etcd', execStart: ['/usr/bin/etcd', '--name=cp 1', '--data-dir=/var/lib/"etcd"'], environment: { HOME: '/var/lib/my home' }, restart: 'always' as const };
    writeUnitFile(path, unit);
    expect(readUnitFile(path)).to.deep.equal(unit);
  });
});
