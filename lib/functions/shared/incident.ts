// Incidents of the Slack app mode: the record an alarm's incident keeps (its Slack thread, its
// state by the alarm's own timestamps) and the transitions between states, as pure functions. The
// store (incident-store.ts) makes them hold across containers; escalation-timing.ts times the levels.
import { parseAlarmContract } from '../../core/contract';
import { breachStart } from '../../notification/breach';
import { AlarmNotification, cloudWatchTime } from '../../notification/sns-message';
import { IncidentView } from '../../notification/incident-message';

/** An alarm's current incident, as stored. */
export interface IncidentRecord {
  /** The alarm (its ARN, else account, region and name). */
  readonly alarmKey: string;
  readonly incidentId: string;
  readonly alarmName: string;
  readonly severity?: string;
  /** Where the thread is: a channel ID once the parent is posted. */
  readonly channel: string;
  /** The parent message's ts; unset while the parent is being posted. */
  readonly ts?: string;
  /** The transition that opened the incident, and when (wall clock, epoch ms): the opening's lease. */
  readonly openedBy: string;
  readonly openedAt: number;
  /** The alarm's StateChangeTime of the first ALARM (epoch ms), when known. */
  readonly firedAt?: number;
  /** When that ALARM's first breaching datapoint began (epoch ms), when its notification says: fired − this is the time to detect. */
  readonly breachedAt?: number;
  /** The latest state by the alarm's timestamps, and when the alarm entered it. */
  readonly state: string;
  readonly stateAt: number;
  /** When it was last resolved (an OK), while not back in ALARM. */
  readonly resolvedAt?: number;
  /** When the alarm last entered ALARM (its StateChangeTime): escalation counts from here. */
  readonly alarmedAt?: number;
  /** When a person acknowledged it (wall clock, epoch ms): the first acknowledgement wins. */
  readonly acknowledgedAt?: number;
  /** Who acknowledged it: a Slack user ID (`U0123ABCD`). */
  readonly acknowledgedBy?: string;
  /** How many escalation levels have fired (0 or unset: none). */
  readonly escalatedLevel?: number;
  /** When the latest escalation level fired (epoch ms). */
  readonly escalatedAt?: number;
  /** The pending escalation's one-time schedule (its name), and when it fires. */
  readonly escalationSchedule?: string;
  readonly escalationAt?: number;
  /** Time to acknowledge (acknowledged − fired), seconds, once acknowledged. */
  readonly mttaSeconds?: number;
  /** Time to resolve (first resolution − fired), seconds, once resolved. */
  readonly mttrSeconds?: number;
  /** How often it went back to ALARM after a resolution. */
  readonly reopened: number;
  /**
   * Its postmortem, as the parent shows it (the postmortem's own item, `postmortem#<incidentId>`,
   * holds the rest and outlives this record): `due`, `overdue`, `linked`, `not-needed`.
   */
  readonly postmortemState?: string;
  /** When the postmortem is due (epoch ms). */
  readonly postmortemDueAt?: number;
  /** The written postmortem's link, or why none is needed. */
  readonly postmortemUrl?: string;
  readonly postmortemReason?: string;
  /** Who linked it, or said it was not needed (a Slack user ID). */
  readonly postmortemBy?: string;
  /** The notification of the latest state (JSON of an AlarmNotification): any container can redraw the parent from it. */
  readonly notification: string;
  /** Bumped by every write; a write succeeds only if the stored version is the one read. */
  readonly version: number;
  readonly updatedAt: number;
  /** DynamoDB TTL (epoch seconds): the record goes this long after its last change. */
  readonly expiresAt: number;
}

/** One state change of one alarm, identified by the alarm, the state and the alarm's own time. */
export interface AlarmTransition {
  readonly alarmKey: string;
  /** Same key for every delivery of this change (two topics, SNS redelivery, Lambda retries). */
  readonly key: string;
  readonly state: string;
  /** The alarm's StateChangeTime, epoch ms. */
  readonly at: number;
  readonly notification: AlarmNotification;
}

/** How incidents behave. */
export interface IncidentPolicy {
  /** An ALARM this soon after a resolution reopens the incident instead of opening a new one. */
  readonly reopenWindowMs: number;
  /** How long a container holds a transition or an opening before another may take it over. */
  readonly leaseMs: number;
  /** How long an incident is kept after its last change. */
  readonly retentionMs: number;
  /** How long a transition is remembered as done (duplicates of it are skipped). */
  readonly dedupeMs: number;
}

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  reopenWindowMs: 3600_000,
  leaseMs: 75_000,
  retentionMs: 90 * 86400_000,
  // Longer than SNS and Lambda keep retrying (6 h) plus the failure queue's 14 days of re-drives.
  dedupeMs: 15 * 86400_000,
};

