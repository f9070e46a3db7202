// Whether a game day may run now: the plan's weekdays and hours in its IANA time zone, minus blackout dates.
import { clockMinutes } from './plan-schema.ts';
import type { TimeWindow, Weekday } from './plan-types.ts';

export type WindowState = { open: true; closesAt: Date } | { open: false; reason: string; opensAt?: Date };

const WEEKDAY_ORDER: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A calendar day and a minute of it, as a wall clock in some zone shows them. */
interface WallTime {
  /** Days since 1970-01-01 of the local date (calendar arithmetic, no zone). */
  day: number;
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string): Intl.DateTimeFormat {
  let found = formats.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formats.set(timeZone, found);
  }
  return found;
}

/** The wall clock in the zone at an instant. */
function wallTime(instant: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(format(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const day = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS;
  return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

const wallIndex = (wall: WallTime) => wall.day * 1440 + wall.minute;

/**
 * The first instant after `after` at which the zone's wall clock shows this day and minute. On a day the clocks go
 * forward, a minute in the skipped hour is the instant of the change; on a day they go back, the earlier of the two
 * that is still to come.
 */
export function instantOf(day: number, minute: number, timeZone: string, after = -Infinity): Date {
  const target = day * 1440 + minute;
  const naive = target * MINUTE_MS;
  const offsetAt = (instant: number) => (wallIndex(wallTime(instant, timeZone)) - Math.floor(instant / MINUTE_MS)) * MINUTE_MS;
  // The zone's offsets a day either side: any change of offset near the target lies between them.
  const candidates = [naive - offsetAt(naive - DAY_MS), naive - offsetAt(naive + DAY_MS)].sort((a, b) => a - b);
  const exact = candidates.find((instant) => instant > after && wallIndex(wallTime(instant, timeZone)) === target);
  if (exact !== undefined) return new Date(exact);
  // Skipped by a change of offset: the first minute at which the wall clock is past the target.
  let [low, high] = candidates as [number, number];
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallIndex(wallTime(middle, timeZone)) >= target) high = middle;
    else low = middle;
  }
  return new Date(high);
}

const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (day: number) => new Date(day * DAY_MS).getUTCDay();
const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** "mon–fri", or "mon, wed, fri" when the days do not follow each other. */
export function describeWeekdays(weekdays: readonly Weekday[]): string {
  const sorted = [...new Set(weekdays)].sort((a, b) => ((WEEKDAY_ORDER.indexOf(a) + 6) % 7) - ((WEEKDAY_ORDER.indexOf(b) + 6) % 7));
  const indexes = sorted.map((day) => (WEEKDAY_ORDER.indexOf(day) + 6) % 7);
  const consecutive = indexes.every((index, position) => position === 0 || index === (indexes[position - 1] ?? 0) + 1);
  return consecutive && sorted.length > 2 ? `${sorted[0]}–${sorted.at(-1)}` : sorted.join(', ');
}

/** The window in words: "mon–fri 09:00–17:00 Europe/Berlin (blackout dates: 2026-12-24)". */
export function describeWindow(window: TimeWindow): string {
  const blackout = window.blackoutDates.length > 0 ? ` (blackout dates: ${window.blackoutDates.join(', ')})` : '';
  return `${describeWeekdays(window.weekdays)} ${window.hours.from}–${window.hours.to} ${window.timeZone}${blackout}`;
}

/** Whether a game day may run on this local day at all (an allowed weekday, not a blackout date). */
function allowedDay(window: TimeWindow, day: number): boolean {
  return window.weekdays.includes(WEEKDAY_ORDER[weekdayOf(day)] as Weekday) && !window.blackoutDates.includes(isoDate(day));
}

/** When the window next opens, from the start of `firstDay` on; undefined if no allowed day comes within a year and the blackouts. */
function nextOpening(window: TimeWindow, firstDay: number): Date | undefined {
  const from = clockMinutes(window.hours.from);
  for (let day = firstDay; day < firstDay + 366 + window.blackoutDates.length; day++) {
    if (allowedDay(window, day)) return instantOf(day, from, window.timeZone);
  }
  return undefined;
}

/** Whether the window is open at `now`: until when, or why not and when it opens next. */
export function windowState(window: TimeWindow, now: Date): WindowState {
  const zone = window.timeZone;
  const { day, minute } = wallTime(now.getTime(), zone);
  const from = clockMinutes(window.hours.from);
  const to = clockMinutes(window.hours.to);
  const closed = (reason: string, firstDay: number): WindowState => {
    const opensAt = nextOpening(window, firstDay);
    return opensAt ? { open: false, reason, opensAt } : { open: false, reason };
  };
  if (window.blackoutDates.includes(isoDate(day))) return closed(`blackout date ${isoDate(day)} (${zone})`, day + 1);
  if (!allowedDay(window, day)) {
    return closed(`outside the window: ${WEEKDAY_NAMES[weekdayOf(day)]} is not one of ${describeWeekdays(window.weekdays)} (${zone})`, day + 1);
  }
  if (minute < from) return closed(`outside the window: ${clock(minute)} is before ${window.hours.from}–${window.hours.to} (${zone})`, day);
  if (minute >= to) return closed(`outside the window: ${clock(minute)} is after ${window.hours.from}–${window.hours.to} (${zone})`, day + 1);
  return { open: true, closesAt: to === 1440 ? instantOf(day + 1, 0, zone) : instantOf(day, to, zone, now.getTime()) };
}
