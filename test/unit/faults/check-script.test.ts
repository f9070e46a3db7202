// Preflight checks batched into one shell script, run by /bin/sh as a host would run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { CHECK_FAILED_EXIT, checkScript, failedCheck, type HostCheck } from '../../../src/faults/check-script.ts';

function runScript(checks: HostCheck[]): { code: number | null; stdout: string } {
  const result = spawnSync('/bin/sh', ['-c', checkScript(checks)], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout };
}

describe('checkScript', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-checks-'));
  const file = join(dir, "it's a file; rm -rf nothing");
  writeFileSync(file, '');

  it('exits 0 and prints nothing when every check passes', () => {
    const result = runScript([
      { argv: ['test', '-f', file], what: 'the file must exist' },
      { argv: ['sh', '-c', 'mkdir -p "$1" && test -w "$1"', 'sh', join(dir, 'backup')], what: 'writable' },
    ]);
    expect(result).to.deep.equal({ code: 0, stdout: '' });
  });

  it('stops at the first failing check and names it with its exit code and output', () => {
    const result = runScript([
      { argv: ['test', '-f', file], what: 'first' },
      { argv: ['sh', '-c', 'echo "LoadState=not-found"; exit 3'], what: 'second' },
      { argv: ['sh', '-c', `touch "$1"`, 'sh', join(dir, 'must-not-exist')], what: 'third' },
    ]);
    expect(result.code).to.equal(CHECK_FAILED_EXIT);
    expect(failedCheck(result.stdout)).to.deep.equal({ index: 1, code: 3, output: 'LoadState=not-found' });
    expect(spawnSync('test', ['-e', join(dir, 'must-not-exist')]).status, 'the checks after a failure do not run').to.equal(1);
  });

  it('passes arguments through literally: quotes, spaces and shell syntax in a path are not interpreted', () => {
    const result = runScript([{ argv: ['test', '-f', `${file}$(false)`], what: 'literal' }]);
    expect(failedCheck(result.stdout)?.index).to.equal(0);
    expect(runScript([{ argv: ['test', '-f', file], what: 'literal' }]).code).to.equal(0);
  });

  it('reports no failed check for output without the marker', () => {
    expect(failedCheck('sudo: a password is required\n')).to.equal(undefined);
  });
});
