// An incident record to vary, for the tests of the store and of the pure transitions.
import { IncidentRecord } from '../../lib/functions/shared/incident';
import { PostmortemRecord } from '../../lib/functions/shared/postmortem';

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

/** The postmortem of a resolved incident (due a day after it resolved), with `over` applied. */
export const postmortemRecord = (incident: IncidentRecord, over: Partial<PostmortemRecord> = {}): PostmortemRecord => ({
  incidentId: incident.incidentId,
  alarmKey: incident.alarmKey,
  alarmName: incident.alarmName,
  severity: incident.severity,
  channel: incident.channel,
  ts: incident.ts,
  state: 'due',
  resolvedAt: incident.resolvedAt ?? incident.stateAt,
  dueAt: (incident.resolvedAt ?? incident.stateAt) + 86_400_000,
  limitAt: (incident.resolvedAt ?? incident.stateAt) + 5 * 86_400_000,
  timeZone: 'UTC',
  incident: JSON.stringify(incident),
  version: 1,
  updatedAt: 1000,
  expiresAt: 2_000_000_000,
  ...over,
});
