// The time window in its IANA zone: weekdays, hours and blackout dates as the local clock shows them, across DST changes.
import { expect } from 'chai';
import type { TimeWindow } from '../../../src/gameday/plan-types.ts';
import { describeWindow, windowState } from '../../../src/gameday/time-window.ts';

const berlin: TimeWindow = { timeZone: 'Europe/Berlin', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], hours: { from: '09:00', to: '17:00' }, blackoutDates: ['2026-12-24', '2026-12-25'] };
const at = (iso: string) => new Date(iso);
const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as TimeWindow['weekdays'];

describe('time window', () => {
  it('is open on an allowed weekday within the hours, until the end of the hours in local time', () => {
    // Wednesday 2026-12-02 11:00 in Berlin (CET, UTC+1).
    expect(windowState(berlin, at('2026-12-02T10:00:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-12-02T16:00:00Z') });
  });

  it('is closed on a weekday not allowed, saying which, and opens on the next allowed day', () => {
    expect(windowState(berlin, at('2026-12-05T10:00:00Z'))).to.deep.equal({
      open: false,
      reason: 'outside the window: Saturday is not one of mon–fri (Europe/Berlin)',
      opensAt: at('2026-12-07T08:00:00Z'),
    });
  });

  it('is closed before the hours (opening the same day) and after them (opening the next allowed day)', () => {
    expect(windowState(berlin, at('2026-12-02T06:30:00Z'))).to.deep.equal({
      open: false,
      reason: 'outside the window: 07:30 is before 09:00–17:00 (Europe/Berlin)',
      opensAt: at('2026-12-02T08:00:00Z'),
    });
    // Friday 17:05 local: the end is exclusive; the next opening is Monday.
    expect(windowState(berlin, at('2026-12-04T16:05:00Z'))).to.deep.equal({
      open: false,
      reason: 'outside the window: 17:05 is after 09:00–17:00 (Europe/Berlin)',
      opensAt: at('2026-12-07T08:00:00Z'),
    });
  });

  it('is closed on a blackout date, opening on the next allowed day that is not one', () => {
    // Thursday 24 and Friday 25 December are blacked out: next is Monday the 28th.
    expect(windowState(berlin, at('2026-12-24T10:00:00Z'))).to.deep.equal({ open: false, reason: 'blackout date 2026-12-24 (Europe/Berlin)', opensAt: at('2026-12-28T08:00:00Z') });
  });

  it('reads blackout dates in the window\'s zone, not in UTC', () => {
    const allDay = (timeZone: string): TimeWindow => ({ timeZone, weekdays: every, hours: { from: '00:00', to: '24:00' }, blackoutDates: ['2026-12-24'] });
    // 23:30 UTC on the 23rd is already the 24th in Berlin, and still the 23rd in New York.
    expect(windowState(allDay('Europe/Berlin'), at('2026-12-23T23:30:00Z'))).to.include({ open: false, reason: 'blackout date 2026-12-24 (Europe/Berlin)' });
    expect(windowState(allDay('America/New_York'), at('2026-12-23T23:30:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-12-24T05:00:00Z') });
    // Berlin opens again at local midnight after the blackout: 23:00 UTC on the 24th.
    expect((windowState(allDay('Europe/Berlin'), at('2026-12-24T12:00:00Z')) as { opensAt: Date }).opensAt).to.deep.equal(at('2026-12-24T23:00:00Z'));
  });

  it('"24:00" keeps the window open until local midnight', () => {
    const evening: TimeWindow = { timeZone: 'UTC', weekdays: every, hours: { from: '18:00', to: '24:00' }, blackoutDates: [] };
    expect(windowState(evening, at('2026-06-10T23:59:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-06-11T00:00:00Z') });
  });

  describe('on the days the clocks change', () => {
    const weekend = (timeZone: string, from: string, to: string): TimeWindow => ({ timeZone, weekdays: ['sat', 'sun'], hours: { from, to }, blackoutDates: [] });

    it('Europe/Berlin, spring forward (Sunday 2026-03-29, 02:00 CET becomes 03:00 CEST)', () => {
      // Opening on the change day is at 08:00 CEST (UTC+2), though the evening before was CET (UTC+1).
      expect(windowState(weekend('Europe/Berlin', '08:00', '18:00'), at('2026-03-28T18:00:00Z'))).to.deep.include({ opensAt: at('2026-03-29T06:00:00Z') });
      // Open at 01:30 CET; the end at 05:00 local is 03:00 UTC, an hour less than the clock suggests.
      expect(windowState(weekend('Europe/Berlin', '01:00', '05:00'), at('2026-03-29T00:30:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-03-29T03:00:00Z') });
      // 02:30 does not exist that day: the window opens when the clock jumps past it, at 01:00 UTC.
      expect(windowState(weekend('Europe/Berlin', '02:30', '05:00'), at('2026-03-29T00:30:00Z'))).to.deep.include({ open: false, opensAt: at('2026-03-29T01:00:00Z') });
      // And the first minute after the change is inside the window.
      expect(windowState(weekend('Europe/Berlin', '02:30', '05:00'), at('2026-03-29T01:00:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-03-29T03:00:00Z') });
    });

    it('Europe/Berlin, fall back (Sunday 2026-10-25, 03:00 CEST becomes 02:00 CET)', () => {
      const night = weekend('Europe/Berlin', '00:00', '02:30');
      // 02:10 happens twice: the first time (CEST) the window closes at the first 02:30 (00:30 UTC)...
      expect(windowState(night, at('2026-10-25T00:10:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-10-25T00:30:00Z') });
      // ...then the clock shows 02:45 CEST: closed...
      expect(windowState(night, at('2026-10-25T00:45:00Z'))).to.include({ open: false });
      // ...and the second 02:10 (CET) is inside the hours again, until the second 02:30 (01:30 UTC).
      expect(windowState(night, at('2026-10-25T01:10:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-10-25T01:30:00Z') });
      // The end of a day-long window that day is 17:00 CET, 16:00 UTC (an hour more than the day before).
      expect(windowState(weekend('Europe/Berlin', '09:00', '17:00'), at('2026-10-25T08:00:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-10-25T16:00:00Z') });
    });

    it('America/New_York, spring forward (Sunday 2026-03-08) and fall back (Sunday 2026-11-01)', () => {
      const day = weekend('America/New_York', '09:00', '17:00');
      // Saturday 18:00 EST: opens Sunday 09:00 EDT (UTC-4), 13:00 UTC, not 14:00.
      expect(windowState(day, at('2026-03-07T23:00:00Z'))).to.deep.include({ reason: 'outside the window: 18:00 is after 09:00–17:00 (America/New_York)', opensAt: at('2026-03-08T13:00:00Z') });
      expect(windowState(day, at('2026-03-08T13:00:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-03-08T21:00:00Z') });
      // Sunday 07:00 EST after falling back: opens at 09:00 EST, 14:00 UTC.
      expect(windowState(day, at('2026-11-01T12:00:00Z'))).to.deep.equal({ open: false, reason: 'outside the window: 07:00 is before 09:00–17:00 (America/New_York)', opensAt: at('2026-11-01T14:00:00Z') });
      expect(windowState(day, at('2026-11-01T15:00:00Z'))).to.deep.equal({ open: true, closesAt: at('2026-11-01T22:00:00Z') });
    });
  });

  it('describes the window in words', () => {
    expect(describeWindow(berlin)).to.equal('mon–fri 09:00–17:00 Europe/Berlin (blackout dates: 2026-12-24, 2026-12-25)');
    expect(describeWindow({ ...berlin, weekdays: ['fri', 'mon', 'wed'], blackoutDates: [] })).to.equal('mon, wed, fri 09:00–17:00 Europe/Berlin');
    expect(windowState({ ...berlin, weekdays: ['sat', 'sun'] }, at('2026-12-02T10:00:00Z'))).to.include({ reason: 'outside the window: Wednesday is not one of sat, sun (Europe/Berlin)' });
  });
});
