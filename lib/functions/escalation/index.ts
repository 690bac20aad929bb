// The escalation function: an escalation timer fired (EventBridge Scheduler invokes it with the
// timer's input). It checks the incident again — still this incident, in ALARM, unacknowledged,
// this level next — so a duplicate fire, or one that outran a cancel, does nothing; and it asks
// CloudWatch whether the alarm is still in ALARM, since SNS may still be retrying the OK. Then it records
// the level (a conditional write: the commit point that an acknowledgement races), pages the
// level's contacts (their SNS topics, and a thread reply mentioning them), sets the timer of the
// next level and redraws the parent (by the drawing rule every function shares). Each side effect is
// claimed, so a retry repeats none that went out; a failure fails the invocation for Lambda's
// retries and then the notifier's failure queue. It also redraws a parent when another function
// could not (the interactivity function, out of Slack's three seconds, hands it on).
import { randomUUID } from 'crypto';
import { AlarmStateNow, AlarmStates, CloudWatchAlarmStates, alarmStateNow } from './alarm-state';
import { oneLine } from '../../core/text';
import { renderEscalationReply } from '../../notification/incident-message';
import { AppRuntime, createAppRuntime } from '../shared/app-runtime';
import { DynamoDbIncidentStore } from '../shared/dynamodb-incident-store';
import { APP_FIELDS, variableOf } from '../shared/config';
import { severityPlan } from '../shared/escalation-plan';
import type { FunctionDeps } from '../shared/deps';
import { slackFailure } from '../shared/slack-failure';
import { IncidentRecord, notificationOf } from '../shared/incident';
import { planEscalationFire } from '../shared/escalation-timing';
import { AwsCallError, LambdaContext } from '../shared/runtime';
import { EscalationTimer, SCHEDULER_FIX, escalationTimer, schedulerOf } from '../shared/escalation-timer';
import { EscalationTimerInput, isEscalationTimerInput, isPostmortemReminderInput } from '../shared/scheduler';
import { PostmortemKeeper, PostmortemOutcome } from './postmortem';
import { isParentRedrawRequest, isTimerKeepRequest } from '../shared/timer-request';
import { ParentDrawn, appParentDrawing, drawParent } from '../shared/parent-drawing';
import { PagePublisher, SnsPagePublisher, pageText as pageOf, publishPages } from '../shared/sns-publish';
import { reach } from '../shared/contacts';
import { once } from '../shared/once';

/** What a fired timer did. */
export type EscalationOutcome =
  | { readonly kind: 'escalated'; readonly escalationLevel: number; readonly contacts: string[]; readonly published: number; readonly next?: number }
  | { readonly kind: 'skipped'; readonly why: string; readonly alarmState?: string }
  | { readonly kind: 'redrawn'; readonly parent: 'current' | 'gone' | 'behind' };

/** The plain text an SNS page carries (SMS, e-mail): what fired, for how long, what to do first. */
export function pageText(r: IncidentRecord, level: number, minutes: number, service?: string): { subject: string; message: string } {
  return pageOf(notificationOf(r), 'Escalated: ', [
    `${r.severity ?? 'NO SEVERITY'} page not acknowledged for ${minutes} min: ${oneLine(r.alarmName)}`,
    `Escalation level ${level}. Acknowledge it in Slack (the incident's thread in channel ${r.channel}).`,
  ], service);
}

/** Builds the escalation function's handler. */
/** What the escalation function can be given besides every function's seams. */
export interface EscalationDeps extends FunctionDeps {
  /** The alarm's state now, asked before escalating. @default - Amazon CloudWatch (DescribeAlarms) */
  readonly alarmStates?: AlarmStates;
}

