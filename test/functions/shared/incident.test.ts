// The incident's transitions as pure functions: what a state change, an acknowledgement does to
// the alarm's incident (the store that holds them is tested in incident-store.test.ts).
import { AlarmNotification } from '../../../lib/notification/sns-message';
import { DEFAULT_INCIDENT_POLICY, IncidentRecord, planIncident, transitionOf } from '../../../lib/functions/shared/incident';
import { CONTRACT } from '../../support/slack';
import { record } from '../../support/incident';

describe('transitions (pure)', () => {
  const n = (state: string, time: string, over: Partial<AlarmNotification> = {}): AlarmNotification => ({
    alarmName: 'A', alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:A', alarmDescription: CONTRACT, newState: state, stateChangeTime: time, ...over,
  });
  const ctx = { now: 1e12, channel: 'C0ALERTS', policy: DEFAULT_INCIDENT_POLICY, newId: () => 'inc-new' };
  const t = (state: string, time: string) => transitionOf(n(state, time))!;
  const open = (state: string, time: string) => {
    const plan = planIncident(undefined, t(state, time), ctx);
    if (plan.kind !== 'open') throw new Error(plan.kind);
    return { ...plan.next, ts: '1.1', version: plan.next.version + 1 };
  };

  test('the same change of state has one key whatever delivered it; unreadable or untimed ones have none', () => {
    expect(transitionOf(n('ALARM', '2026-11-23T02:14:00.123+0000'))!.key).toBe(transitionOf(n('ALARM', '2026-11-23T02:14:00.123Z', { messageId: 'other' }))!.key);
    expect(transitionOf(n('OK', '2026-11-23T02:14:00.123+0000'))!.key).not.toBe(transitionOf(n('ALARM', '2026-11-23T02:14:00.123+0000'))!.key);
    expect(transitionOf(n('ALARM', 'yesterday'))).toBeUndefined();
    expect(transitionOf(n('ALARM', '2026-11-23T02:14:00.123+0000', { unreadableMessage: 'x' }))).toBeUndefined();
  });

  test('first ALARM opens; later ALARM replies (still); OK replies and resolves; an older one is late and keeps the state', () => {
    const opened = open('ALARM', '2026-11-23T02:14:00.000+0000');
    expect(opened).toMatchObject({ state: 'ALARM', firedAt: Date.parse('2026-11-23T02:14:00Z'), severity: 'SEV2', channel: 'C0ALERTS' });
    const again = planIncident(opened, t('ALARM', '2026-11-23T02:20:00.000+0000'), ctx);
    expect(again).toMatchObject({ kind: 'reply', late: false, next: { state: 'ALARM', reopened: 0 } });
    const ok = planIncident(opened, t('OK', '2026-11-23T02:37:00.000+0000'), ctx);
    expect(ok).toMatchObject({ kind: 'reply', late: false, next: { state: 'OK', resolvedAt: Date.parse('2026-11-23T02:37:00Z') } });
    const resolved = (ok as any).next as IncidentRecord;
    const late = planIncident(resolved, t('ALARM', '2026-11-23T02:20:00.000+0000'), ctx);
    expect(late).toMatchObject({ kind: 'reply', late: true, next: undefined });
    expect(planIncident(resolved, t('OK', '2026-11-23T02:37:00.000+0000'), ctx)).toMatchObject({ kind: 'reply', applied: true });
  });

  test('an OK first opens RESOLVED; its late ALARM tells when it fired; ALARM soon after a resolution reopens, later opens anew', () => {
    const okFirst = open('OK', '2026-11-23T02:37:00.000+0000');
    expect(okFirst).toMatchObject({ state: 'OK', firedAt: undefined, resolvedAt: Date.parse('2026-11-23T02:37:00Z') });
    const late = planIncident(okFirst, t('ALARM', '2026-11-23T02:14:00.000+0000'), ctx);
    expect(late).toMatchObject({ kind: 'reply', late: true, next: { state: 'OK', firedAt: Date.parse('2026-11-23T02:14:00Z') } });
    const back = planIncident(okFirst, t('ALARM', '2026-11-23T03:00:00.000+0000'), ctx);
    expect(back).toMatchObject({ kind: 'reply', late: false, next: { state: 'ALARM', reopened: 1, resolvedAt: undefined } });
    expect(planIncident(okFirst, t('ALARM', '2026-11-23T04:00:00.000+0000'), ctx)).toMatchObject({ kind: 'open', expectedVersion: okFirst.version });
  });

  test('an opening without its parent: resumed by its own transition, waited for by others, taken over after the lease', () => {
    const plan = planIncident(undefined, t('ALARM', '2026-11-23T02:14:00.000+0000'), ctx);
    const opening = (plan as any).next as IncidentRecord;
    expect(planIncident(opening, t('ALARM', '2026-11-23T02:14:00.000+0000'), ctx).kind).toBe('resume');
    expect(planIncident(opening, t('OK', '2026-11-23T02:37:00.000+0000'), { ...ctx, now: opening.openedAt + 1000 }).kind).toBe('busy');
    expect(planIncident(opening, t('OK', '2026-11-23T02:37:00.000+0000'), { ...ctx, now: opening.openedAt + DEFAULT_INCIDENT_POLICY.leaseMs + 1 }).kind).toBe('open');
  });
});

