// The incident store's conditions, held by both stores alike: DynamoDB (dynalite, through the real
// SDK and AWS_ENDPOINT_URL_DYNAMODB) and the memory store previews use. And the pure transitions.
import { AlarmNotification } from '../../../lib/notification/sns-message';
import { DEFAULT_INCIDENT_POLICY, IncidentRecord, planIncident, transitionOf } from '../../../lib/functions/shared/incident';
import { IncidentStore, IncidentStoreError, MemoryIncidentStore } from '../../../lib/functions/shared/incident-store';
import { DynamoDbIncidentStore } from '../../../lib/functions/shared/dynamodb-incident-store';
import { CONTRACT } from '../../support/slack';
import { Dynalite, awsEnvironment, createIncidentTable, incidentTableDefinition, startDynalite } from '../../support/dynalite';

let dynamo: Dynalite;
const saved = { ...process.env };
beforeAll(async () => {
  dynamo = await startDynalite();
  Object.assign(process.env, awsEnvironment(dynamo.endpoint));
});
afterAll(async () => {
  process.env = saved;
  await dynamo.close();
});

const record = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  alarmKey: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:A',
  incidentId: 'inc-1',
  alarmName: 'A',
  severity: 'SEV2',
  channel: 'C0ALERTS',
  openedBy: 'k',
  openedAt: 1000,
  state: 'ALARM',
  stateAt: 5000,
  firedAt: 5000,
  reopened: 0,
  notification: '{"alarmName":"A","newState":"ALARM"}',
  version: 1,
  updatedAt: 1000,
  expiresAt: 2_000_000_000,
  ...over,
});

const stores: Array<[string, () => Promise<IncidentStore>]> = [
  ['DynamoDB (dynalite)', async () => new DynamoDbIncidentStore(await createIncidentTable(dynamo.endpoint))],
  ['memory', async () => new MemoryIncidentStore()],
];

describe.each(stores)('%s store', (_name, make) => {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await make();
  });

  test('an incident is written only over the version read; it reads back as written', async () => {
    expect(await store.get('arn:x')).toBeUndefined();
    const first = record({ alarmKey: 'arn:x', ts: undefined });
    expect(await store.put(first, undefined)).toBe(true);
    expect(await store.put(first, undefined)).toBe(false); // a second opener loses
    expect(await store.get('arn:x')).toEqual(first);
    const second = { ...first, ts: '1700000000.000100', version: 2 };
    expect(await store.put(second, 1)).toBe(true);
    expect(await store.put({ ...second, state: 'OK', version: 3 }, 1)).toBe(false); // stale writer
    const back = await store.get('arn:x');
    expect(back).toEqual(second);
    // Optional fields come and go with the record.
    const resolved = { ...second, state: 'OK', resolvedAt: 9000, version: 3 };
    expect(await store.put(resolved, 2)).toBe(true);
    expect((await store.get('arn:x'))?.resolvedAt).toBe(9000);
    const { resolvedAt: _r, ...reopened } = { ...resolved, state: 'ALARM', version: 4 };
    expect(await store.put(reopened as IncidentRecord, 3)).toBe(true);
    expect((await store.get('arn:x'))?.resolvedAt).toBeUndefined();
  });

  test('a transition is claimed by one owner at a time; done is final; a stale or released claim is taken over with its progress', async () => {
    const lease = 60_000;
    expect(await store.claim('t1', 'a', 100_000, lease, 2e9)).toEqual({ kind: 'claimed', posted: false });
    expect(await store.claim('t1', 'b', 100_500, lease, 2e9)).toEqual({ kind: 'busy' });
    expect(await store.claim('t1', 'a', 100_600, lease, 2e9)).toEqual({ kind: 'claimed', posted: false }); // the owner again
    expect(await store.mark('t1', 'b', 'posted')).toBe(false); // not b's
    expect(await store.mark('t1', 'a', 'posted')).toBe(true);
    // a stops (its invocation failed): it releases; b takes over at once and learns the message is out.
    await store.release('t1', 'a');
    expect(await store.claim('t1', 'b', 101_000, lease, 2e9)).toEqual({ kind: 'claimed', posted: true });
    // b dies without releasing: after the lease, c may take it.
    expect(await store.claim('t1', 'c', 101_000 + lease - 1, lease, 2e9)).toEqual({ kind: 'busy' });
    expect(await store.claim('t1', 'c', 101_000 + lease + 1, lease, 2e9)).toEqual({ kind: 'claimed', posted: true });
    expect(await store.mark('t1', 'c', 'done')).toBe(true);
    expect(await store.claim('t1', 'd', 1e12, lease, 2e9)).toEqual({ kind: 'done' });
  });
});

test('the table the construct synthesizes has one string partition key and a TTL attribute', () => {
  const d = incidentTableDefinition();
  expect(d.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
  expect(d.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }]);
  expect(d.ttl).toBe('expiresAt');
});

test('an unreachable table is an IncidentStoreError naming what failed (never a lost race)', async () => {
  const gone = await startDynalite();
  await gone.close();
  const old = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = gone.endpoint;
  try {
    const store = new DynamoDbIncidentStore('incidents');
    const err = await store.get('arn:x').catch((e) => e);
    expect(err).toBeInstanceOf(IncidentStoreError);
    expect(err.message).toMatch(/^reading the incident: /);
    expect(JSON.stringify(err.message)).not.toContain('test-standin-secret');
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = old;
  }
});

test('a table that does not exist is an IncidentStoreError too', async () => {
  const err = await new DynamoDbIncidentStore('no-such-table').put(record(), undefined).catch((e) => e);
  expect(err).toBeInstanceOf(IncidentStoreError);
  expect(err.code).toBe('ResourceNotFoundException');
});

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

describe('acknowledgement and escalation, as pure transitions', () => {
  const plan = { afterMinutes: 5, levels: ['secondary', 'lead'] };
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

  test('the timer: the next level escalate_after after ALARM (or the last level); none when acknowledged, resolved, or out of levels', async () => {
    const { planEscalationTimer, escalationScheduleName } = await import('../../../lib/functions/shared/escalation-timing');
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

  test('a fired level escalates only the incident it was set for, in ALARM, unacknowledged, in order', async () => {
    const { planEscalationFire } = await import('../../../lib/functions/shared/escalation-timing');
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
