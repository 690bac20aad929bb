// When an unacknowledged page escalates, as pure functions: the timer an incident should have,
// and what a fired timer may do.
import { DEFAULT_INCIDENT_POLICY, IncidentRecord } from '../../../lib/functions/shared/incident';
import { escalationScheduleName, planEscalationFire, planEscalationTimer } from '../../../lib/functions/shared/escalation-timing';
import { record } from '../../support/incident';

const plan = { afterMinutes: 5, levels: ['secondary', 'lead'] };
const paged = (over: Partial<IncidentRecord> = {}) => record({ ts: '1.0001', alarmedAt: 5000, ...over });

test('the timer: the next level escalate_after after ALARM (or the last level); none when acknowledged, resolved, or out of levels', () => {
  expect(planEscalationTimer(paged(), plan, 6000)).toEqual({ kind: 'schedule', level: 1, name: 'esc-inc-1-1-5', at: 5000 + 300_000, since: 5000 });
  expect(planEscalationTimer(paged({ escalationSchedule: 'esc-inc-1-1-5' }), plan, 6000)).toEqual({ kind: 'none' });
  expect(planEscalationTimer(paged({ escalatedLevel: 1, escalatedAt: 400_000 }), plan, 400_000)).toMatchObject({ level: 2, at: 700_000 });
  expect(planEscalationTimer(paged({ escalatedLevel: 2, escalationSchedule: 'esc-inc-1-2' }), plan, 900_000)).toEqual({ kind: 'cancel', name: 'esc-inc-1-2' });
  expect(planEscalationTimer(paged({ acknowledgedAt: 10_000, escalationSchedule: 'esc-inc-1-1' }), plan, 10_000)).toEqual({ kind: 'cancel', name: 'esc-inc-1-1' });
  expect(planEscalationTimer(paged({ state: 'OK' }), plan, 10_000)).toEqual({ kind: 'none' });
  expect(planEscalationTimer(paged({ ts: undefined }), plan, 10_000)).toEqual({ kind: 'none' });
  expect(planEscalationTimer(paged(), undefined, 10_000)).toEqual({ kind: 'none' });
  // A notification that arrives late sets the timer a minute ahead at the soonest, never in the past.
  expect(planEscalationTimer(paged(), plan, 900_000)).toMatchObject({ level: 1, at: 960_000 });
  // Reopened (back in ALARM after an OK): counted from the reopening.
  expect(planEscalationTimer(paged({ alarmedAt: 2_000_000, reopened: 1 }), plan, 2_000_000)).toMatchObject({ level: 1, at: 2_300_000 });
  // Back in ALARM after an OK, the level counts from the reopening: a timer of its own, never the one left from before.
  expect(planEscalationTimer(paged({ alarmedAt: 2_000_000, reopened: 1, escalationSchedule: 'esc-inc-1-1-5' }), plan, 2_000_000))
    .toMatchObject({ kind: 'schedule', name: 'esc-inc-1-1-1jk', since: 2_000_000 });
  const long = 'a'.repeat(80);
  expect(escalationScheduleName(long, 1, Date.UTC(2026, 10, 23)).length).toBeLessThanOrEqual(64);
  expect(new Set([escalationScheduleName(long, 1, 0), escalationScheduleName(long, 2, 0), escalationScheduleName(long, 1, 60_000)]).size).toBe(3);
});

test('a fired level escalates only the incident it was set for, in ALARM, unacknowledged, in order', () => {
  const fire = planEscalationFire(paged({ escalationSchedule: 'esc-inc-1-1' }), 'inc-1', 1, 305_000, DEFAULT_INCIDENT_POLICY);
  expect(fire).toMatchObject({ kind: 'escalate', next: { escalatedLevel: 1, escalatedAt: 305_000, escalationSchedule: undefined, version: 2 } });
  expect(planEscalationFire(paged({ escalatedLevel: 1 }), 'inc-1', 1, 305_000, DEFAULT_INCIDENT_POLICY).kind).toBe('recorded');
  expect(planEscalationFire(paged(), 'inc-1', 2, 305_000, DEFAULT_INCIDENT_POLICY)).toEqual({ kind: 'skip', why: 'level 2 fired before level 1' });
  expect(planEscalationFire(paged({ state: 'OK' }), 'inc-1', 1, 305_000, DEFAULT_INCIDENT_POLICY)).toEqual({ kind: 'skip', why: 'the incident is resolved, not in ALARM' });
  expect(planEscalationFire(paged({ acknowledgedAt: 1 }), 'inc-1', 1, 305_000, DEFAULT_INCIDENT_POLICY)).toEqual({ kind: 'skip', why: 'the incident was acknowledged' });
  expect(planEscalationFire(paged({ incidentId: 'inc-2' }), 'inc-1', 1, 305_000, DEFAULT_INCIDENT_POLICY).kind).toBe('skip');
  // A timer counts from a moment: one set before the incident re-entered ALARM is stale; the current one escalates.
  expect(planEscalationFire(paged({ alarmedAt: 200_000, reopened: 1 }), 'inc-1', 1, 305_000, DEFAULT_INCIDENT_POLICY, 5000)).toMatchObject({ kind: 'skip', why: expect.stringMatching(/stale/) });
  expect(planEscalationFire(paged({ alarmedAt: 200_000, reopened: 1, escalationSchedule: 'esc-inc-1-1-5k' }), 'inc-1', 1, 505_000, DEFAULT_INCIDENT_POLICY, 200_000))
    .toMatchObject({ kind: 'escalate', next: { escalatedLevel: 1, escalationSchedule: undefined } });
});
