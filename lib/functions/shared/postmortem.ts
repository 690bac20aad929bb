// An incident's postmortem in the Slack app mode (docs/postmortems.md#in-slack): its own item in the
// incident table (`postmortem#<incidentId>`), because it outlives the alarm's current incident (a
// new incident of the same alarm replaces that record, the postmortem stays due), and the few fields
// the incident record mirrors so that any function's redraw of the parent shows it. The plans here
// are pure; the escalation function (reminders) and the interactivity function (link, not needed)
// act on them.
import { PostmortemSettings, postmortemDeadlines, postmortemRequired } from '../../core/postmortem';
import { IncidentPolicy, IncidentRecord, expiry } from './incident';

/** Where a postmortem stands. */
export type PostmortemState = 'due' | 'overdue' | 'linked' | 'not-needed';

/** A postmortem, as stored. */
export interface PostmortemRecord {
  readonly incidentId: string;
  /** The alarm, for its current incident's record. */
  readonly alarmKey: string;
  readonly alarmName: string;
  readonly severity?: string;
  /** The incident's thread. */
  readonly channel: string;
  readonly ts?: string;
  readonly state: PostmortemState;
  /** The resolution it counts from, when it is due and its outer limit (epoch ms). */
  readonly resolvedAt: number;
  readonly dueAt: number;
  readonly limitAt: number;
  /** The time zone the business days were counted in. */
  readonly timeZone: string;
  /** The written postmortem (`linked`), or why none is needed (`not-needed`), who said so (a Slack user ID) and when. */
  readonly url?: string;
  readonly reason?: string;
  readonly by?: string;
  readonly at?: number;
  /** The incident as it was when the postmortem became due (JSON of its record): the draft's facts, and the parent once the alarm moved on. */
  readonly incident: string;
  /** The contacts the incident escalated to, in order (`ops-lead, eng-manager`). */
  readonly escalatedTo?: string;
  readonly version: number;
  readonly updatedAt: number;
  /** DynamoDB TTL (epoch seconds). */
  readonly expiresAt: number;
}

/** The incident a postmortem keeps. */
export function incidentOf(p: PostmortemRecord): IncidentRecord {
  return JSON.parse(p.incident) as IncidentRecord;
}

/** The reminders a due postmortem gets, and when (epoch ms): the day before it is due, when it is due, when the limit passes. */
export function reminderTimes(p: Pick<PostmortemRecord, 'resolvedAt' | 'dueAt' | 'limitAt'>, beforeAt: number): Array<{ reminder: PostmortemReminder; at: number }> {
  const times: Array<{ reminder: PostmortemReminder; at: number }> = [];
  if (beforeAt > p.resolvedAt + 3600_000 && beforeAt < p.dueAt) times.push({ reminder: 'before', at: beforeAt });
  times.push({ reminder: 'due', at: p.dueAt });
  if (p.limitAt > p.dueAt) times.push({ reminder: 'limit', at: p.limitAt });
  return times;
}

/** Which reminder: before the due time, at it, at the outer limit. */
export type PostmortemReminder = 'before' | 'due' | 'limit';

/** What a resolution does about the incident's postmortem. */
export type PostmortemPlan =
  /** Nothing: not resolved, not required, or already asked for (a reopen keeps the same postmortem). */
  | { readonly kind: 'none'; readonly why: string }
  /** Ask for one: store `record`, mirror it on the incident. */
  | { readonly kind: 'ask'; readonly record: PostmortemRecord };

/** Pure: a resolved incident that needs a postmortem and has none gets one, due by the settings. */
export function planPostmortem(r: IncidentRecord | undefined, existing: PostmortemRecord | undefined, settings: PostmortemSettings, now: number,
  policy: IncidentPolicy, escalatedTo?: readonly string[]): PostmortemPlan {
  if (!r || r.ts === undefined) return { kind: 'none', why: 'no incident with a thread' };
  if (r.state !== 'OK' || r.resolvedAt === undefined) return { kind: 'none', why: 'not resolved' };
  if (existing || r.postmortemState !== undefined) return { kind: 'none', why: 'its postmortem was asked for already' };
  if (!postmortemRequired(r.severity, r.firedAt, r.resolvedAt, settings)) return { kind: 'none', why: `no postmortem is required for ${r.severity ?? 'an incident without a severity'}` };
  const { dueAt, limitAt } = postmortemDeadlines(r.resolvedAt, settings);
  return {
    kind: 'ask',
    record: {
      incidentId: r.incidentId, alarmKey: r.alarmKey, alarmName: r.alarmName, ...(r.severity ? { severity: r.severity } : {}), channel: r.channel, ts: r.ts,
      state: 'due', resolvedAt: r.resolvedAt, dueAt, limitAt, timeZone: settings.timeZone,
      incident: JSON.stringify(r), ...(escalatedTo && escalatedTo.length > 0 ? { escalatedTo: escalatedTo.join(', ') } : {}),
      version: 1, updatedAt: now, expiresAt: expiry(now, policy),
    },
  };
}

/** The incident record showing its postmortem as `p` has it (the fields the parent draws). */
export function mirrored(r: IncidentRecord, p: PostmortemRecord, now: number): IncidentRecord {
  const { postmortemUrl: _u, postmortemReason: _r, postmortemBy: _b, ...rest } = r;
  return {
    ...rest,
    postmortemState: p.state,
    postmortemDueAt: p.dueAt,
    ...(p.url ? { postmortemUrl: p.url } : {}),
    ...(p.reason ? { postmortemReason: p.reason } : {}),
    ...(p.by ? { postmortemBy: p.by } : {}),
    version: r.version + 1,
    updatedAt: now,
  };
}

/** True when the record already shows `p`. */
export function showsPostmortem(r: IncidentRecord, p: PostmortemRecord): boolean {
  return r.postmortemState === p.state && r.postmortemDueAt === p.dueAt && r.postmortemUrl === p.url && r.postmortemReason === p.reason && r.postmortemBy === p.by;
}
