// Keeps an incident's escalation timer in line with its state, from any function: an
// unacknowledged page in ALARM with levels left has a schedule for its next level; an acknowledged,
// resolved or fully escalated one has none. Read, decide (planEscalationTimer), act, then record it
// over the version read; a lost race reads again. The escalation function checks the incident again
// when a timer fires, so a cancel that failed never escalates a resolved or acknowledged incident.
// An acknowledgement only ever cancels (cancelAcknowledgedTimer): the interactivity function carries
// no timer planning and no schedule creation, which are the escalation function's.
import { EscalationPlan, severityPlan } from './escalation-plan';
import { IncidentRecord } from './incident';
import { planEscalationTimer } from './escalation-timing';
import { IncidentRecords } from './incident-store';
import { LogEntry } from './runtime';
import { AppRuntime } from './app-runtime';
import { EscalationScheduler, EventBridgeScheduleCanceller, EventBridgeScheduler, ScheduleCanceller } from './scheduler';

/** What keeping the timer did. */
export type TimerOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'scheduled'; readonly name: string; readonly level: number; readonly at: number }
  | { readonly kind: 'cancelled'; readonly name: string };

/** What cancelling a timer needs. */
export interface TimerCancelOptions {
  readonly store: IncidentRecords;
  readonly scheduler: ScheduleCanceller;
  readonly log: (entry: LogEntry) => void;
  readonly now: () => number;
}

export interface EscalationTimerOptions extends TimerCancelOptions {
  readonly scheduler: EscalationScheduler;
  readonly plan: EscalationPlan;
  /** The escalation function's ARN when the scheduler has none configured (the function's own, from its context). */
  readonly targetArn?: () => string | undefined;
}

export const SCHEDULER_FIX = 'check that the schedule group exists and that the function\'s role may create and delete schedules in it and pass the scheduler role; ' +
  'until then pages of this incident do not escalate';

/** Sets or cancels one incident's timer. */
export class EscalationTimer {
  constructor(private readonly o: EscalationTimerOptions) {}

  /**
   * Brings the timer of the alarm's current incident in line with it. Throws when a needed
   * schedule could not be created (an escalation would be missing: the caller fails so Lambda
   * retries); a cancel that fails is logged only (the fire-time check covers it).
   */
  async keep(alarmKey: string, current?: IncidentRecord): Promise<TimerOutcome> {
    let r = current;
    for (let round = 0; round < 5; round++) {
      r ??= await this.o.store.get(alarmKey);
      if (!r) return { kind: 'none' };
      const plan = planEscalationTimer(r, severityPlan(this.o.plan, r.severity), this.o.now());
      if (plan.kind === 'none') return plan;
      const now = this.o.now();
      let next: IncidentRecord;
      if (plan.kind === 'schedule') {
        await this.o.scheduler.schedule(plan.name, plan.at, { source: 'cdk-runbook-alarms', kind: 'escalate', alarmKey: r.alarmKey, incidentId: r.incidentId, level: plan.level, since: plan.since },
          this.o.targetArn?.());
        next = { ...r, escalationSchedule: plan.name, escalationAt: plan.at, version: r.version + 1, updatedAt: now };
      } else {
        next = await withoutTimer(this.o, r, plan.name, now);
      }
      if (await this.o.store.put(next, r.version)) {
        if (plan.kind === 'schedule') {
          this.o.log({ level: 'info', msg: 'escalation timer set', incidentId: r.incidentId, schedule: plan.name, escalationLevel: plan.level, at: new Date(plan.at).toISOString() });
          return { kind: 'scheduled', name: plan.name, level: plan.level, at: plan.at };
        }
        return cancelled(this.o, r, plan.name);
      }
      r = undefined; // changed meanwhile: decide again from what is stored now
    }
    return { kind: 'none' };
  }
}

/** Deletes `r`'s schedule `name` (a failure is logged only: the fire-time check covers it); `r` without it, to record. */
async function withoutTimer(o: TimerCancelOptions, r: IncidentRecord, name: string, now: number): Promise<IncidentRecord> {
  try {
    await o.scheduler.cancel(name);
  } catch (err) {
    o.log({ level: 'error', msg: 'escalation timer not cancelled (it will find the incident acknowledged or resolved and do nothing)',
      incidentId: r.incidentId, schedule: name, error: (err as Error).message, fix: SCHEDULER_FIX });
  }
  return { ...r, escalationSchedule: undefined, escalationAt: undefined, version: r.version + 1, updatedAt: now };
}

function cancelled(o: TimerCancelOptions, r: IncidentRecord, name: string): TimerOutcome {
  o.log({ level: 'info', msg: 'escalation timer cancelled', incidentId: r.incidentId, schedule: name });
  return { kind: 'cancelled', name };
}

/**
 * Cancels the timer of an incident just acknowledged, and records that none is pending (over the
 * version read; a lost race reads again). An acknowledged incident has no timer (planEscalationTimer),
 * so this is what {@link EscalationTimer.keep} does for it; when what is stored is no longer that
 * acknowledged incident (a newer one, a page back in ALARM), its timer is the escalation function's
 * to keep: the notifier asks it when it records the change.
 */
export async function cancelAcknowledgedTimer(o: TimerCancelOptions, acknowledged: IncidentRecord): Promise<TimerOutcome> {
  let r: IncidentRecord | undefined = acknowledged;
  for (let round = 0; round < 5; round++) {
    r ??= await o.store.get(acknowledged.alarmKey);
    if (!r || r.incidentId !== acknowledged.incidentId || r.acknowledgedAt === undefined || !r.escalationSchedule) return { kind: 'none' };
    const name = r.escalationSchedule;
    if (await o.store.put(await withoutTimer(o, r, name, o.now()), r.version)) return cancelled(o, r, name);
    r = undefined; // changed meanwhile: look again at what is stored now
  }
  return { kind: 'none' };
}

/** The timers' scheduler: the one given (tests), else EventBridge Scheduler in the group the config names. */
export function schedulerOf(rt: AppRuntime, given: EscalationScheduler | undefined): EscalationScheduler {
  return given ?? new EventBridgeScheduler({
    group: rt.config.scheduleGroup ?? '',
    roleArn: rt.config.schedulerRoleArn ?? '',
    targetArn: rt.config.escalationFunctionArn,
  });
}

/** The interactivity function's part of the timers (with escalation on and a table): cancelling an acknowledged incident's. */
export function timerCanceller(rt: AppRuntime<IncidentRecords>, scheduler: ScheduleCanceller | undefined): ((acknowledged: IncidentRecord) => Promise<TimerOutcome>) | undefined {
  if (!rt.plan || !rt.store) return undefined;
  const o: TimerCancelOptions = {
    store: rt.store,
    scheduler: scheduler ?? new EventBridgeScheduleCanceller({ group: rt.config.scheduleGroup ?? '', roleArn: rt.config.schedulerRoleArn ?? '' }),
    log: rt.log,
    now: rt.now,
  };
  return (acknowledged) => cancelAcknowledgedTimer(o, acknowledged);
}

/** The escalation timers of the escalation function (with escalation on and a table); `targetArn` names the function the timers invoke. */
export function escalationTimer(rt: AppRuntime, scheduler: EscalationScheduler | undefined, targetArn?: () => string | undefined): EscalationTimer | undefined {
  if (!rt.plan || !rt.store) return undefined;
  return new EscalationTimer({
    store: rt.store,
    scheduler: schedulerOf(rt, scheduler),
    plan: rt.plan,
    log: rt.log,
    now: rt.now,
    targetArn,
  });
}

