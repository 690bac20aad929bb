// The on-call numbers, exactly, from incidents with known times (test/support/health-fixture.ts).
import { computeHealth, distribution, percentile, twelveHourShifts } from '../../lib/health/health';
import { PERIOD, SHIFTS, TZ, healthFixture } from '../support/health-fixture';

const Z = (iso: string) => Date.parse(iso);
const report = () => computeHealth(healthFixture(), { ...PERIOD, shifts: SHIFTS, timeZone: TZ });

describe('the numbers of a period across a daylight-saving change', () => {
  test('12-hour shifts: rotation shifts cut every 12 local hours (11 real across the change), other hours at 08:00 and 20:00', () => {
    const r = report();
    expect(r.shifts.map((s) => [new Date(s.from).toISOString().slice(5, 16), (s.to - s.from) / 3_600_000, s.who ?? '-', s.pages])).toEqual([
      ['03-26T23:00', 8, '-', 0],
      ['03-27T07:00', 12, '-', 0],
      ['03-27T19:00', 12, '-', 0],
      ['03-28T07:00', 12, '<@U0ALICE>', 0],
      ['03-28T19:00', 11, '<@U0ALICE>', 3],
      ['03-29T06:00', 12, '<@U0BOB>', 1],
      ['03-29T18:00', 12, '<@U0BOB>', 0],
      ['03-30T06:00', 12, '-', 1],
      ['03-30T18:00', 4, '-', 1],
    ]);
    expect(r.shifts[4]).toMatchObject({ pages: 3, sleepPages: 3, offHoursPages: 3, overLimit: true });
    expect(r.shifts.filter((s) => s.overLimit)).toHaveLength(1);
  });

  test('totals', () => {
    expect(report().totals).toEqual({
      incidents: 7, pages: 6, alerts: 9, incidentGroups: 7, alertsPerIncident: 1.29, unresolved: 1, acknowledged: 5,
      escalated: 2, sleepPages: 3, offHoursPages: 5, shifts: 9, shiftsOverLimit: 1,
    });
  });

  test('per person on call', () => {
    expect(report().people).toEqual([
      { who: '<@U0ALICE>', shifts: 2, pages: 3, shiftsOverLimit: 1, mostPagesInAShift: 3, sleepPages: 3, offHoursPages: 3 },
      { who: '<@U0BOB>', shifts: 2, pages: 1, shiftsOverLimit: 0, mostPagesInAShift: 1, sleepPages: 0, offHoursPages: 1 },
    ]);
  });

  test('per severity: MTTA, MTTR and MTTD medians and p90 (nearest rank), against the response targets', () => {
    const [sev1, sev2, sev3] = report().severities;
    expect(sev1).toEqual({
      severity: 'SEV1', incidents: 2, target: 'within 5 min', metTarget: 1, missedTarget: 1, resolvedUnacknowledged: 0,
      mtta: { count: 2, p50: 120, p90: 600, max: 600 }, mttr: { count: 2, p50: 1200, p90: 3600, max: 3600 }, mttd: { count: 2, p50: 180, p90: 300, max: 300 },
    });
    expect(sev2).toEqual({
      severity: 'SEV2', incidents: 4, target: 'within 30 min', metTarget: 2, missedTarget: 1, resolvedUnacknowledged: 1,
      mtta: { count: 2, p50: 240, p90: 600, max: 600 }, mttr: { count: 3, p50: 2400, p90: 7200, max: 7200 }, mttd: { count: 1, p50: 240, p90: 240, max: 240 },
    });
    expect(sev3).toMatchObject({ severity: 'SEV3', incidents: 1, target: 'business hours', metTarget: 1, missedTarget: 0, mtta: { count: 1, p50: 223_200 } });
  });

  test('noise per alarm, worst first, each with its runbook', () => {
    const r = report();
    expect(r.alarms.map((a) => [a.alarmName, a.score, a.incidents, a.flaps, a.realerts, a.unacknowledged, a.escalated])).toEqual([
      ['Payments/Flappy', 5, 1, 1, 2, 1, 0],
      ['Payments/Db', 3, 2, 0, 1, 0, 1],
      ['Payments/Deadlock', 2, 1, 0, 0, 1, 1],
      ['Payments/Api', 1, 1, 0, 0, 0, 0],
      ['Payments/Latency', 1, 1, 0, 0, 0, 0],
      ['Payments/Queue', 1, 1, 0, 0, 0, 0],
    ]);
    expect(r.alarms[0]).toMatchObject({ runbook: 'https://github.com/acme/ops/blob/main/runbooks/flappy.md', owner: 'payments', severity: 'SEV2', firesDaily: false });
    expect(r.noise).toEqual({ flaps: 1, realerts: 3, dailyAlarms: 0, unacknowledgedPages: 2 });
  });

  test('escalations, postmortems and what is still open', () => {
    const r = report();
    expect(r.escalations).toEqual({ pages: 6, escalated: 2, byLevel: [{ level: 1, incidents: 1 }, { level: 2, incidents: 1 }] });
    expect(r.postmortems.required).toBe(5);
    expect(r.postmortems.final).toBe(1);
    expect(r.postmortems.tracked).toBe(true);
    // Still owed as of now: the period's Flappy (a Draft), and Deadlock's SEV2 of 2026-03-26, before the period, never written.
    expect(r.postmortems.overdue.map((x) => [x.alarmName, x.status, new Date(x.firedAt).toISOString().slice(0, 10)])).toEqual([
      ['Payments/Deadlock', undefined, '2026-03-26'], ['Payments/Flappy', 'Draft', '2026-03-29'],
    ]);
    // Due 2 business days after the resolution (the guide's default, UTC), when the incident does not
    // say: Saturday 23:10 and Sunday 01:50 count from Monday, a Monday resolution is due Wednesday.
    expect(r.postmortems.due.map((x) => [x.alarmName, new Date(x.dueAt!).toISOString()])).toEqual([
      ['Payments/Api', '2026-03-31T23:10:00.000Z'],
      ['Payments/Db', '2026-03-31T01:50:00.000Z'],
      ['Payments/Deadlock', '2026-04-01T10:00:00.000Z'],
    ]);
    expect(r.unresolved).toEqual([expect.objectContaining({ alarmName: 'Payments/Latency', severity: 'SEV2', acknowledgedBy: 'U0ALICE' })]);
  });

  test('MTTA and MTTR over time: per day for a short period, at local midnights', () => {
    const days = report().series.filter((s) => s.severity === 'SEV1');
    expect(days.map((d) => [new Date(d.from).toISOString(), new Date(d.to).toISOString(), d.incidents, d.mttr.p50])).toEqual([
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 2, 1200],
    ]);
  });
});

