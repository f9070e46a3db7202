// The lab's systemd-run timers: armed, listed and stopped like systemd's, and the command runs when the delay passes.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseTimeSpan, TransientTimers } from '../../../src/lab/supervisor/transient-timers.ts';
import { eventually } from '../../../src/probes/eventually.ts';

describe('lab transient timers (systemd-run)', () => {
  const timers = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfd-timers-'));
    return { dir, timers: new TransientTimers('cp', { PATH: process.env.PATH ?? '/usr/bin:/bin' }, dir, () => {}) };
  };

  it('parses systemd time spans and refuses others', () => {
    expect(parseTimeSpan('900')).to.equal(900_000);
    expect(parseTimeSpan('20s')).to.equal(20_000);
    expect(parseTimeSpan('15min')).to.equal(900_000);
    expect(parseTimeSpan('1h 30s')).to.equal(3_630_000);
    expect(parseTimeSpan('soon')).to.equal(undefined);
  });

  it('runs the command once the delay has passed, then the timer is gone', async () => {
    const { dir, timers: host } = timers();
    const marker = join(dir, 'healed');
    const armed = host.systemdRun(['--unit=firedrill-heal-a', '--on-active=1s', '--', 'sh', '-c', 'echo "$1" > "$2"', 'sh', 'healed', marker]);
    expect(armed).to.include({ code: 0 });
    expect(armed.stderr).to.include('Running timer as unit: firedrill-heal-a.timer');
    expect(host.systemctl('is-active', ['firedrill-heal-a.timer'], []).code).to.equal(0);
    await eventually(async () => expect(existsSync(marker) && readFileSync(marker, 'utf8')).to.equal('healed\n'), { description: 'timer command ran', timeoutMs: 10_000 });
    expect(host.systemctl('is-active', ['firedrill-heal-a.timer'], []).code).to.equal(3);
    expect(host.systemctl('stop', ['firedrill-heal-a.timer'], []).code).to.equal(5);
  });

  it('lists armed timers by pattern, refuses a duplicate, and stop disarms them', async () => {
    const { dir, timers: host } = timers();
    const marker = join(dir, 'never');
    expect(host.systemdRun(['--unit', 'firedrill-heal-b', '--on-active=1', 'touch', marker]).code).to.equal(0);
    expect(host.systemdRun(['--unit=other', '--on-active=900', 'true']).code).to.equal(0);
    const duplicate = host.systemdRun(['--unit=firedrill-heal-b', '--on-active=900', 'true']);
    expect(duplicate.code).to.equal(1);
    expect(duplicate.stderr).to.include('already loaded');
    const listed = host.listTimers(['firedrill-heal-*'], []);
    expect(listed.stdout).to.match(/^NEXT +LEFT/).and.include('firedrill-heal-b.timer').and.include('1 timers listed.').and.not.include('other.timer');
    expect(host.systemctl('stop', ['firedrill-heal-b.timer'], []).code).to.equal(0);
    expect(host.listTimers(['firedrill-heal-*'], ['--no-legend']).stdout).to.equal('');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the stopped timer's delay: it must not run
    expect(existsSync(marker)).to.equal(false);
    host.stopAll();
  });

  it('refuses what it does not emulate, saying what it supports', () => {
    const { timers: host } = timers();
    expect(host.systemdRun(['--unit=x', 'true']).stderr).to.include('--on-active');
    expect(host.systemdRun(['--on-active=later', 'true']).stderr).to.include('Failed to parse timer value: later');
    expect(host.systemdRun(['--user', '--on-active=1', 'true']).stderr).to.include('does not support --user');
  });
});
