import * as fc from 'fast-check';
import { addBusinessDays, businessDaysBetween, localDateTime } from '../../lib/core/business-days';
import { isTimeZone } from '../../lib/core/zoned-time';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

test('a Friday afternoon resolution plus 2 business days is Tuesday, same local time (Berlin)', () => {
  // Friday 2026-11-20 16:00 CET.
  expect(iso(addBusinessDays(at('2026-11-20T15:00:00Z'), 2, 'Europe/Berlin'))).toBe('2026-11-24T15:00:00.000Z');
});

test('a weekend resolution counts from Monday', () => {
  expect(iso(addBusinessDays(at('2026-11-21T09:00:00Z'), 2, 'UTC'))).toBe('2026-11-24T09:00:00.000Z'); // Saturday → Tuesday
  expect(iso(addBusinessDays(at('2026-11-22T09:00:00Z'), 1, 'UTC'))).toBe('2026-11-23T09:00:00.000Z'); // Sunday → Monday
});

test('the day is the team\'s: late Friday in New York is already Saturday in UTC', () => {
  // Friday 2026-11-20 21:00 EST = Saturday 02:00 UTC.
  expect(iso(addBusinessDays(at('2026-11-21T02:00:00Z'), 1, 'America/New_York'))).toBe('2026-11-24T02:00:00.000Z'); // Monday 21:00 EST
  expect(iso(addBusinessDays(at('2026-11-21T02:00:00Z'), 1, 'UTC'))).toBe('2026-11-23T02:00:00.000Z'); // Monday 02:00 UTC
});

test('across a daylight-saving change the local time of day is kept', () => {
  // Friday 2026-03-27 13:30 CET → Monday 2026-03-30 13:30 CEST.
  expect(iso(addBusinessDays(at('2026-03-27T12:30:00Z'), 1, 'Europe/Berlin'))).toBe('2026-03-30T11:30:00.000Z');
  expect(localDateTime(at('2026-03-30T11:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-30', time: '13:30' });
});

test('an unknown time zone reads as UTC; isTimeZone tells them apart', () => {
  expect(isTimeZone('Europe/Berlin')).toBe(true);
  expect(isTimeZone('Mars/Olympus')).toBe(false);
  expect(addBusinessDays(at('2026-11-20T15:00:00Z'), 2, 'Mars/Olympus')).toBe(addBusinessDays(at('2026-11-20T15:00:00Z'), 2, 'UTC'));
});

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata', 'America/St_Johns'];

test('property: n business days later is a weekday, n business days away, never earlier, at most n + 2 weekend days per week more', () => {
  fc.assert(fc.property(
    fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2032-12-31') }), fc.integer({ min: 1, max: 30 }), fc.constantFrom(...ZONES),
    (from, n, tz) => {
      const due = addBusinessDays(from, n, tz);
      const local = new Date(`${localDateTime(due, tz).date}T00:00:00Z`).getUTCDay();
      expect(local).not.toBe(0);
      expect(local).not.toBe(6);
      expect(businessDaysBetween(from, due, tz)).toBe(n);
      expect(due).toBeGreaterThan(from);
      expect(due - from).toBeLessThanOrEqual((n + 2 * Math.ceil(n / 5) + 2) * 86_400_000 + 3_600_000);
    },
  ), { numRuns: 300 });
});

test('property: the local time of day is kept (outside the hour a clock change skips)', () => {
  fc.assert(fc.property(
    fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2032-12-31') }), fc.integer({ min: 1, max: 10 }), fc.constantFrom(...ZONES),
    (from, n, tz) => {
      const due = addBusinessDays(from, n, tz);
      const [a, b] = [localDateTime(from, tz).time, localDateTime(due, tz).time];
      const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
      expect(Math.abs(minutes(a) - minutes(b)) === 0 || Math.abs(minutes(a) - minutes(b)) <= 60).toBe(true);
    },
  ), { numRuns: 300 });
});
