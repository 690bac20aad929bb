// An acknowledgement's part of the escalation timers: it cancels the acknowledged incident's
// schedule and records that none is pending; it never sets one (that is the escalation function's).
import { cancelAcknowledgedTimer } from '../../../lib/functions/shared/escalation-timer';
import { IncidentRecord } from '../../../lib/functions/shared/incident';
import { MemoryIncidentStore } from '../../../lib/functions/shared/incident-store';
import { LogEntry } from '../../../lib/functions/shared/runtime';
import { record } from '../../support/incident';

const acked = (over: Partial<IncidentRecord> = {}) => record({ ts: '1.0001', alarmedAt: 5000, acknowledgedAt: 10_000, acknowledgedBy: 'U1', escalationSchedule: 'esc-inc-1-1-5', ...over });

function setUp(stored: IncidentRecord | undefined, cancel: (name: string) => Promise<'deleted' | 'gone'> = async () => 'deleted') {
  const store = new MemoryIncidentStore();
  if (stored) store.incidents.set(stored.alarmKey, stored);
  const cancelled: string[] = [];
  const logs: LogEntry[] = [];
  const o = { store, scheduler: { cancel: (name: string) => (cancelled.push(name), cancel(name)) }, log: (e: LogEntry) => logs.push(e), now: () => 20_000 };
  return { store, cancelled, logs, o };
}

test('the acknowledged incident\'s schedule is deleted and the record says none is pending', async () => {
  const r = acked();
  const { store, cancelled, logs, o } = setUp(r);
  expect(await cancelAcknowledgedTimer(o, r)).toEqual({ kind: 'cancelled', name: 'esc-inc-1-1-5' });
  expect(cancelled).toEqual(['esc-inc-1-1-5']);
  expect(store.incidents.get(r.alarmKey)).toMatchObject({ escalationSchedule: undefined, escalationAt: undefined, version: r.version + 1, updatedAt: 20_000 });
  expect(logs).toEqual([{ level: 'info', msg: 'escalation timer cancelled', incidentId: r.incidentId, schedule: 'esc-inc-1-1-5' }]);
});

test('a Scheduler failure is logged with its fix, and the record still says none is pending (the fire-time check covers the schedule)', async () => {
  const r = acked();
  const { store, logs, o } = setUp(r, async () => { throw new Error('AccessDeniedException: no'); });
  expect(await cancelAcknowledgedTimer(o, r)).toEqual({ kind: 'cancelled', name: 'esc-inc-1-1-5' });
  expect(logs[0]).toMatchObject({ level: 'error', msg: 'escalation timer not cancelled (it will find the incident acknowledged or resolved and do nothing)', error: 'AccessDeniedException: no' });
  expect(logs[0].fix).toMatch(/schedule group exists/);
  expect(store.incidents.get(r.alarmKey)?.escalationSchedule).toBeUndefined();
});

test('no schedule pending: nothing to cancel', async () => {
  const r = acked({ escalationSchedule: undefined });
  const { cancelled, o } = setUp(r);
  expect(await cancelAcknowledgedTimer(o, r)).toEqual({ kind: 'none' });
  expect(cancelled).toEqual([]);
});

test('a lost race reads again: the same incident changed meanwhile is still cancelled; a newer incident is left to the escalation function', async () => {
  const r = acked();
  // Escalated a level meanwhile (version moved on), still the acknowledged incident with a schedule.
  const moved = { ...r, version: r.version + 1, escalationSchedule: 'esc-inc-1-2-5' };
  const same = setUp(moved);
  expect(await cancelAcknowledgedTimer(same.o, r)).toEqual({ kind: 'cancelled', name: 'esc-inc-1-2-5' });
  expect(same.cancelled).toEqual(['esc-inc-1-1-5', 'esc-inc-1-2-5']);
  // A newer incident of the alarm: its timer is not this acknowledgement's to touch.
  const newer = setUp({ ...r, incidentId: 'inc-2', version: r.version + 1, acknowledgedAt: undefined, acknowledgedBy: undefined, escalationSchedule: 'esc-inc-2-1-9' });
  expect(await cancelAcknowledgedTimer(newer.o, r)).toEqual({ kind: 'none' });
  expect(newer.cancelled).toEqual(['esc-inc-1-1-5']);
  expect(newer.store.incidents.get(r.alarmKey)?.escalationSchedule).toBe('esc-inc-2-1-9');
});