export function createEscalationHandler(deps: EscalationDeps = {}) {
  const rt: AppRuntime = createAppRuntime(deps, (table) => new DynamoDbIncidentStore(table));
  const publisher: PagePublisher = deps.publisher ?? new SnsPagePublisher();
  const states: AlarmStates = deps.alarmStates ?? new CloudWatchAlarmStates();
  let ownArn: string | undefined;
  // The timers of the next levels (and postmortem reminders) invoke this same function: its ARN comes from its context.
  const scheduler = schedulerOf(rt, deps.scheduler);
  const timer = escalationTimer(rt, scheduler, () => ownArn ?? rt.config.escalationFunctionArn);
  const postmortems = rt.store ? new PostmortemKeeper(rt, scheduler, () => ownArn ?? rt.config.escalationFunctionArn) : undefined;
  return async function handler(received: unknown, context?: LambdaContext): Promise<EscalationOutcome | PostmortemOutcome> {
    const started = Date.now();
    // A record re-driven from the failure queue (Lambda's on-failure record) carries the original event.
    const wrapped = (received as { requestPayload?: unknown } | null)?.requestPayload;
    const event = isTimerKeepRequest(wrapped) || isEscalationTimerInput(wrapped) || isPostmortemReminderInput(wrapped) || isParentRedrawRequest(wrapped) ? wrapped : received;
    const deadline = started + (context ? context.getRemainingTimeInMillis() : 30_000) - rt.delivery.safetyMarginMs;
    ownArn = context?.invokedFunctionArn ?? ownArn;
    if (isTimerKeepRequest(event)) {
      // The notifier asks: an incident changed (opened, resolved…); set or cancel its timer. A failure fails the invocation (Lambda retries).
      if (!timer) throw new Error(`${variableOf('escalationPlan', APP_FIELDS)} or ${variableOf('incidentTable', APP_FIELDS)} is not set`);
      let failure: string;
      try {
        const kept = await timer.keep(event.alarmKey);
        // A resolution may need its postmortem asked for (a reopen keeps the one asked for).
        const asked = await postmortems?.keep(event.alarmKey, deadline);
        if (asked?.kind === 'asked') return asked;
        return { kind: 'skipped', why: `timer kept: ${kept.kind}` };
      } catch (err) {
        failure = (err as Error)?.message ?? String(err);
        rt.log({ level: 'error', msg: 'escalation timer or postmortem not kept: failing so Lambda retries it', requestId: context?.awsRequestId, error: failure, fix: SCHEDULER_FIX });
      }
      // The error goes to Lambda's log and the failure queue: redacted like the log, without the SDK's error attached.
      throw new Error(rt.redactor.redact(`escalation timer not kept: ${failure}`));
    }
    if (isPostmortemReminderInput(event)) {
      if (!postmortems) throw new Error(`${variableOf('incidentTable', APP_FIELDS)} is not set`);
      const about = { requestId: context?.awsRequestId, incidentId: event.incidentId, reminder: event.reminder };
      let failure: string;
      try {
        const outcome = await postmortems.remind(event, deadline);
        rt.log({ level: 'info', msg: outcome.kind === 'reminded' ? 'postmortem reminder sent' : 'postmortem reminder not needed', ...about, ...outcome });
        return outcome;
      } catch (err) {
        failure = (err as Error)?.message ?? String(err);
        rt.log({ level: 'error', msg: 'postmortem reminder failed: failing so Lambda retries it', ...about, ...slackFailure(err) });
      }
      throw new Error(rt.redactor.redact(`postmortem reminder of incident ${event.incidentId} failed: ${failure}`));
    }
    if (isParentRedrawRequest(event)) {
      // Another function could not bring the parent up to date in time: draw it, failing (for Lambda's retry) while Slack fails.
      const about = { requestId: context?.awsRequestId, incidentId: event.incidentId };
      const drawn = await drawParent(appParentDrawing(rt), event.alarmKey, event.incidentId, deadline);
      parentLeftBehind(rt, drawn, about);
      rt.log({ level: 'info', msg: 'parent redrawn', ...about, parent: drawn.kind });
      return { kind: 'redrawn', parent: drawn.kind };
    }
    if (!isEscalationTimerInput(event)) {
      // Not a timer's input (a test event, a re-drive of something else): nothing to escalate, and no retry would help.
      rt.log({ level: 'error', msg: 'not an escalation timer event: ignored', requestId: context?.awsRequestId, type: typeof event });
      return { kind: 'skipped', why: 'not an escalation timer event' };
    }
    const about = { requestId: context?.awsRequestId, incidentId: event.incidentId, escalationLevel: event.level };
    let failure: string;
    try {
      const outcome = await escalate(rt, publisher, timer, event, deadline, (r) => heldBack(rt, states, r, ownArn ?? rt.config.escalationFunctionArn, about));
      rt.log({ level: 'info', msg: outcome.kind === 'escalated' ? 'escalated' : 'escalation not needed', ...about, ...outcome });
      return outcome;
    } catch (err) {
      failure = (err as Error)?.message ?? String(err);
      rt.log({ level: 'error', msg: 'escalation failed: failing so Lambda retries it', ...about, ...slackFailure(err) });
    }
    throw new Error(rt.redactor.redact(`escalation of incident ${event.incidentId} to level ${event.level} failed: ${failure}`));
  };
}