/** The transition a notification reports, or undefined when it cannot belong to an incident (unreadable, no time). */
export function transitionOf(n: AlarmNotification): AlarmTransition | undefined {
  if (n.unreadableMessage !== undefined) return undefined;
  const at = cloudWatchTime(n.stateChangeTime);
  if (at === undefined) return undefined;
  const alarmKey = n.alarmArn ?? `${n.accountId ?? '?'}:${n.regionName ?? '?'}:${n.alarmName}`;
  return { alarmKey, key: `${alarmKey}|${n.newState}|${at}`, state: n.newState, at, notification: n };
}

/** What the parent shows for a record: the record itself has every field of the view. */
export function viewOf(r: IncidentRecord): IncidentView {
  return r;
}

/** Whole seconds from `from` to `to` (never negative). */
export function secondsBetween(from: number, to: number): number {
  return Math.max(0, Math.round((to - from) / 1000));
}

/** The notification a record keeps, for redrawing its parent. */
export function notificationOf(r: IncidentRecord): AlarmNotification {
  return JSON.parse(r.notification) as AlarmNotification;
}

// Composite alarms can list many children; the parent shows 20 at most, and DynamoDB items stop at 400 KB.
function storedNotification(n: AlarmNotification): string {
  const kept = n.triggeringChildren && n.triggeringChildren.length > 20 ? { ...n, triggeringChildren: n.triggeringChildren.slice(0, 20) } : n;
  return JSON.stringify(kept);
}

/** What to do with a transition, given the alarm's incident as read. */
export type IncidentPlan =
  /** Open a new incident: write `next` (expecting the version read), then post its parent. */
  | { readonly kind: 'open'; readonly next: IncidentRecord; readonly expectedVersion: number | undefined }
  /** This transition opened the incident but its parent was not posted (an earlier attempt failed): post it. */
  | { readonly kind: 'resume'; readonly record: IncidentRecord }
  /** Another container is posting the parent right now. */
  | { readonly kind: 'busy'; readonly record: IncidentRecord }
  /**
   * Reply in the thread; then write `next`, if any, expecting `record`'s version, and redraw the
   * parent. `late`: older than the state shown. `applied`: the record already shows this transition.
   */
  | { readonly kind: 'reply'; readonly record: IncidentRecord; readonly next?: IncidentRecord; readonly late: boolean; readonly applied: boolean };

/** What planning needs besides the record and the transition. */
export interface PlanContext {
  readonly now: number;
  /** The channel a new incident goes to. */
  readonly channel: string;
  readonly policy: IncidentPolicy;
  readonly newId: () => string;
}

/** The record's TTL (epoch seconds) after a change at `now`. */
export function expiry(now: number, policy: IncidentPolicy): number {
  return Math.floor((now + policy.retentionMs) / 1000);
}

function opening(current: IncidentRecord | undefined, t: AlarmTransition, ctx: PlanContext): IncidentRecord {
  return {
    alarmKey: t.alarmKey,
    incidentId: ctx.newId(),
    alarmName: t.notification.alarmName,
    severity: parseAlarmContract(t.notification.alarmDescription).severity,
    channel: ctx.channel,
    openedBy: t.key,
    openedAt: ctx.now,
    firedAt: t.state === 'ALARM' ? t.at : undefined,
    breachedAt: t.state === 'ALARM' ? breachStart(t.notification, t.at) : undefined,
    alarmedAt: t.state === 'ALARM' ? t.at : undefined,
    state: t.state,
    stateAt: t.at,
    resolvedAt: t.state === 'OK' ? t.at : undefined,
    reopened: 0,
    notification: storedNotification(t.notification),
    version: (current?.version ?? 0) + 1,
    updatedAt: ctx.now,
    expiresAt: expiry(ctx.now, ctx.policy),
  };
}

/** A later ALARM opens a new incident when the last one was resolved longer ago than the reopen window. */
function startsNewIncident(current: IncidentRecord, t: AlarmTransition, policy: IncidentPolicy): boolean {
  return current.ts !== undefined && t.state === 'ALARM' && current.state !== 'ALARM' && t.at > current.stateAt &&
    current.resolvedAt !== undefined && t.at - current.resolvedAt > policy.reopenWindowMs;
}

