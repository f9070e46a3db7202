// Whether a time window is open now (minimal stand-in; the window engineer's full version replaces it).
import type { TimeWindow, Weekday } from './plan-types.ts';

export type WindowState = { open: true; closesAt: Date } | { open: false; reason: string; opensAt?: Date };

const WEEKDAYS: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

function local(now: Date, timeZone: string): { weekday: Weekday; date: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return { weekday: WEEKDAYS[parts.weekday ?? ''] as Weekday, date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function windowState(window: TimeWindow, now: Date): WindowState {
  const here = local(now, window.timeZone);
  const span = `${window.weekdays.join(',')} ${window.hours.from}-${window.hours.to} ${window.timeZone}`;
  if (window.blackoutDates.includes(here.date)) return { open: false, reason: `${here.date} is a blackout date (${window.timeZone})` };
  if (!window.weekdays.includes(here.weekday)) return { open: false, reason: `${here.weekday} is not in the window (${span})` };
  const from = minutesOf(window.hours.from);
  const to = minutesOf(window.hours.to);
  if (here.minutes < from || here.minutes >= to) return { open: false, reason: `it is outside the hours of the window (${span})` };
  const closesAt = new Date(now.getTime() + (to - here.minutes) * 60_000 - (now.getTime() % 60_000));
  return { open: true, closesAt };
}
