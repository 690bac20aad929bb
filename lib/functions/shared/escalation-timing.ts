// When an unacknowledged page escalates, as pure functions over the incident record: the timer a
// record should have (planEscalationTimer), and what a fired timer may do (planEscalationFire).
import { IncidentPolicy, IncidentRecord, expiry } from './incident';

/** How a severity escalates: after how long, and who is paged at each level. */
export interface SeverityEscalationPlan {
  readonly afterMinutes: number;
  /** Contact names, one per level. */
  readonly levels: readonly string[];
}

/**
 * A schedule's name: unique per incident, level and the moment the level counts from (`since`,
 * epoch ms), so a repeated create is a conflict, not a second timer, while a page back in ALARM
 * gets a timer of its own rather than the one left from before its resolution. ≤ 64 characters.
 */
export function escalationScheduleName(incidentId: string, level: number, since?: number): string {
  const from = since === undefined ? '' : `-${Math.floor(since / 1000).toString(36)}`;
  return `esc-${incidentId.slice(0, 40)}-${level}${from}`.replace(/[^0-9A-Za-z_.-]/g, '_').slice(0, 64);
}

/** The moment an incident's next escalation level counts from: when it (re)entered ALARM, or when the last level fired. */
export function escalationSince(r: IncidentRecord): number {
  return Math.max(r.alarmedAt ?? r.firedAt ?? r.stateAt, r.escalatedAt ?? 0);
}

/** What a timer must do so that the incident's escalation matches its state. */
export type EscalationTimerPlan =
  | { readonly kind: 'none' }
  /** Create the schedule for `level` at `at`, then record it. */
  | { readonly kind: 'schedule'; readonly level: number; readonly name: string; readonly at: number; readonly since: number }
  /** Delete the pending schedule, then record that none is pending. */
  | { readonly kind: 'cancel'; readonly name: string };

/** A timer is never set closer than this: the schedule fires within its minute, and must exist before it. */
export const ESCALATION_MIN_LEAD_MS = 60_000;

/**
 * Pure: an unacknowledged incident in ALARM with levels left has a schedule for its next level,
 * `escalate_after` after it entered ALARM (or after the last level fired); any other incident has none.
 */
export function planEscalationTimer(r: IncidentRecord, plan: SeverityEscalationPlan | undefined, now: number): EscalationTimerPlan {
  const next = (r.escalatedLevel ?? 0) + 1;
  const wanted = plan !== undefined && plan.levels.length >= next && r.ts !== undefined && r.state === 'ALARM' && r.acknowledgedAt === undefined;
  if (!wanted) return r.escalationSchedule ? { kind: 'cancel', name: r.escalationSchedule } : { kind: 'none' };
  const since = escalationSince(r);
  const name = escalationScheduleName(r.incidentId, next, since);
  if (r.escalationSchedule === name) return { kind: 'none' };
  const at = Math.max(since + plan!.afterMinutes * 60_000, now + ESCALATION_MIN_LEAD_MS);
  return { kind: 'schedule', level: next, name, at: Math.ceil(at / 1000) * 1000, since };
}

/** What a fired schedule does: escalate to `level` (writing `next` over `record`), or nothing, and why. */
export type EscalationFirePlan =
  | { readonly kind: 'escalate'; readonly record: IncidentRecord; readonly next: IncidentRecord }
  /** This level was recorded by an earlier attempt (its notifications may not have all gone out). */
  | { readonly kind: 'recorded'; readonly record: IncidentRecord }
  | { readonly kind: 'skip'; readonly why: string };

/**
 * Pure: a fired level escalates only an unacknowledged incident, still in ALARM, whose previous
 * level is the last fired, and only when the timer counted from the incident's current `since`
 * (a timer set before a resolution, whose delete failed, is stale once the page is back in ALARM).
 * `since` unset (a timer of an earlier version): not checked.
 */
export function planEscalationFire(current: IncidentRecord | undefined, incidentId: string, level: number, now: number, policy: IncidentPolicy, since?: number): EscalationFirePlan {
  if (!current || current.incidentId !== incidentId) return { kind: 'skip', why: 'the incident is over (a newer one, or none, is stored)' };
  if (current.state !== 'ALARM') return { kind: 'skip', why: `the incident is ${current.state === 'OK' ? 'resolved' : current.state}, not in ALARM` };
  if (current.acknowledgedAt !== undefined) return { kind: 'skip', why: 'the incident was acknowledged' };
  const done = current.escalatedLevel ?? 0;
  if (done >= level) return { kind: 'recorded', record: current };
  if (done !== level - 1) return { kind: 'skip', why: `level ${level} fired before level ${done + 1}` };
  if (since !== undefined && since !== escalationSince(current)) return { kind: 'skip', why: 'a stale timer: the incident re-entered ALARM after it was set (its own timer escalates it)' };
  const name = escalationScheduleName(incidentId, level, since);
  const next: IncidentRecord = {
    ...current,
    escalatedLevel: level,
    escalatedAt: now,
    // This schedule has fired (and deletes itself); the timer sets the next one.
    escalationSchedule: current.escalationSchedule === name ? undefined : current.escalationSchedule,
    escalationAt: current.escalationSchedule === name ? undefined : current.escalationAt,
    version: current.version + 1,
    updatedAt: now,
    expiresAt: expiry(now, policy),
  };
  return { kind: 'escalate', record: current, next };
}
