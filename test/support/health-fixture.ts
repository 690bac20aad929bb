// Incidents with known times for the on-call numbers, in Europe/Berlin across the daylight-saving
// change of 2026-03-29 (02:00 CET → 03:00 CEST), with a rotation of two daily shifts: a night that
// takes three pages (over the limit of 2), a flapping alarm, an unacknowledged page, an open one,
// a SEV3 fired after hours on a Friday, and one incident before the period. The expected numbers
// are worked out by hand in test/health/health.test.ts.
import { IncidentRecord } from '../../lib/functions/shared/incident';

/** The postmortem state the postmortem tracking adds to a record (optional fields the numbers read when present). */
type Kept = IncidentRecord & { readonly postmortemDueAt?: number; readonly postmortemStatus?: string };

export const TZ = 'Europe/Berlin';
const Z = (iso: string) => Date.parse(iso);
export const PERIOD = { from: Z('2026-03-26T23:00:00Z'), to: Z('2026-03-30T22:00:00Z') };
export const SHIFTS = [
  { from: Z('2026-03-28T07:00:00Z'), to: Z('2026-03-29T06:00:00Z'), who: '<@U0ALICE>' },
  { from: Z('2026-03-29T06:00:00Z'), to: Z('2026-03-30T06:00:00Z'), who: '<@U0BOB>' },
];

const description = (severity: string, runbook: string) =>
  `Something is wrong.\n\nSeverity: ${severity}\nRunbook: https://github.com/acme/ops/blob/main/runbooks/${runbook}.md\nOwner: payments`;

let n = 0;
function incident(alarm: string, severity: string, fired: string, over: Partial<Kept> & { acked?: string } = {}): Kept {
  const firedAt = Z(fired);
  const { acked, ...rest } = over;
  const acknowledgedAt = acked ? Z(acked) : undefined;
  const alarmName = `Payments/${alarm}`;
  return {
    alarmKey: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarmName}`,
    incidentId: `inc-${++n}-${alarm}`,
    alarmName,
    severity,
    channel: 'C0PAYMENTS1',
    ts: '1.0',
    openedBy: 'k',
    openedAt: firedAt,
    firedAt,
    state: 'OK',
    stateAt: firedAt,
    reopened: 0,
    notification: JSON.stringify({ alarmName, newState: 'OK', alarmDescription: description(severity, alarm.toLowerCase()) }),
    version: 3,
    updatedAt: firedAt,
    expiresAt: Math.floor(firedAt / 1000) + 90 * 86400,
    ...(acknowledgedAt !== undefined ? { acknowledgedAt, acknowledgedBy: 'U0ALICE', mttaSeconds: Math.round((acknowledgedAt - firedAt) / 1000) } : {}),
    ...rest,
  };
}

const resolved = (fired: string, seconds: number) => ({ mttrSeconds: seconds, resolvedAt: Z(fired) + seconds * 1000 });

export function healthFixture(): Kept[] {
  n = 0;
  return [
    // Before the period: D's previous incident (too long ago to make D's next one a re-alert).
    incident('Deadlock', 'SEV2', '2026-03-26T12:00:00Z', resolved('2026-03-26T12:00:00Z', 3600)),
    // Friday 18:00 CET, after the close: a SEV3, acknowledged Monday 09:00 CEST (within "business hours": by Monday's close).
    incident('Queue', 'SEV3', '2026-03-27T17:00:00Z', { acked: '2026-03-30T07:00:00Z', ...resolved('2026-03-27T17:00:00Z', 230_000) }),
    // Alice's night (20:00 CET Saturday → 08:00 CEST Sunday: 11 real hours), three pages, all in sleep hours.
    incident('Api', 'SEV2', '2026-03-28T22:30:00Z', { acked: '2026-03-28T22:34:00Z', breachedAt: Z('2026-03-28T22:26:00Z'), ...resolved('2026-03-28T22:30:00Z', 2400) }),
    incident('Db', 'SEV1', '2026-03-29T00:00:00Z', { acked: '2026-03-29T00:10:00Z', breachedAt: Z('2026-03-28T23:57:00Z'), escalatedLevel: 1, postmortemStatus: 'Final', ...resolved('2026-03-29T00:00:00Z', 3600) }),
    // 03:30 CEST, after the change: the same alarm 30 min after its last resolution (a re-alert).
    incident('Db', 'SEV1', '2026-03-29T01:30:00Z', { acked: '2026-03-29T01:32:00Z', breachedAt: Z('2026-03-29T01:25:00Z'), ...resolved('2026-03-29T01:30:00Z', 1200) }),
    // Bob's Sunday: a flapping alarm, OK after 90 s, back in ALARM twice, never acknowledged; its postmortem overdue.
    incident('Flappy', 'SEV2', '2026-03-29T12:00:00Z', { mttrSeconds: 90, resolvedAt: Z('2026-03-29T12:20:00Z'), reopened: 2, postmortemDueAt: Z('2026-03-30T12:00:00Z'), postmortemStatus: 'Draft' }),
    // Monday 10:00 CEST: a page nobody acknowledged, escalated twice, resolved after 2 h.
    incident('Deadlock', 'SEV2', '2026-03-30T08:00:00Z', { escalatedLevel: 2, ...resolved('2026-03-30T08:00:00Z', 7200) }),
    // Monday 21:00 CEST: acknowledged after 10 min, still open.
    incident('Latency', 'SEV2', '2026-03-30T19:00:00Z', { acked: '2026-03-30T19:10:00Z', state: 'ALARM' }),
    // Never went to ALARM (opened by an OK): not an incident.
    { ...incident('Quiet', 'SEV2', '2026-03-29T10:00:00Z'), firedAt: undefined },
  ];
}
