// The handoff function: a rotation's shift changed hands (EventBridge Scheduler invokes it at the
// rotation's handoff time, in its time zone). It posts to the team's channel who hands over to whom,
// until when, and the incidents still unresolved, once per handoff whatever the retries; then the
// sections of further sources (HANDOFF_SECTIONS), each a part of the message of its own. For a team
// without a rotation, a weekly schedule invokes it instead: the week's numbers and what is still open.
import { randomUUID } from 'crypto';
import { RotationSchedule, isTimeZone, lastHandoff, onCallAt, parseHandoff } from '../../core/rotation';
import { HandoffIncident, renderHandoffMessage } from '../../notification/handoff-message';
import { SlackBlock } from '../../notification/slack-message';
import { AppRuntime, createAppRuntime } from '../shared/app-runtime';
import { APP_FIELDS, MESSAGE_FIELDS, variableOf } from '../shared/config';
import { DynamoDbIncidentListing } from '../shared/dynamodb-incident-listing';
import { IncidentListing, IncidentStore } from '../shared/incident-store';
import type { FunctionDeps } from '../shared/deps';
import { IncidentRecord } from '../shared/incident';
import { once } from '../shared/once';
import { LambdaContext } from '../shared/runtime';
import { ownValue } from '../../core/own';
import { slackFailure } from '../shared/slack-failure';
import { computeHealth } from '../../health/health';
import { handoffBlocks, handoffProblems, renderHandoffReport } from '../../health/handoff-message';
import { escapeShortened } from '../../notification/escape';
import { SLACK_LIMITS, section } from '../../notification/slack-message';

/** What a handoff schedule hands the function (the schedule's Input, as the event). */
export interface HandoffInput {
  readonly source: 'cdk-runbook-alarms';
  readonly kind: 'handoff';
  /** The rotation's contact name in the policy. */
  readonly rotation: string;
}

/** True for an event a handoff schedule sent. */
export function isHandoffInput(e: unknown): e is HandoffInput {
  const x = e as HandoffInput;
  return typeof x === 'object' && x !== null && x.source === 'cdk-runbook-alarms' && x.kind === 'handoff' && typeof x.rotation === 'string';
}

/** What the weekly report's schedule hands the function (a team whose policy pages no rotation). */
export interface WeeklyReportInput {
  readonly source: 'cdk-runbook-alarms';
  readonly kind: 'weekly';
  /** When it is posted: a weekday and a time, `Mon 09:00` (as a rotation's `handoff:` is written). */
  readonly at: string;
  /** The IANA time zone `at` is read in, the week's numbers too. */
  readonly timeZone: string;
}

/** True for an event the weekly report's schedule sent. */
export function isWeeklyReportInput(e: unknown): e is WeeklyReportInput {
  const x = e as WeeklyReportInput;
  return typeof x === 'object' && x !== null && x.source === 'cdk-runbook-alarms' && x.kind === 'weekly' && typeof x.at === 'string' && typeof x.timeZone === 'string';
}

/** The weekly report's times as a rotation of whole weeks (nobody on call): its handoffs are the report's times. Undefined for an input that says none. */
export function weeklySchedule(input: WeeklyReportInput): RotationSchedule | undefined {
  const at = parseHandoff(input.at);
  if (at?.weekday === undefined || !isTimeZone(input.timeZone)) return undefined;
  // 1970-01-01 (day 0) was a Thursday, ISO weekday 4: the first day of the weekday asked for.
  return { members: [['', '']], firstDay: (at.weekday + 3) % 7, minutes: at.minutes, days: 7, zone: input.timeZone, overrides: [] };
}

/** What a section source is given: the handoff, the shift that just ended, and every incident the table holds. */
export interface HandoffContext {
  readonly rotation: string;
  readonly schedule: RotationSchedule;
  /** The shift handed over: who was on call (a Slack mention, `''` for none), from when to the handoff (epoch ms). */
  readonly shift: { readonly mention: string; readonly from: number; readonly to: number };
  readonly incidents: readonly IncidentRecord[];
  readonly rt: AppRuntime;
}

/**
 * A part of the handoff message after the unresolved incidents: blocks from the context (none to
 * leave it out). The extension point for what a handoff reports besides who and what is open (a
 * shift's numbers): add a source to HANDOFF_SECTIONS. A source that throws is logged and left out.
 */
export type HandoffSection = (c: HandoffContext) => Promise<SlackBlock[]>;

/**
 * The shift's numbers (lib/health): pages against the limit per 12 hours, sleep and off hours, the
 * time to acknowledge against the targets, escalations, noisy alarms with their runbooks, overdue
 * postmortems. What is still open the message lists itself, every incident, not only the shift's.
 */
