// The rotation as the functions resolve it: who is on call at an instant, across handoffs, a
// daylight-saving change in the rotation's own time zone, swaps, and before the rotation starts.
import fc from 'fast-check';
import { Rotation, compileRotation, formatZoned, lastHandoff as lastHandoffOf, onCallAt as onCallAtOf, parseHandoff, parseLocalTime, shiftsFrom as shiftsFromOf } from '../../lib/core/rotation';
import { instantOfLocal, localMs } from '../../lib/core/zoned-time';

// The rotation as written, compiled as the construct and the CLI compile it.
const onCallAt = (r: Rotation, t: number) => onCallAtOf(compileRotation(r), t);
const shiftsFrom = (r: Rotation, t: number, n: number) => shiftsFromOf(compileRotation(r), t, n);
const lastHandoff = (r: Rotation, t: number) => lastHandoffOf(compileRotation(r), t);
const mention = (s: { member: readonly [string, string] }) => s.member[0];

const A = { slackMention: '<@U0ALICE>' };
const B = { slackMention: '<@U0BOB>', snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:bob-pager' };
const C = { slackMention: '<@U0CAROL>' };
const D = { slackMention: '<@U0DAVE>' };

const weekly: Rotation = { members: [A, B, C], everyDays: 7, handoff: 'Mon 10:00', timeZone: 'Europe/Berlin', start: '2026-01-01' };
const at = (iso: string) => Date.parse(iso);
const who = (r: Rotation, iso: string) => mention(onCallAt(r, at(iso)));

describe('a weekly rotation handed off on Monday at 10:00 in Berlin', () => {
  test('the first member\'s first shift starts at the first handoff on or after start (Thursday 1 January → Monday 5 January)', () => {
    expect(onCallAt(weekly, at('2026-01-05T09:00:00Z'))).toEqual({ member: ['<@U0ALICE>', ''], from: at('2026-01-05T09:00:00Z'), to: at('2026-01-12T09:00:00Z'), override: false });
    expect(who(weekly, '2026-01-12T08:59:59Z')).toBe(A.slackMention);
    expect(who(weekly, '2026-01-12T09:00:00Z')).toBe(B.slackMention);
    expect(who(weekly, '2026-01-19T09:00:00Z')).toBe(C.slackMention);
    expect(who(weekly, '2026-01-26T09:00:00Z')).toBe(A.slackMention);
  });

  test('before start the rotation runs backward, so no page ever finds nobody on call', () => {
    expect(who(weekly, '2026-01-05T08:59:59Z')).toBe(C.slackMention);
    expect(who(weekly, '2025-12-29T08:59:59Z')).toBe(B.slackMention);
  });

  test('the shift across the spring daylight-saving change is an hour shorter, and the handoff stays at 10:00 local', () => {
    // Monday 23 March 10:00 CET = 09:00Z; Monday 30 March 10:00 CEST = 08:00Z (clocks went forward on Sunday 29 March).
    const shift = onCallAt(weekly, at('2026-03-28T12:00:00Z'));
    expect([new Date(shift.from).toISOString(), new Date(shift.to).toISOString()]).toEqual(['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z']);
    expect((shift.to - shift.from) / 3600_000).toBe(167);
    expect(formatZoned(shift.to, 'Europe/Berlin')).toBe('2026-03-30 10:00 +02:00');
    expect(formatZoned(shift.to, 'Europe/Berlin', true)).toBe('2026-03-30T10:00:00+02:00');
    // ...and an hour longer across the autumn change (Sunday 25 October).
    const autumn = onCallAt(weekly, at('2026-10-25T12:00:00Z'));
    expect((autumn.to - autumn.from) / 3600_000).toBe(169);
  });

  test('a swap (override) puts someone else on call and cuts the regular shift around it', () => {
    const swapped: Rotation = { ...weekly, overrides: [{ from: '2026-01-07T14:00', to: '2026-01-08T10:00', ...D }] };
    expect(shiftsFrom(swapped, at('2026-01-05T09:00:00Z'), 4).map((s) => [mention(s), new Date(s.from).toISOString(), new Date(s.to).toISOString(), s.override])).toEqual([
      ['<@U0ALICE>', '2026-01-05T09:00:00.000Z', '2026-01-07T13:00:00.000Z', false],
      ['<@U0DAVE>', '2026-01-07T13:00:00.000Z', '2026-01-08T09:00:00.000Z', true],
      ['<@U0ALICE>', '2026-01-08T09:00:00.000Z', '2026-01-12T09:00:00.000Z', false],
      ['<@U0BOB>', '2026-01-12T09:00:00.000Z', '2026-01-19T09:00:00.000Z', false],
    ]);
    // An override's edges are not handoffs of the rotation.
    expect(new Date(lastHandoff(swapped, at('2026-01-07T15:00:00Z'))).toISOString()).toBe('2026-01-05T09:00:00.000Z');
  });
});

describe('daily handoffs at a time the clocks skip or repeat', () => {
  const daily: Rotation = { members: [A, B], everyDays: 1, handoff: '02:30', timeZone: 'Europe/Berlin', start: '2026-03-27' };

  test('02:30 does not exist on 29 March: the handoff happens just after the gap, at 03:30 CEST', () => {
    const shifts = shiftsFrom(daily, at('2026-03-28T12:00:00Z'), 3);
    expect(shifts.map((s) => formatZoned(s.from, 'Europe/Berlin'))).toEqual(['2026-03-28 02:30 +01:00', '2026-03-29 03:30 +02:00', '2026-03-30 02:30 +02:00']);
  });

  test('02:30 happens twice on 25 October: the handoff is at the first', () => {
    const autumn = { ...daily, start: '2026-10-23' };
    expect(new Date(onCallAt(autumn, at('2026-10-25T01:00:00Z')).from).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

test('every 14 days from the start date itself when the handoff names no weekday; in New York across its own change', () => {
  const r: Rotation = { members: [A, B], everyDays: 14, handoff: '09:00', timeZone: 'America/New_York', start: '2026-02-26' };
  const shifts = shiftsFrom(r, at('2026-02-26T14:00:00Z'), 3);
  expect(shifts.map((s) => formatZoned(s.from, 'America/New_York'))).toEqual(['2026-02-26 09:00 -05:00', '2026-03-12 09:00 -04:00', '2026-03-26 09:00 -04:00']);
  expect(shifts.map(mention)).toEqual(['<@U0ALICE>', '<@U0BOB>', '<@U0ALICE>']);
});

test('handoff, local time and zone helpers', () => {
  expect(parseHandoff('Mon 10:00')).toEqual({ weekday: 1, minutes: 600 });
  expect(parseHandoff('sunday 9:05')).toEqual({ weekday: 7, minutes: 545 });
  expect(parseHandoff('10:00')).toEqual({ weekday: undefined, minutes: 600 });
  for (const bad of ['Mon', '25:00', 'Funday 10:00', '10h', 'Mon 10:60']) expect(parseHandoff(bad)).toBeUndefined();
  expect(parseLocalTime('2026-12-24T18:00')).toBe(Date.UTC(2026, 11, 24, 18));
  expect(parseLocalTime('2026-12-24 18:00:30')).toBe(Date.UTC(2026, 11, 24, 18, 0, 30));
  expect(parseLocalTime('2026-12-24')).toBe(Date.UTC(2026, 11, 24));
  for (const bad of ['2026-02-30', '2026-12-24T18:00Z', '24/12/2026', '2026-12-24T25:00']) expect(parseLocalTime(bad)).toBeUndefined();
  expect(instantOfLocal(Date.UTC(2026, 0, 5, 10), 'Asia/Tokyo')).toBe(at('2026-01-05T01:00:00Z'));
  expect(localMs(at('2026-01-05T01:00:00Z'), 'Asia/Tokyo')).toBe(Date.UTC(2026, 0, 5, 10));
});

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Tokyo', 'UTC', 'Australia/Lord_Howe', 'America/Santiago'];

test('property: the shifts of any rotation tile time, each handed off at the handoff time of its zone (or just after a skipped one)', () => {
  const rotation = fc.record({
    n: fc.integer({ min: 1, max: 5 }),
    everyDays: fc.integer({ min: 1, max: 21 }),
    weekday: fc.option(fc.constantFrom('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'), { nil: undefined }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 15, 30, 45),
    timeZone: fc.constantFrom(...ZONES),
    startDay: fc.integer({ min: 0, max: 3000 }),
  });
  fc.assert(fc.property(rotation, fc.integer({ min: -200, max: 3400 }), fc.integer({ min: 0, max: 86_399 }), (g, day, second) => {
    const members = Array.from({ length: g.n }, (_, i) => ({ slackMention: `<@U0M${i}>` }));
    const pad = (x: number) => String(x).padStart(2, '0');
    const handoff = `${g.weekday ? `${g.weekday} ` : ''}${pad(g.hour)}:${pad(g.minute)}`;
    const start = new Date(Date.UTC(2024, 0, 1) + g.startDay * 86_400_000).toISOString().slice(0, 10);
    const r: Rotation = { members, everyDays: g.everyDays, handoff, timeZone: g.timeZone, start };
    const t = Date.UTC(2024, 0, 1) + day * 86_400_000 + second * 1000;
    const shifts = shiftsFrom(r, t, 3);
    expect(shifts[0].from).toBeLessThanOrEqual(t);
    expect(shifts[0].to).toBeGreaterThan(t);
    for (let i = 0; i < shifts.length; i++) {
      const s = shifts[i];
      if (i > 0) expect(s.from).toBe(shifts[i - 1].to);
      // A shift is its length give or take a daylight-saving change (at most 2 h anywhere).
      expect(Math.abs(s.to - s.from - g.everyDays * 86_400_000)).toBeLessThanOrEqual(2 * 3600_000);
      const local = new Date(localMs(s.from, g.timeZone));
      const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
      const wanted = g.hour * 60 + g.minute;
      // Exactly the handoff time, or up to 2 h after it when the zone skipped that time that day.
      expect(minutes === wanted || (minutes > wanted && minutes - wanted <= 120)).toBe(true);
      expect(onCallAt(r, s.to - 1).member).toEqual(s.member);
      if (shifts[i + 1]) expect(onCallAt(r, s.to).member).toEqual(shifts[i + 1].member);
    }
    // Consecutive shifts go to consecutive members.
    const idx = (s: { member: readonly [string, string] }) => members.findIndex((m) => m.slackMention === mention(s));
    expect(idx(shifts[1])).toBe((idx(shifts[0]) + 1) % g.n);
  }), { numRuns: 150 });
});