describe('acknowledgement, as a pure transition', () => {
  const paged = (over: Partial<IncidentRecord> = {}) => record({ ts: '1.0001', alarmedAt: 5000, ...over });

  test('the first acknowledgement wins; a later one, one of a resolved or a replaced incident, changes nothing', async () => {
    const { planAcknowledgement } = await import('../../../lib/functions/shared/incident');
    const ack = planAcknowledgement(paged(), 'inc-1', 'U0ALICE', 5000 + 150_000, DEFAULT_INCIDENT_POLICY);
    expect(ack).toMatchObject({ kind: 'acknowledge', next: { acknowledgedBy: 'U0ALICE', acknowledgedAt: 155_000, mttaSeconds: 150, version: 2 } });
    const acked = (ack as { next: IncidentRecord }).next;
    expect(planAcknowledgement(acked, 'inc-1', 'U0BOB', 200_000, DEFAULT_INCIDENT_POLICY).kind).toBe('already');
    expect(planAcknowledgement(paged({ state: 'OK' }), 'inc-1', 'U0BOB', 200_000, DEFAULT_INCIDENT_POLICY).kind).toBe('resolved');
    expect(planAcknowledgement(paged({ incidentId: 'inc-2' }), 'inc-1', 'U0BOB', 200_000, DEFAULT_INCIDENT_POLICY).kind).toBe('gone');
    expect(planAcknowledgement(undefined, 'inc-1', 'U0BOB', 200_000, DEFAULT_INCIDENT_POLICY).kind).toBe('gone');
  });

  test('time to resolve is the first resolution\'s, also when the OK came before its ALARM', () => {
    const ctx = { now: 1, channel: 'C0ALERTS', policy: DEFAULT_INCIDENT_POLICY, newId: () => 'x' };
    const t = (state: string, at: number) => transitionOf({ alarmName: 'A', alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:A', alarmDescription: CONTRACT,
      newState: state, stateChangeTime: new Date(at).toISOString().replace('Z', '+0000') } as AlarmNotification)!;
    const resolved = planIncident(paged(), t('OK', 5000 + 600_000), ctx);
    expect(resolved).toMatchObject({ kind: 'reply', next: { mttrSeconds: 600, resolvedAt: 605_000 } });
    const reopened = planIncident((resolved as { next: IncidentRecord }).next, t('ALARM', 700_000), ctx) as { next: IncidentRecord };
    expect(reopened.next).toMatchObject({ alarmedAt: 700_000, mttrSeconds: 600, reopened: 1 });
    expect(planIncident(reopened.next, t('OK', 900_000), ctx)).toMatchObject({ next: { mttrSeconds: 600, resolvedAt: 900_000 } });
    // OK first (no fire time yet), its ALARM late: the duration is learned then.
    const okFirst = paged({ state: 'OK', stateAt: 605_000, resolvedAt: 605_000, firedAt: undefined, alarmedAt: undefined });
    expect(planIncident(okFirst, t('ALARM', 5000), ctx)).toMatchObject({ late: true, next: { firedAt: 5000, mttrSeconds: 600 } });
  });
});

describe('time to detect', () => {
  const reason = 'Threshold Crossed: 3 datapoints [1210.0 (23/11/26 02:13:00), 1180.0 (23/11/26 02:12:00), 1050.0 (23/11/26 02:11:00)] were greater than the threshold (1000.0).';
  const n = (state: string, time: string): AlarmNotification => ({
    alarmName: 'A', alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:A', alarmDescription: CONTRACT, newState: state, stateChangeTime: time, reason,
  });
  const ctx = { now: 1e12, channel: 'C0ALERTS', policy: DEFAULT_INCIDENT_POLICY, newId: () => 'inc-new' };

  test('the first ALARM records when its first breaching datapoint began; later ones keep it', () => {
    const plan = planIncident(undefined, transitionOf(n('ALARM', '2026-11-23T02:14:30.000+0000'))!, ctx);
    if (plan.kind !== 'open') throw new Error(plan.kind);
    expect(plan.next.breachedAt).toBe(Date.parse('2026-11-23T02:11:00Z'));
    const opened = { ...plan.next, ts: '1.1' };
    const ok = planIncident(opened, transitionOf(n('OK', '2026-11-23T02:30:00.000+0000'))!, ctx) as any;
    const again = planIncident({ ...ok.next, resolvedAt: undefined }, transitionOf({ ...n('ALARM', '2026-11-23T02:40:00.000+0000'), reason: '1 datapoint [5 (23/11/26 02:39:00)]' })!, ctx) as any;
    expect(again.next.breachedAt).toBe(Date.parse('2026-11-23T02:11:00Z'));
  });

  test('an incident opened by an OK learns it from its first ALARM', () => {
    const plan = planIncident(undefined, transitionOf(n('OK', '2026-11-23T02:10:00.000+0000'))!, ctx);
    if (plan.kind !== 'open') throw new Error(plan.kind);
    expect(plan.next.breachedAt).toBeUndefined();
    const alarm = planIncident({ ...plan.next, ts: '1.1', resolvedAt: undefined }, transitionOf(n('ALARM', '2026-11-23T02:14:30.000+0000'))!, ctx) as any;
    expect(alarm.next).toMatchObject({ firedAt: Date.parse('2026-11-23T02:14:30Z'), breachedAt: Date.parse('2026-11-23T02:11:00Z') });
  });
});
