// The interactivity function: Slack's requests when someone clicks a button of a parent message,
// through a Lambda function URL. It acts only on requests signed with the app's signing secret
// (five-minute replay window, a bounded body) and answers within Slack's three seconds. The
// Acknowledge button records the first acknowledgement (a conditional write over the version read:
// repeated clicks change nothing), stops the escalation timer, emits MTTA, redraws the parent
// (`Acknowledged by @user after 2 min`) by the drawing rule every function shares, and says so in
// the thread; a parent it cannot bring up to date in time is handed to the escalation function.
// Anything else gets 401/400/405 and changes nothing, before any AWS call; every line logged goes
// through the redactor (the signing secret included).
import { renderAcknowledgementReply, ACKNOWLEDGE_ACTION, LINK_ACTIONS, formatDuration, isSlackUserId } from '../../notification/incident-message';
import { AppRuntime, createAppRuntime } from '../shared/app-runtime';
import { DynamoDbIncidentRecords } from '../shared/dynamodb-incident-store';
import { APP_FIELDS, variableOf } from '../shared/config';
import { incidentView, parseAcknowledgeValue } from '../shared/escalation-plan';
import { TimerOutcome, timerCanceller } from '../shared/escalation-timer';
import type { FunctionDeps } from '../shared/deps';
import { IncidentRecord, notificationOf, planAcknowledgement } from '../shared/incident';
import { ParentDrawn, appParentDrawing, drawParent } from '../shared/parent-drawing';
import { EscalationFunctionRequests, ParentRedraws } from '../shared/timer-request';
import { IncidentRecords, IncidentStoreError } from '../shared/incident-store';
import { slackFailure } from '../shared/slack-failure';
import { incidentMetric } from '../shared/metrics';
import { LambdaContext, LogEntry } from '../shared/runtime';
import { signatureMismatch, signingSecretFromSecret, slackHeaders } from './slack-signature';
import { isPostmortemInteraction, postmortemInteraction } from './postmortem';

/** Bodies larger than this are refused before anything else (Slack's block_actions for our parents are a few KB). */
export const MAX_INTERACTION_BYTES = 128 * 1024;

/** Slack waits three seconds for the answer; the work that follows a verified click fits in this. */
export const ANSWER_WITHIN_MS = 2500;

/** What the failures of Slack calls made within that budget name as their limit. */
const ANSWER_BUDGET = `the ${ANSWER_WITHIN_MS / 1000} s answer budget (Slack waits 3 s)`;

/** Kept back from the answer budget to hand a parent that is behind to the escalation function. */
const HANDOFF_MS = 300;
/** A parent update still unanswered after this long may need handing on: its client is loaded meanwhile. */
const WARM_AFTER_MS = 800;

/** Refusals logged per container and minute; past that they are counted, and the count logged once (a flood adds no log volume). */
export const LOGGED_REFUSALS_PER_MINUTE = 10;

/** A Lambda function URL request (payload format 2.0), as far as it is read. */
export interface FunctionUrlEvent {
  readonly headers?: Record<string, string | undefined>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string; readonly sourceIp?: string } };
}

/** The function URL's answer. */
export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const answer = (statusCode: number, body = '', headers: Record<string, string> = {}): FunctionUrlResult =>
  ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body });

/** What a refusal says to the caller: a few words that reveal nothing (and, for 405, what is allowed). */
const REFUSED: Record<Refusal['status'], [string, Record<string, string>?]> = { 400: ['bad request'], 401: ['unauthorized'], 405: ['method not allowed', { allow: 'POST' }] };

/** A refusal: its status and why (logged, and said to the caller in a few words that reveal nothing). */
class Refusal extends Error {
  constructor(readonly status: 400 | 401 | 405, readonly why: string) {
    super(why);
  }
}

interface BlockAction {
  readonly action_id?: unknown;
  readonly value?: unknown;
}

interface Interaction {
  readonly type?: unknown;
  readonly user?: { readonly id?: unknown };
  readonly channel?: { readonly id?: unknown };
  readonly container?: { readonly channel_id?: unknown; readonly message_ts?: unknown };
  readonly actions?: readonly BlockAction[];
}