/** The record after a transition of an incident that has a thread. */
function applied(current: IncidentRecord, t: AlarmTransition, ctx: PlanContext): { next?: IncidentRecord; late: boolean; applied: boolean } {
  const base = { version: current.version + 1, updatedAt: ctx.now, expiresAt: expiry(ctx.now, ctx.policy) };
  if (t.at === current.stateAt && t.state === current.state) return { late: false, applied: true };
  if (t.at <= current.stateAt) {
    // Out of order: the parent keeps the latest state, but an earlier ALARM still tells when it fired.
    const earlierFire = t.state === 'ALARM' && (current.firedAt === undefined || t.at < current.firedAt);
    if (!earlierFire) return { late: true, applied: false, next: undefined };
    // An OK that came first learns how long the incident took.
    const mttr = current.mttrSeconds ?? (current.resolvedAt !== undefined ? secondsBetween(t.at, current.resolvedAt) : undefined);
    return { late: true, applied: false, next: { ...current, ...base, firedAt: t.at, breachedAt: breachStart(t.notification, t.at), mttrSeconds: mttr } };
  }
  const next: IncidentRecord = { ...current, ...base, state: t.state, stateAt: t.at, notification: storedNotification(t.notification) };
  if (t.state === 'ALARM') {
    const reopened = current.resolvedAt !== undefined;
    // Escalation counts from the moment it (re)entered ALARM, not from a repeated ALARM.
    const alarmedAt = current.state === 'ALARM' ? current.alarmedAt ?? current.stateAt : t.at;
    const fired = current.firedAt === undefined ? { firedAt: t.at, breachedAt: breachStart(t.notification, t.at) } : {};
    return { late: false, applied: false, next: { ...next, ...fired, alarmedAt, resolvedAt: undefined, reopened: current.reopened + (reopened ? 1 : 0) } };
  }
  if (t.state === 'OK') {
    // Time to resolve is the first resolution's: a reopened incident keeps it (the parent shows the latest duration).
    const mttr = current.mttrSeconds ?? (current.firedAt !== undefined ? secondsBetween(current.firedAt, t.at) : undefined);
    return { late: false, applied: false, next: { ...next, resolvedAt: t.at, mttrSeconds: mttr } };
  }
  return { late: false, applied: false, next };
}

/** Decides what a transition does to the alarm's incident (pure: the caller reads, writes and posts). */
export function planIncident(current: IncidentRecord | undefined, t: AlarmTransition, ctx: PlanContext): IncidentPlan {
  if (!current || startsNewIncident(current, t, ctx.policy)) return { kind: 'open', next: opening(current, t, ctx), expectedVersion: current?.version };
  if (current.ts === undefined) {
    if (current.openedBy === t.key) return { kind: 'resume', record: current };
    // The opener died after writing and before posting: start over with this transition.
    if (ctx.now - current.openedAt > ctx.policy.leaseMs) return { kind: 'open', next: opening(current, t, ctx), expectedVersion: current.version };
    return { kind: 'busy', record: current };
  }
  return { kind: 'reply', record: current, ...applied(current, t, ctx) };
}

/**
 * True when transition `t` opens the page of the alarm's incident as read (`current`): a first
 * ALARM, or one after a resolution (back in ALARM), or the one that did (a retry: the incident went
 * to ALARM at its time). A repeated or late ALARM opens nothing.
 */
export function opensPage(current: IncidentRecord | undefined, t: AlarmTransition): boolean {
  if (t.state !== 'ALARM') return false;
  if (!current || current.alarmedAt === t.at) return true;
  return t.at > current.stateAt && current.state !== 'ALARM';
}

/** What an acknowledgement does to an incident, as read. */
export type AcknowledgementPlan =
  /** Write `next` over `record`'s version. */
  | { readonly kind: 'acknowledge'; readonly record: IncidentRecord; readonly next: IncidentRecord }
  /** Somebody was first: nothing changes. */
  | { readonly kind: 'already'; readonly record: IncidentRecord }
  /** Resolved: there is nothing to acknowledge. */
  | { readonly kind: 'resolved'; readonly record: IncidentRecord }
  /** The button belongs to an earlier incident of this alarm (or none is stored). */
  | { readonly kind: 'gone'; readonly record?: IncidentRecord };

/** The first acknowledgement wins; one of a resolved or replaced incident changes nothing (pure). */
export function planAcknowledgement(current: IncidentRecord | undefined, incidentId: string, user: string, now: number, policy: IncidentPolicy): AcknowledgementPlan {
  if (!current || current.incidentId !== incidentId) return { kind: 'gone', record: current };
  if (current.acknowledgedAt !== undefined) return { kind: 'already', record: current };
  if (current.state === 'OK') return { kind: 'resolved', record: current };
  const next: IncidentRecord = {
    ...current,
    acknowledgedAt: now,
    acknowledgedBy: user,
    mttaSeconds: current.firedAt !== undefined ? secondsBetween(current.firedAt, now) : undefined,
    version: current.version + 1,
    updatedAt: now,
    expiresAt: expiry(now, policy),
  };
  return { kind: 'acknowledge', record: current, next };
}
