import { DEFAULT_POSTMORTEM_SETTINGS, postmortemDeadlines, postmortemRequired, postmortemSettings, postmortemSettingsProblems } from '../../lib/core/postmortem';
import { Severity } from '../../lib/core/severity';

const fired = Date.parse('2026-11-20T14:00:00Z');
const min = 60_000;

test('the guide\'s criteria by default: SEV1 and SEV2 always, SEV3 and SEV4 never', () => {
  expect([Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4, undefined].map((s) => postmortemRequired(s, fired, fired + 600 * min, DEFAULT_POSTMORTEM_SETTINGS)))
    .toEqual([true, true, false, false, false]);
});

test('longer_than: a SEV3 that took longer needs one, a SEV4 never (a ticket suffices)', () => {
  const s = postmortemSettings({ longerThanMinutes: 60 });
  expect(postmortemRequired('SEV3', fired, fired + 61 * min, s)).toBe(true);
  expect(postmortemRequired('SEV3', fired, fired + 60 * min, s)).toBe(false);
  expect(postmortemRequired('SEV4', fired, fired + 600 * min, s)).toBe(false);
  expect(postmortemRequired('SEV3', undefined, fired + 600 * min, s)).toBe(false); // never fired: duration unknown
});

test('required_for replaces the severities', () => {
  expect(postmortemRequired('SEV2', fired, fired + min, postmortemSettings({ requiredFor: [Severity.SEV1] }))).toBe(false);
});

test('due and limit in business days of the team\'s time zone', () => {
  const resolved = Date.parse('2026-11-20T15:00:00Z'); // Friday
  expect(postmortemDeadlines(resolved, DEFAULT_POSTMORTEM_SETTINGS)).toEqual({ dueAt: Date.parse('2026-11-24T15:00:00Z'), limitAt: Date.parse('2026-11-27T15:00:00Z') });
  expect(postmortemDeadlines(resolved, postmortemSettings({ dueBusinessDays: 1, timeZone: 'Asia/Tokyo' })).dueAt).toBe(Date.parse('2026-11-22T15:00:00Z')); // Sat 00:00 JST → Mon 00:00 JST
});

test('settings that cannot be are named, key by key', () => {
  expect(postmortemSettingsProblems({})).toEqual([]);
  expect(postmortemSettingsProblems({ dueBusinessDays: 0, limitBusinessDays: 1.5, timeZone: 'CET+1', longerThanMinutes: -5, requiredFor: ['P1' as Severity] })).toEqual([
    'required_for must list severities (SEV1..SEV4)',
    'longer_than must be a duration of at least a minute',
    'due must be a whole number of business days, at least 1',
    'limit must be a whole number of business days, at least 1',
    'time_zone "CET+1" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)',
  ]);
  expect(postmortemSettingsProblems({ dueBusinessDays: 5, limitBusinessDays: 3 })).toEqual(['limit must not be shorter than due']);
});
