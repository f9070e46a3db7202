// Whether the cluster lock a runner finds is free, held by a live runner, or stale (and so breakable with --break-lock).
import { expect } from 'chai';
import { describeHolder, judgeLock, parseHolder, type LockHolder } from '../../../src/engine/lock-holder.ts';
import { microTime } from '../../../src/kube/lease.ts';

const now = new Date('2026-12-03T10:00:00.000Z');
const me = { runId: 'run-me', host: 'laptop' };
const other = (runId: string, host = 'ci-7', pid = 4242): LockHolder => ({ runId, holder: `sre@${host}`, host, pid, purpose: 'drill', since: '2026-12-03T09:57:30.000Z' });
const lease = (holder: LockHolder | undefined, renewedSecondsAgo: number, durationSeconds = 600) => ({
  holder,
  holderIdentity: holder ? `${holder.holder} pid ${holder.pid}` : 'kube-controller-manager',
  renewTime: new Date(now.getTime() - renewedSecondsAgo * 1000),
  durationSeconds,
});
const file = (holder: LockHolder) => ({ holder, raw: JSON.stringify(holder) });
const alive = () => true;
const dead = () => false;

describe('cluster lock decisions', () => {
  it('is free when there is neither a Lease nor a lock file, or only our own', () => {
    expect(judgeLock({}, me, now, alive)).to.deep.equal({ state: 'free' });
    const mine = other('run-me', 'laptop', process.pid);
    expect(judgeLock({ lease: lease(mine, 5), file: file(mine) }, me, now, dead)).to.deep.equal({ state: 'free' });
  });

  it('is held by a runner on another machine whose Lease is renewed, naming user@host, pid, run and age', () => {
    const verdict = judgeLock({ lease: lease(other('run-a'), 20), file: file(other('run-a')) }, me, now, dead);
    expect(verdict).to.deep.equal({ state: 'held', holder: other('run-a'), description: 'sre@ci-7 (pid 4242), run run-a, drill started 2 min 30 s ago, Lease renewed 20 s ago' });
  });

  it('stays held while its Lease is not renewed (the API is down during a drill) until the Lease would expire', () => {
    expect(judgeLock({ lease: lease(other('run-a'), 590) }, me, now, alive).state).to.equal('held');
    const expired = judgeLock({ lease: lease(other('run-a'), 610), file: file(other('run-a')) }, me, now, alive);
    expect(expired).to.deep.include({ state: 'stale', leaseStale: true, fileStale: true });
    expect(expired.state === 'stale' && expired.why[0]).to.match(/^the Lease of sre@ci-7 \(pid 4242\).* expired 10 s ago/);
  });

  it('is stale at once when the holder ran on this machine and its process is gone (kill -9)', () => {
    const holder = other('run-a', 'laptop', 999_999);
    const verdict = judgeLock({ lease: lease(holder, 3), file: file(holder) }, me, now, dead);
    expect(verdict.state).to.equal('stale');
    expect(verdict.state === 'stale' && verdict.why).to.deep.equal([
      'the Lease is held by sre@laptop (pid 999999), run run-a, drill started 2 min 30 s ago, but process 999999 no longer runs on laptop',
      'its lock file is still in place',
    ]);
    expect(judgeLock({ lease: lease(holder, 3) }, me, now, alive).state).to.equal('held');
  });

  it('a lock file without a live Lease behind it is stale, unless its process visibly runs here', () => {
    expect(judgeLock({ file: file(other('run-b')) }, me, now, alive)).to.deep.include({ state: 'stale', leaseStale: false, fileStale: true });
    expect(judgeLock({ file: file(other('run-b', 'laptop')) }, me, now, alive).state).to.equal('held');
    expect(judgeLock({ file: { raw: 'garbage' } }, me, now, alive)).to.deep.include({ state: 'stale', why: ['the lock file was left by unreadable content "garbage", and no live Lease backs it'] });
  });

  it('with the API server down only the lock file is judged, and the message says the Lease could not be read', () => {
    const verdict = judgeLock({ file: file(other('run-b', 'laptop', 999_999)), leaseUnreadable: true }, me, now, dead);
    expect(verdict.state === 'stale' && verdict.why).to.deep.equal([
      'the lock file was left by sre@laptop (pid 999999), run run-b, drill started 2 min 30 s ago, and the Lease cannot be read while the API server does not answer',
    ]);
  });

  it('a live Lease wins over a stale lock file of another run', () => {
    expect(judgeLock({ lease: lease(other('run-a'), 1), file: file(other('run-old', 'laptop', 1)) }, me, now, dead).state).to.equal('held');
  });

  it('a Lease of the same name written by something else is held until it expires', () => {
    expect(judgeLock({ lease: lease(undefined, 1) }, me, now, dead)).to.deep.include({ state: 'held', description: '"kube-controller-manager", Lease renewed 1 s ago' });
  });

  it('reads back only a well-formed holder record', () => {
    expect(parseHolder(JSON.stringify(other('run-a')))).to.deep.equal(other('run-a'));
    expect(parseHolder('{"runId":"x"}')).to.equal(undefined);
    expect(parseHolder('not json')).to.equal(undefined);
    expect(describeHolder({ ...other('r'), since: '2026-12-03T07:59:00.000Z' }, now)).to.equal('sre@ci-7 (pid 4242), run r, drill started 2 h 1 min ago');
  });

  it('writes Lease times with the six fractional digits the API server requires', () => {
    expect(microTime(new Date('2026-12-03T10:00:00.123Z'))).to.equal('2026-12-03T10:00:00.123000Z');
  });
});
