// Wall-clock time in an IANA time zone, through Intl (the zone data Node ships): the local date and
// hour of an instant, and the instant of a local time, across daylight-saving changes. Pure.

/** An instant as a wall clock in some time zone shows it. */
export interface WallClock {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly day: number;
  /** 0–23. */
  readonly hour: number;
  readonly minute: number;
  /** 0 (Sunday) – 6 (Saturday). */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone Intl knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// Offsets change only at whole minutes, in practice at quarter hours, and at most once a day: a
// day whose start and end have one offset has it throughout (two Intl calls a day and zone);
// a day with a change is read per quarter hour.
const QUARTER = 900_000;
const DAY = 86_400_000;
const byDay = new Map<string, Map<number, number | null>>();
const byQuarter = new Map<string, Map<number, number>>();

function cacheOf<T>(caches: Map<string, Map<number, T>>, timeZone: string): Map<number, T> {
  let cache = caches.get(timeZone);
  if (!cache) caches.set(timeZone, (cache = new Map()));
  if (cache.size > 50_000) cache.clear();
  return cache;
}

/** The offset at the start of the quarter hour of `ms`, from Intl. */
function quarterOffset(ms: number, timeZone: string): number {
  const cache = cacheOf(byQuarter, timeZone);
  const q = Math.floor(ms / QUARTER);
  let offset = cache.get(q);
  if (offset === undefined) {
    const parts: Record<string, string> = {};
    for (const p of formatter(timeZone).formatToParts(q * QUARTER)) parts[p.type] = p.value;
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
    offset = Math.round((wall - q * QUARTER) / 60_000);
    cache.set(q, offset);
  }
  return offset;
}

/** Minutes the zone's wall clock is ahead of UTC at `ms`. */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const cache = cacheOf(byDay, timeZone);
  const day = Math.floor(ms / DAY);
  let offset = cache.get(day);
  if (offset === undefined) {
    const start = quarterOffset(day * DAY, timeZone);
    offset = start === quarterOffset((day + 1) * DAY, timeZone) ? start : null;
    cache.set(day, offset);
  }
  return offset ?? quarterOffset(ms, timeZone);
}

/** The wall clock of the zone at `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const d = new Date(ms + zoneOffsetMinutes(ms, timeZone) * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
}

/**
 * The instant the zone's wall clock shows the given local time (month 1–12; fields may overflow,
 * as in Date.UTC). A time the clock skips (spring forward) is the instant it would have been with
 * the offset before the change; of a time shown twice (fall back), the first.
 */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets a day before and a day after: one of them is the offset in force at that time.
  const before = wall - zoneOffsetMinutes(wall - 86_400_000, timeZone) * 60_000;
  const after = wall - zoneOffsetMinutes(wall + 86_400_000, timeZone) * 60_000;
  const shows = (t: number) => t + zoneOffsetMinutes(t, timeZone) * 60_000 === wall;
  const first = Math.min(before, after);
  const second = Math.max(before, after);
  if (shows(first)) return first;
  if (shows(second)) return second;
  return before;
}

/** The local midnight that starts the day of `ms` in the zone. */
export function startOfLocalDay(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return zonedInstant(timeZone, w.year, w.month, w.day);
}

/** `YYYY-MM-DD` of the local day of `ms`. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The wall-clock time at `at` in `timeZone`, as ms whose UTC fields are the local ones. */
export function localMs(at: number, timeZone: string): number {
  return at + zoneOffsetMinutes(at, timeZone) * 60_000;
}

/** The instant a wall-clock time (ms whose UTC fields are the local ones) happens in `timeZone` (zonedInstant: a skipped time just after the gap, a repeated one the first). */
export function instantOfLocal(wall: number, timeZone: string): number {
  const d = new Date(wall);
  return zonedInstant(timeZone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()) + d.getUTCSeconds() * 1000 + d.getUTCMilliseconds();
}
