// Wall-clock time in IANA time zones, across daylight-saving changes both ways.
import fc from 'fast-check';
import { isTimeZone, localDate, startOfLocalDay, wallClock, zonedInstant } from '../../lib/core/zoned-time';

const Z = (iso: string) => Date.parse(iso);

test('the wall clock of an instant', () => {
  expect(wallClock(Z('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toEqual({ year: 2026, month: 3, day: 29, hour: 1, minute: 30, weekday: 0 });
  expect(wallClock(Z('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 30 });
  expect(wallClock(Z('2026-01-01T00:00:00Z'), 'America/St_Johns')).toMatchObject({ year: 2025, month: 12, day: 31, hour: 20, minute: 30 });
  expect(localDate(Z('2026-03-29T22:30:00Z'), 'Europe/Berlin')).toBe('2026-03-30');
});

test('the instant of a local time: skipped times take the offset before the change; repeated times the first', () => {
  expect(zonedInstant('Europe/Berlin', 2026, 3, 29, 8)).toBe(Z('2026-03-29T06:00:00Z'));
  expect(zonedInstant('Europe/Berlin', 2026, 3, 29, 2, 30)).toBe(Z('2026-03-29T01:30:00Z'));
  expect(zonedInstant('Europe/Berlin', 2026, 10, 25, 2, 30)).toBe(Z('2026-10-25T00:30:00Z'));
  expect(zonedInstant('America/New_York', 2026, 3, 8, 12)).toBe(Z('2026-03-08T16:00:00Z'));
  expect(zonedInstant('UTC', 2026, 12, 32)).toBe(Z('2027-01-01T00:00:00Z'));
  expect(startOfLocalDay(Z('2026-03-29T12:00:00Z'), 'Europe/Berlin')).toBe(Z('2026-03-28T23:00:00Z'));
});

test('property: the wall clock of zonedInstant(wall) is that wall time, for any time not skipped', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'];
  fc.assert(fc.property(fc.constantFrom(...zones), fc.integer({ min: Z('2020-01-01T00:00:00Z'), max: Z('2030-01-01T00:00:00Z') }), (tz, ms) => {
    const w = wallClock(ms, tz);
    const t = zonedInstant(tz, w.year, w.month, w.day, w.hour, w.minute);
    expect(wallClock(t, tz)).toEqual(w);
    expect(t).toBeLessThanOrEqual(ms);
  }), { numRuns: 500 });
});

test('time zones Intl does not know are refused', () => {
  expect(isTimeZone('Europe/Berlin')).toBe(true);
  expect(isTimeZone('Mars/Olympus')).toBe(false);
});