/**
 * Why the alarm's state now, as CloudWatch has it, holds this escalation back, if it does: the
 * alarm is no longer in ALARM (its OK notification is still on its way and resolves the incident
 * when it lands), or it was deleted. When CloudWatch cannot be asked, nothing holds it back: a
 * spurious escalation is better than a missed page.
 */
async function heldBack(rt: AppRuntime, states: AlarmStates, r: IncidentRecord, functionArn: string | undefined, about: Record<string, unknown>): Promise<EscalationOutcome | undefined> {
  const alarm = { ...about, alarmName: r.alarmName };
  let now: AlarmStateNow;
  try {
    now = await alarmStateNow(states, notificationOf(r), functionArn);
  } catch (err) {
    rt.log({ level: 'warn', msg: 'alarm state unknown: escalating anyway', ...alarm, error: (err as Error)?.message ?? String(err), code: (err as AwsCallError)?.code,
      fix: 'the escalation function\'s role needs cloudwatch:DescribeAlarms on *; throttles and timeouts pass' });
    return undefined;
  }
  if (now.kind === 'unchecked') {
    rt.log({ level: 'info', msg: 'alarm state not checked: escalating', ...alarm, why: now.why });
    return undefined;
  }
  if (now.kind === 'missing') return { kind: 'skipped', why: 'the alarm no longer exists (deleted): nobody is paged for it', alarmState: 'DELETED' };
  if (now.state === 'ALARM') return undefined;
  const since = now.since !== undefined ? ` since ${new Date(now.since).toISOString()}` : '';
  return { kind: 'skipped', why: `the alarm is ${now.state} now${since} (CloudWatch): its notification has not arrived yet, and resolves the incident when it does`, alarmState: now.state };
}

