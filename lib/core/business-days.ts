// Business days in a team's time zone: a postmortem due "two business days after the resolution"
// falls on the same local time of day two weekdays later (Monday to Friday; public holidays are
// not known here). Time zones through Intl (IANA names, daylight saving included), no library.
// Pure module: the Lambda bundles and the CLI import it.

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** True for a time zone Intl knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    format(timeZone);
    return true;
  } catch {
    return false;
  }
}

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `at`, as if it were UTC (epoch ms, whole seconds). */
function wallClock(at: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of format(timeZone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) + (at % 1000 + 1000) % 1000;
}

/** The instant at which the wall clock in `timeZone` shows `wall` (given as if UTC); in a gap (spring forward), the moment after it. */
function instantOf(wall: number, timeZone: string): number {
  const guess = wall - (wallClock(wall, timeZone) - wall);
  const at = wall - (wallClock(guess, timeZone) - guess);
  return wallClock(at, timeZone) === wall ? at : guess;
}

/** 0 = Sunday … 6 = Saturday, of a wall-clock time given as if UTC. */
const weekday = (wall: number): number => new Date(wall).getUTCDay();

/**
 * The instant `days` business days after `from` in `timeZone`: each weekday after the day of
 * `from` counts one, at the same local time of day (a Friday 16:00 resolution plus 2 is Tuesday
 * 16:00; a Saturday one plus 2 is Tuesday too). An unknown time zone reads as UTC.
 */
export function addBusinessDays(from: number, days: number, timeZone = 'UTC'): number {
  const tz = isTimeZone(timeZone) ? timeZone : 'UTC';
  let wall = wallClock(from, tz);
  for (let left = Math.max(0, Math.floor(days)); left > 0;) {
    wall += DAY_MS;
    const d = weekday(wall);
    if (d !== 0 && d !== 6) left--;
  }
  return instantOf(wall, tz);
}

/** Whole business days from `from` to `to` (negative when `to` is earlier), counted as {@link addBusinessDays} does. */
export function businessDaysBetween(from: number, to: number, timeZone = 'UTC'): number {
  const tz = isTimeZone(timeZone) ? timeZone : 'UTC';
  const sign = to < from ? -1 : 1;
  const [a, b] = sign > 0 ? [wallClock(from, tz), wallClock(to, tz)] : [wallClock(to, tz), wallClock(from, tz)];
  let n = 0;
  for (let wall = a + DAY_MS; wall <= b; wall += DAY_MS) {
    const d = weekday(wall);
    if (d !== 0 && d !== 6) n++;
  }
  return sign * n;
}

/** `YYYY-MM-DD` and `HH:MM` of an instant in `timeZone`. */
export function localDateTime(at: number, timeZone = 'UTC'): { date: string; time: string } {
  const iso = new Date(wallClock(at, isTimeZone(timeZone) ? timeZone : 'UTC')).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