export const shiftNumbers: HandoffSection = async (c) => {
  const report = computeHealth(c.incidents, {
    from: c.shift.from, to: c.shift.to, now: c.rt.now(), timeZone: c.schedule.zone,
    shifts: [{ from: c.shift.from, to: c.shift.to, who: c.shift.mention || c.rotation }],
    ...(c.rt.config.postmortem ? { postmortem: c.rt.config.postmortem } : {}),
  });
  return handoffBlocks({ ...report, unresolved: [] });
};

/** The sources of the message's further sections, in order. */
export const HANDOFF_SECTIONS: HandoffSection[] = [shiftNumbers];

/** A schedule fires within a minute of the handoff; these bounds keep a late or early fire to its own handoff. */
const LATE_MS = 30 * 60_000;
const EARLY_MS = 60 * 60_000;

const SEVERITY_ORDER = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];
const rank = (s: string | undefined) => (s && SEVERITY_ORDER.includes(s) ? SEVERITY_ORDER.indexOf(s) : SEVERITY_ORDER.length);

/** The incidents still open (not resolved, with a thread), most severe first, oldest first. */
export function unresolvedOf(records: readonly IncidentRecord[]): HandoffIncident[] {
  return records.filter((r) => r.state !== 'OK' && r.ts !== undefined)
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.stateAt - b.stateAt)
    .map((r) => ({ alarmName: r.alarmName, severity: r.severity, state: r.state, stateAt: r.stateAt, acknowledgedBy: r.acknowledgedBy, escalatedLevel: r.escalatedLevel, channel: r.channel }));
}

/** What an invocation did. */
export type HandoffOutcome =
  | { readonly kind: 'posted'; readonly rotation: string; readonly at: number; readonly unresolved: number }
  | { readonly kind: 'reported'; readonly from: number; readonly at: number; readonly pages: number; readonly unresolved: number }
  | { readonly kind: 'skipped'; readonly why: string };

/**
 * The weekly report: the numbers of the 7 days before `at` (shifts cut at 08:00 and 20:00, as
 * without a rotation), every incident still open (not only the week's), in the report's zone.
 */
export function weeklyReport(incidents: readonly IncidentRecord[], from: number, at: number, now: number, timeZone: string, config: AppRuntime['config']) {
  const postmortem = config.postmortem ? { postmortem: config.postmortem } : {};
  const week = computeHealth(incidents, { from, to: at, now, timeZone, ...postmortem });
  // What is open, as the rotation's handoff lists it: the incidents the table holds unresolved, whenever they fired.
  const open = incidents.filter((r) => r.state !== 'OK' && r.ts !== undefined);
  const since = Math.min(from, ...open.map((r) => r.firedAt ?? from));
  const unresolved = computeHealth(open, { from: since, to: Math.max(at, now) + 1, now, timeZone, ...postmortem }).unresolved;
  const report = { ...week, unresolved };
  const options = { title: `Weekly on-call report${config.service ? ` · ${config.service}` : ''}` };
  const message = renderHandoffReport(report, options);
  // Never refused by Slack: a message that breaks a Block Kit rule goes as its text alone.
  return { report, message: handoffProblems(message, options).length === 0 ? message : { text: message.text, blocks: [section(escapeShortened(message.text, SLACK_LIMITS.sectionText))] } };
}

