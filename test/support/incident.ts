// An incident record to vary, for the tests of the store and of the pure transitions.
import { IncidentRecord } from '../../lib/functions/shared/incident';

/** A SEV2 incident of alarm A in ALARM, version 1, with `over` applied. */
export const record = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
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