async function escalate(rt: AppRuntime, publisher: PagePublisher, timer: EscalationTimer | undefined, input: EscalationTimerInput, deadline: number,
  check: (r: IncidentRecord) => Promise<EscalationOutcome | undefined>): Promise<EscalationOutcome> {
  const store = rt.store;
  if (!store) throw new Error(`${variableOf('incidentTable', APP_FIELDS)} is not set`);
  if (!rt.plan || !timer) throw new Error(`${variableOf('escalationPlan', APP_FIELDS)} is not set`);
  // Per level and the moment it counts from: a stale timer's skip never marks the live one done.
  const key = `escalation|${input.incidentId}|${input.level}${typeof input.since === 'number' ? `|${input.since}` : ''}`;
  const owner = randomUUID();
  const exp = Math.floor((rt.now() + rt.policy.dedupeMs) / 1000);
  const claim = await store.claim(key, owner, rt.now(), rt.policy.leaseMs, exp);
  if (claim.kind === 'done') return { kind: 'skipped', why: 'this level was handled before (a duplicate fire)' };
  if (claim.kind === 'busy') throw new Error('another container is escalating this level; failing so Lambda retries it');
  try {
    // Read, check, record the level over the version read; a lost race reads again.
    let record: IncidentRecord | undefined;
    let checked = false;
    for (let round = 0; round < 5 && !record; round++) {
      const plan = planEscalationFire(await store.get(input.alarmKey), input.incidentId, input.level, rt.now(), rt.policy, typeof input.since === 'number' ? input.since : undefined);
      if (plan.kind === 'skip') {
        await store.mark(key, owner, 'done');
        return { kind: 'skipped', why: plan.why };
      }
      // Once, before the level is recorded (or, on a retry, before its pages go out).
      const held = checked ? undefined : await check(plan.record);
      checked = true;
      if (held) {
        await store.mark(key, owner, 'done');
        return held;
      }
      if (plan.kind === 'recorded') record = plan.record;
      else if (await store.put(plan.next, plan.record.version)) record = plan.next;
    }
    if (!record) throw new Error('the incident kept changing while this level was recorded');
    const sev = severityPlan(rt.plan, record.severity);
    const names = sev?.levels[input.level - 1] ? [sev.levels[input.level - 1]] : [];
    // A rotation's member on call when the level was recorded (a retry reaches the same person).
    const contacts = names.map((n) => reach(rt.contacts, n, record!.escalatedAt ?? rt.now()) ?? { name: n });
    const minutes = Math.max(1, Math.round((rt.now() - (record.alarmedAt ?? record.firedAt ?? record.stateAt)) / 60_000));

    // Their topics first (a phone or pager does not depend on Slack), once: a sub-claim remembers it.
    const topics = contacts.flatMap((c) => (c.topicArn ? [c.topicArn] : []));
    const published = topics.length > 0 ? (await once(store, rt.policy, `${key}|sns`, owner, rt.now(), () => publishPages(publisher, topics, pageText(record!, input.level, minutes, rt.config.service)))) ?? 0 : 0;
    const next = sev && sev.levels.length > input.level ? { name: sev.levels[input.level], inMinutes: sev.afterMinutes } : undefined;
    if (!claim.posted && record.ts) {
      const reply = renderEscalationReply(notificationOf(record), {
        level: input.level, levels: sev?.levels.length ?? input.level, names, mentions: contacts.flatMap((c) => (c.mention ? [c.mention] : [])),
        unacknowledgedMinutes: minutes, paged: topics.length > 0, next,
      });
      await rt.chat.postMessage(record.channel, reply, deadline, record.ts);
      await store.mark(key, owner, 'posted').catch(() => false);
    }
    // The next level's timer (and the parent, which now says who was paged).
    const kept = await timer.keep(record.alarmKey);
    parentLeftBehind(rt, await drawParent(appParentDrawing(rt), record.alarmKey, record.incidentId, deadline), { incidentId: record.incidentId });
    await store.mark(key, owner, 'done');
    return { kind: 'escalated', escalationLevel: input.level, contacts: names, published, ...(kept.kind === 'scheduled' ? { next: kept.level } : {}) };
  } catch (err) {
    await store.release(key, owner).catch(() => undefined);
    throw err;
  }
}

/** A parent Slack did not update: logged; thrown while a retry can help (the invocation fails, and Lambda's retry draws it). */
function parentLeftBehind(rt: AppRuntime, drawn: ParentDrawn, about: Record<string, unknown>): void {
  if (drawn.kind !== 'behind') return;
  rt.log({ level: 'error', msg: `the parent was not updated${drawn.retry ? '; failing so Lambda retries it' : ''}`, ...about, ...slackFailure(drawn.error) });
  if (drawn.retry) throw new Error(rt.redactor.redact(`the parent of incident ${drawn.record.incidentId} was not updated: ${(drawn.error as Error)?.message ?? String(drawn.error)}`));
}

/** The Lambda entry point. */
export const handler = createEscalationHandler();