/** Builds the handoff function's handler. */
export function createHandoffHandler(deps: FunctionDeps = {}) {
  // The one function that lists the table: its store can (the others' bundles carry no Scan).
  const rt = createAppRuntime(deps, (table) => new DynamoDbIncidentListing(table));
  /** The weekly report, posted once per week whatever the retries. */
  async function weekly(event: WeeklyReportInput, context?: LambdaContext): Promise<HandoffOutcome> {
    const schedule = weeklySchedule(event);
    if (!schedule) throw new Error(`the weekly report's schedule says "${event.at}" in "${event.timeZone}", not a weekday and a time in an IANA time zone: redeploy the SlackNotifier`);
    const store = rt.store as (IncidentStore & Partial<IncidentListing>) | undefined;
    const channel = rt.config.channel;
    if (!store?.listIncidents || !channel) throw new Error(`${variableOf('incidentTable', APP_FIELDS)} and ${variableOf('channel', APP_FIELDS)} must be set`);
    const now = rt.now();
    // The report's time this fire belongs to, as a rotation's handoff: a late or early fire keeps to its own week.
    const at = lastHandoff(schedule, now + EARLY_MS);
    if (now - at > LATE_MS || at - now > EARLY_MS) return { kind: 'skipped', why: 'no weekly report now' };
    // The week before it, on the zone's clock (a daylight-saving change makes it 167 or 169 hours).
    const from = lastHandoff(schedule, at - 1);
    const started = Date.now();
    const deadline = started + (context ? context.getRemainingTimeInMillis() : 30_000) - rt.delivery.safetyMarginMs;
    const about = { requestId: context?.awsRequestId, report: 'weekly', from: new Date(from).toISOString(), to: new Date(at).toISOString() };
    let failure: string;
    try {
      const posted = await once(store, rt.policy, `weekly|${at}`, randomUUID(), now, async () => {
        const { report, message } = weeklyReport(await store.listIncidents!(), from, at, now, schedule.zone, rt.config);
        await rt.chat.postMessage(channel, message, deadline);
        return { pages: report.totals.pages, unresolved: report.unresolved.length };
      });
      if (posted === undefined) return { kind: 'skipped', why: 'this week\'s report was posted before' };
      rt.log({ level: 'info', msg: 'weekly report posted', ...about, ...posted, ms: Date.now() - started });
      return { kind: 'reported', from, at, ...posted };
    } catch (err) {
      failure = (err as Error)?.message ?? String(err);
      rt.log({ level: 'error', msg: 'weekly report not posted: failing so Lambda retries it', ...about, ...slackFailure(err) });
    }
    throw new Error(rt.redactor.redact(`the weekly report of ${new Date(at).toISOString()} not posted: ${failure}`));
  }

  return async function handler(received: unknown, context?: LambdaContext): Promise<HandoffOutcome> {
    // A record re-driven from the failure queue carries the original event.
    const wrapped = (received as { requestPayload?: unknown } | null)?.requestPayload;
    const event = isHandoffInput(wrapped) || isWeeklyReportInput(wrapped) ? wrapped : received;
    if (isWeeklyReportInput(event)) return weekly(event, context);
    if (!isHandoffInput(event)) {
      rt.log({ level: 'error', msg: 'not a handoff schedule event: ignored', requestId: context?.awsRequestId, type: typeof event });
      return { kind: 'skipped', why: 'not a handoff schedule event' };
    }
    const schedule = rt.contacts && ownValue(rt.contacts.contacts, event.rotation)?.rotation;
    if (!schedule) throw new Error(`the contact plan has no rotation "${event.rotation}" (${variableOf('contactPlan', MESSAGE_FIELDS)}): redeploy the SlackNotifier`);
    const store = rt.store as (IncidentStore & Partial<IncidentListing>) | undefined;
    const channel = rt.config.channel;
    if (!store?.listIncidents || !channel) throw new Error(`${variableOf('incidentTable', APP_FIELDS)} and ${variableOf('channel', APP_FIELDS)} must be set`);
    const now = rt.now();
    const at = lastHandoff(schedule, now + EARLY_MS);
    if (now - at > LATE_MS || at - now > EARLY_MS) {
      // Rotations longer than a day are checked daily: most days hand nothing over.
      return { kind: 'skipped', why: 'no handoff of this rotation now' };
    }
    const before = onCallAt(schedule, at - 1);
    const after = onCallAt(schedule, at);
    const started = Date.now();
    const deadline = started + (context ? context.getRemainingTimeInMillis() : 30_000) - rt.delivery.safetyMarginMs;
    const about = { requestId: context?.awsRequestId, rotation: event.rotation, handoff: new Date(at).toISOString() };
    let failure: string;
    try {
      const posted = await once(store, rt.policy, `handoff|${event.rotation}|${at}`, randomUUID(), now, async () => {
        const incidents = await store.listIncidents!();
        const unresolved = unresolvedOf(incidents);
        const c: HandoffContext = { rotation: event.rotation, schedule, shift: { mention: before.member[0], from: before.from, to: at }, incidents, rt };
        const extra: SlackBlock[] = [];
        for (const source of HANDOFF_SECTIONS) {
          try {
            extra.push(...(await source(c)));
          } catch (err) {
            rt.log({ level: 'error', msg: 'a handoff section failed: left out', ...about, error: (err as Error)?.message ?? String(err) });
          }
        }
        const message = renderHandoffMessage({ rotation: event.rotation, service: rt.config.service, from: before.member[0], to: after.member[0], at, until: after.to, unresolved }, extra);
        await rt.chat.postMessage(channel, message, deadline);
        return unresolved.length;
      });
      if (posted === undefined) return { kind: 'skipped', why: 'this handoff was posted before' };
      rt.log({ level: 'info', msg: 'handoff posted', ...about, unresolved: posted, ms: Date.now() - started });
      return { kind: 'posted', rotation: event.rotation, at, unresolved: posted };
    } catch (err) {
      failure = (err as Error)?.message ?? String(err);
      rt.log({ level: 'error', msg: 'handoff not posted: failing so Lambda retries it', ...about, ...slackFailure(err) });
    }
    // The error goes to Lambda's log and the failure queue: redacted like the log.
    throw new Error(rt.redactor.redact(`handoff of ${event.rotation} not posted: ${failure}`));
  };

}

/** The Lambda entry point. */
export const handler = createHandoffHandler();