function header(event: FunctionUrlEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** The raw body as Slack signed it (function URLs may hand it over base64-encoded). */
function rawBody(event: FunctionUrlEvent): Buffer {
  const body = typeof event.body === 'string' ? event.body : '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** The interaction inside a verified body: `payload=<JSON>`, form-encoded. */
function interactionOf(body: Buffer): Interaction {
  const params = new URLSearchParams(body.toString('utf8'));
  const payload = params.get('payload');
  if (payload === null) throw new Refusal(400, 'no payload field (not an interactivity request)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    throw new Refusal(400, 'payload is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Refusal(400, 'payload is not an object');
  return parsed as Interaction;
}

/** Builds the interactivity function's handler. */
export function createInteractivityHandler(deps: FunctionDeps = {}) {
  // Every Slack call here is bounded by the answer budget, and its failures say so.
  // Its store reads and writes records only: the bundle carries none of the transition claims.
  const rt = createAppRuntime({ ...deps, delivery: { deadlineName: ANSWER_BUDGET, ...deps.delivery } }, (table) => new DynamoDbIncidentRecords(table));
  const { config, log } = rt;
  const cancelTimer = timerCanceller(rt, deps.scheduler);
  const redraws = deps.redraws ?? (config.escalationFunctionArn ? new EscalationFunctionRequests(config.escalationFunctionArn).redraws : undefined);
  // Per container: the signing secret is read once (and again after a read failed).
  let signing: Promise<string> | undefined;
  const signingSecret = (): Promise<string> => {
    if (!signing) {
      const arn = config.signingSecretArn;
      if (!arn) return Promise.reject(new Error(`${variableOf('signingSecretArn', APP_FIELDS)} is not set`));
      signing = rt.secrets.getSecretString(arn).then((value) => {
        rt.redactor.addSecret(value.trim());
        const found = signingSecretFromSecret(value);
        rt.redactor.addSecret(found);
        return found;
      });
      signing.catch(() => (signing = undefined));
    }
    return signing;
  };

  let minute = 0;
  let logged = 0;
  let unlogged = 0;
  const logRefusal = (entry: LogEntry) => {
    const now = Math.floor(Date.now() / 60_000);
    if (now !== minute) {
      if (unlogged > 0) log({ level: 'warn', msg: `interactivity requests refused past ${LOGGED_REFUSALS_PER_MINUTE} a minute, not logged one by one`, count: unlogged });
      [minute, logged, unlogged] = [now, 0, 0];
    }
    if (logged++ < LOGGED_REFUSALS_PER_MINUTE) log(entry);
    else unlogged++;
  };

  return async function handler(event: FunctionUrlEvent, context?: LambdaContext): Promise<FunctionUrlResult> {
    const started = Date.now();
    const deadline = started + Math.min(ANSWER_WITHIN_MS, context ? context.getRemainingTimeInMillis() - 200 : ANSWER_WITHIN_MS);
    const about = { requestId: context?.awsRequestId, sourceIp: event?.requestContext?.http?.sourceIp };
    try {
      const method = event?.requestContext?.http?.method ?? 'POST';
      if (method !== 'POST') throw new Refusal(405, `method ${String(method).slice(0, 10)}`);
      const body = rawBody(event ?? {});
      if (body.length > MAX_INTERACTION_BYTES) throw new Refusal(400, `body of ${body.length} bytes (at most ${MAX_INTERACTION_BYTES})`);
      // What needs no secret first: a request without Slack's headers, or outside the replay window, costs no secret read.
      const signed = slackHeaders(header(event, 'x-slack-request-timestamp'), header(event, 'x-slack-signature'), rt.now());
      if ('problem' in signed) throw new Refusal(401, signed.problem);
      let secret: string;
      try {
        secret = await signingSecret();
      } catch (err) {
        log({ level: 'error', msg: 'signing secret unavailable: every interactivity request is refused', ...about, error: (err as Error).message,
          fix: 'put the app\'s Signing Secret (Basic Information → App Credentials) in the secret and let the function read it' });
        return answer(500, 'not configured');
      }
      const problem = signatureMismatch(secret, signed, body);
      if (problem) throw new Refusal(401, problem);
      const interaction = interactionOf(body);
      // The postmortem's buttons and modals (./postmortem.ts).
      if (isPostmortemInteraction(interaction)) {
        if (!rt.store) throw new Error(`${variableOf('incidentTable', APP_FIELDS)} is not set`);
        const done = await postmortemInteraction(rt, interaction, deadline, about);
        if (done.kind === 'refused') throw new Refusal(400, done.why);
        if (done.kind === 'failed') return answer(500, done.why);
        return done.kind === 'errors'
          ? { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_action: 'errors', errors: done.errors }) }
          : answer(200);
      }
      if (interaction.type !== 'block_actions') throw new Refusal(400, `interaction type ${String(interaction.type).slice(0, 40)} is not handled`);
      const action = Array.isArray(interaction.actions) ? interaction.actions[0] : undefined;
      const actionId = typeof action?.action_id === 'string' ? action.action_id : undefined;
      // Link buttons (runbook, console, dashboard) open in the browser; Slack still reports the click.
      if (actionId && LINK_ACTIONS.includes(actionId)) return answer(200);
      if (actionId !== ACKNOWLEDGE_ACTION) throw new Refusal(400, `unknown action ${String(actionId).slice(0, 60)}`);
      const user = interaction.user?.id;
      const channel = interaction.channel?.id ?? interaction.container?.channel_id;
      const target = parseAcknowledgeValue(action?.value);
      if (!isSlackUserId(user) || typeof channel !== 'string' || !target) throw new Refusal(400, 'acknowledge without a user, a channel or an incident');
      return await acknowledge(rt, cancelTimer, redraws, target, user, channel, deadline, about);
    } catch (err) {
      if (err instanceof Refusal) {
        logRefusal({ level: 'warn', msg: 'interactivity request refused', ...about, status: err.status, why: err.why });
        return answer(err.status, ...REFUSED[err.status]);
      }
      log({ level: 'error', msg: 'interactivity request failed', ...about, ...slackFailure(err) });
      return answer(500, 'failed');
    }
  };
}

/** Records the acknowledgement (first wins), then tells everyone: the timer, the metric, the parent, the thread. */
async function acknowledge(rt: AppRuntime<IncidentRecords>, cancelTimer: ((r: IncidentRecord) => Promise<TimerOutcome>) | undefined, redraws: ParentRedraws | undefined, target: { incidentId: string; alarmKey: string },
  user: string, channel: string, deadline: number, about: Record<string, unknown>): Promise<FunctionUrlResult> {
  const { log, chat } = rt;
  if (!rt.store) throw new Error(`${variableOf('incidentTable', APP_FIELDS)} is not set`);
  let acknowledged: IncidentRecord | undefined;
  let before: IncidentRecord | undefined;
  for (let round = 0; round < 4 && !acknowledged; round++) {
    let current: IncidentRecord | undefined;
    try {
      current = await rt.store.get(target.alarmKey);
    } catch (err) {
      if (err instanceof IncidentStoreError) {
        log({ level: 'error', msg: 'incident table unavailable: the acknowledgement was not recorded', ...about, error: err.message });
        return answer(500, 'not recorded');
      }
      throw err;
    }
    if (current && current.channel !== channel) throw new Refusal(400, 'the button is not in the incident\'s channel');
    const plan = planAcknowledgement(current, target.incidentId, user, rt.now(), rt.policy);
    if (plan.kind !== 'acknowledge') {
      const r = plan.record;
      const text = plan.kind === 'already'
        ? `Already acknowledged by <@${r!.acknowledgedBy}>${r!.firedAt !== undefined ? ` after ${formatDuration(r!.acknowledgedAt! - r!.firedAt)}` : ''}.`
        : plan.kind === 'resolved' ? 'This incident is resolved: there is nothing to acknowledge.' : 'This incident is over: the alarm\'s current incident has its own thread.';
      log({ level: 'info', msg: 'acknowledgement changed nothing', ...about, outcome: plan.kind, user, incidentId: target.incidentId });
      await chat.call('chat.postEphemeral', { channel, user, text }, deadline).catch((err) => log({ level: 'warn', msg: 'ephemeral note not posted', ...about, ...slackFailure(err) }));
      return answer(200);
    }
    if (await rt.store.put(plan.next, plan.record.version)) {
      acknowledged = plan.next;
      before = plan.record;
    }
  }
  if (!acknowledged || !before) return answer(500, 'busy');
  log({ level: 'info', msg: 'incident acknowledged', ...about, user, incidentId: acknowledged.incidentId, alarmName: acknowledged.alarmName, mttaSeconds: acknowledged.mttaSeconds });
  if (acknowledged.mttaSeconds !== undefined && acknowledged.severity) {
    log(incidentMetric(rt.metricsNamespace, 'MTTA', acknowledged.severity, acknowledged.mttaSeconds, rt.now(), { incidentId: acknowledged.incidentId, alarmName: acknowledged.alarmName }, rt.config.service));
  }
  // Escalation stops: the timer is deleted while Slack is told, within the answer's deadline (a
  // timer that stays, because Scheduler failed or did not answer in time, finds the incident
  // acknowledged and does nothing).
  const hadTimer = acknowledged.escalationSchedule !== undefined;
  const notCancelled = (error: string) => log({ level: 'error', msg: 'escalation timer not cancelled (it will find the incident acknowledged)', ...about, error });
  const cancelling = cancelTimer?.(acknowledged).then(() => true, (err) => {
    notCancelled((err as Error)?.message);
    return true;
  });
  // The parent, by the rule every function shares (it ends on what is stored, whoever wrote last),
  // and the thread line, at once; a parent still behind when the budget runs out is handed on.
  const notification = notificationOf(acknowledged);
  const reply = renderAcknowledgementReply(notification, incidentView(acknowledged, rt.plan), hadTimer);
  // A parent Slack is slow to update may have to be handed on: the client for that is loaded while
  // Slack keeps us waiting (a cold container would otherwise load it out of the little time left).
  const warm = redraws?.prepare ? setTimeout(() => redraws.prepare!(), WARM_AFTER_MS) : undefined;
  const [drawn, replied] = await Promise.all([
    drawParent(appParentDrawing(rt), acknowledged.alarmKey, acknowledged.incidentId, deadline - HANDOFF_MS, acknowledged),
    acknowledged.ts ? chat.postMessage(acknowledged.channel, reply, deadline, acknowledged.ts).then(() => undefined, (err: unknown) => err) : undefined,
  ]).finally(() => clearTimeout(warm));
  if (replied) log({ level: 'error', msg: 'acknowledged, but the thread line not posted', ...about, incidentId: acknowledged.incidentId, ...slackFailure(replied) });
  if (drawn.kind === 'behind') await handOn(rt, redraws, drawn, deadline, about);
  if (cancelling && !(await byDeadline(cancelling, deadline, false))) notCancelled('Scheduler did not answer before Slack\'s deadline');
  return answer(200);
}

/** What `work` comes to, or `late` if the deadline passes first (Slack's answer cannot wait). */
async function byDeadline<T>(work: Promise<T>, deadline: number, late: T): Promise<T> {
  let timeout: NodeJS.Timeout | undefined;
  const waited = new Promise<T>((resolve) => (timeout = setTimeout(() => resolve(late), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([work, waited]);
  } finally {
    clearTimeout(timeout);
  }
}

/**
 * The parent is behind after the acknowledgement: asks the escalation function to redraw it (it has
 * the time to retry, and Lambda retries it), unless Slack refused for good (the message was deleted).
 */
async function handOn(rt: AppRuntime<IncidentRecords>, redraws: ParentRedraws | undefined, drawn: Extract<ParentDrawn, { kind: 'behind' }>, deadline: number,
  about: Record<string, unknown>): Promise<void> {
  const r = drawn.record;
  const failed = { ...about, incidentId: r.incidentId, ...slackFailure(drawn.error) };
  if (!drawn.retry || !redraws) {
    rt.log({ level: 'error', msg: 'acknowledged, but the parent not updated', ...failed });
    return;
  }
  const asking = redraws.request(r.alarmKey, r.incidentId).then(() => undefined, (err: Error) => `${err?.name}: ${err?.message}`);
  const asked = await byDeadline<string | undefined>(asking, deadline, 'no answer before Slack\'s deadline');
  if (asked === undefined) rt.log({ level: 'warn', msg: 'acknowledged; the parent is behind, its redraw handed to the escalation function', ...failed });
  else rt.log({ level: 'error', msg: 'acknowledged, but the parent not updated, nor its redraw handed on', ...failed, handOff: asked });
}

/** The Lambda entry point. */
export const handler = createInteractivityHandler();