test('an alarm that fires every day for a week fires daily; a gap breaks the run', () => {
  const day = (d: number, alarm = 'Nightly') => ({ incidentId: `${alarm}-${d}`, alarmName: alarm, severity: 'SEV3', firedAt: Z('2026-01-01T03:00:00Z') + d * 86_400_000, mttrSeconds: 600 });
  const r = computeHealth([...[0, 1, 2, 3, 4, 5, 6].map((d) => day(d)), ...[0, 1, 2, 4, 5, 6, 7].map((d) => day(d, 'Gappy'))], { from: Z('2026-01-01T00:00:00Z'), to: Z('2026-01-10T00:00:00Z') });
  expect(r.alarms.map((a) => [a.alarmName, a.daysFired, a.longestDailyRun, a.firesDaily])).toEqual([['Nightly', 7, 7, true], ['Gappy', 7, 4, false]]);
  expect(r.noise.dailyAlarms).toBe(1);
});

test('a newer copy of an incident wins over an older one (history and current items)', () => {
  const base = { incidentId: 'x', alarmName: 'A', severity: 'SEV2', firedAt: Z('2026-01-01T10:00:00Z') };
  const r = computeHealth([{ ...base, version: 5, mttrSeconds: 60, resolvedAt: 1 }, { ...base, version: 2 }] as any, { from: Z('2026-01-01T00:00:00Z'), to: Z('2026-01-02T00:00:00Z') });
  expect(r.totals.incidents).toBe(1);
  expect(r.severities[0].mttr.p50).toBe(60);
});

test('without a rotation, the period is cut at 08:00 and 20:00 local time', () => {
  const shifts = twelveHourShifts(Z('2026-10-24T18:00:00Z'), Z('2026-10-26T23:00:00Z'), [], 'Europe/Berlin');
  // 25 Oct 2026: CEST → CET at 03:00; the night from 20:00 on the 24th to 08:00 on the 25th is 13 real hours.
  expect(shifts.map((s) => [new Date(s.from).toISOString().slice(5, 16), (s.to - s.from) / 3_600_000])).toEqual([
    ['10-24T18:00', 13], ['10-25T07:00', 12], ['10-25T19:00', 12], ['10-26T07:00', 12], ['10-26T19:00', 4],
  ]);
});

test('percentiles by nearest rank', () => {
  expect(percentile([], 50)).toBeUndefined();
  expect(percentile([7], 90)).toBe(7);
  expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  expect(distribution([undefined, 3, 1, 2])).toEqual({ count: 3, p50: 2, p90: 3, max: 3 });
});
