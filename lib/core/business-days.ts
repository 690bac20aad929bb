// Business days in a team's time zone: a postmortem due "two business days after the resolution"
// falls on the same local time of day two weekdays later (Monday to Friday; public holidays are
// not known here). Wall clocks through zoned-time.ts (IANA names, daylight saving included).
// Pure module: the Lambda bundles and the CLI import it.

import { instantOfLocal, isTimeZone, localMs } from './zoned-time';

const DAY_MS = 86_400_000;
/** A zone Intl knows, else UTC. */
const known = (timeZone: string): string => (isTimeZone(timeZone) ? timeZone : 'UTC');

/** 0 = Sunday … 6 = Saturday, of a wall-clock time given as if UTC. */
const weekday = (wall: number): number => new Date(wall).getUTCDay();

/**
 * The instant `days` business days after `from` in `timeZone`: each weekday after the day of
 * `from` counts one, at the same local time of day (a Friday 16:00 resolution plus 2 is Tuesday
 * 16:00; a Saturday one plus 2 is Tuesday too). An unknown time zone reads as UTC.
 */
export function addBusinessDays(from: number, days: number, timeZone = 'UTC'): number {
  const tz = known(timeZone);
  let wall = localMs(from, tz);
  for (let left = Math.max(0, Math.floor(days)); left > 0;) {
    wall += DAY_MS;
    const d = weekday(wall);
    if (d !== 0 && d !== 6) left--;
  }
  return instantOfLocal(wall, tz);
}

/** Whole business days from `from` to `to` (negative when `to` is earlier), counted as {@link addBusinessDays} does. */
export function businessDaysBetween(from: number, to: number, timeZone = 'UTC'): number {
  const tz = known(timeZone);
  const sign = to < from ? -1 : 1;
  const [a, b] = sign > 0 ? [localMs(from, tz), localMs(to, tz)] : [localMs(to, tz), localMs(from, tz)];
  let n = 0;
  for (let wall = a + DAY_MS; wall <= b; wall += DAY_MS) {
    const d = weekday(wall);
    if (d !== 0 && d !== 6) n++;
  }
  return sign * n;
}

/** `YYYY-MM-DD` and `HH:MM` of an instant in `timeZone`. */
export function localDateTime(at: number, timeZone = 'UTC'): { date: string; time: string } {
  const iso = new Date(localMs(at, known(timeZone))).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
