// The incident knows its postmortem, end to end, time compressed: the notifier, the escalation and
// the interactivity handlers configured as the construct configures them, sharing one memory
// incident store; the Slack Web API stand-in on loopback (views.open included); Slack's signed
// interactivity requests; the notifier's requests to the escalation function delivered as Lambda
// delivers asynchronous invokes; and the timers' one-time schedules fired when the test's clock
// reaches them, with their input, as EventBridge Scheduler does. (The same schedules through the
// real SDK and a Scheduler stand-in: test/functions/escalation/index.test.ts.)
import { LogEntry, createHandler } from '../../../lib/functions/notifier/app';
import { createEscalationHandler } from '../../../lib/functions/escalation/index';
import { createInteractivityHandler } from '../../../lib/functions/interactivity/index';
import { MemoryIncidentStore } from '../../../lib/functions/shared/incident-store';
import { EscalationScheduler, EscalationTimerInput, PostmortemReminderInput } from '../../../lib/functions/shared/scheduler';
import { Severity } from '../../../lib/core/severity';
import { alarmMessage } from '../../support/slack';
import {
  ESCALATION_ARN, FunctionEnvironments, SIGNING_SECRET_ARN, SIGNING_SECRET, TOKEN, blockActions, buttonOf, functionEnvironments, signedRequest, viewSubmission,
} from '../../support/escalation-setup';
import { SlackWebApiStandIn, StoredMessage, startSlackWebApi } from '../../support/slack-web-api-stand-in';

const FAST = { baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 1000, safetyMarginMs: 100, maxAttempts: 3 };
const MIN = 60_000;
/** Friday 20 November 2026, 15:02 in Berlin. */
const FIRED = Date.UTC(2026, 10, 20, 14, 2, 0);
const RESOLVED = FIRED + 41 * MIN;
/** Two business days later in Berlin, at the same local time: Tuesday 24 November, 15:43 CET. */
const DUE = Date.UTC(2026, 10, 24, 14, 43, 0);
const BEFORE = Date.UTC(2026, 10, 23, 14, 43, 0);
const LIMIT = Date.UTC(2026, 10, 27, 14, 43, 0);
const SEV2 = 'Payment webhooks are piling up.\n\nSeverity: SEV2\nRunbook: https://github.com/acme/ops/blob/main/runbooks/backlog.md\nFirst move: Scale out the webhook consumer\nOwner: payments';
const SEV3 = SEV2.replace('SEV2', 'SEV3');

let slack: SlackWebApiStandIn;
beforeAll(async () => {
  slack = await startSlackWebApi();
});
afterAll(() => slack.close());

/** EventBridge Scheduler as the functions see it: one-time schedules by name, fired by the test's clock. */
class Schedules implements EscalationScheduler {
  readonly pending = new Map<string, { at: number; input: EscalationTimerInput | PostmortemReminderInput; target?: string }>();
  async schedule(name: string, at: number, input: EscalationTimerInput | PostmortemReminderInput, target?: string): Promise<'created' | 'exists'> {
    if (this.pending.has(name)) return 'exists';
    this.pending.set(name, { at, input, target });
    return 'created';
  }
  async cancel(name: string): Promise<'deleted' | 'gone'> {
    return this.pending.delete(name) ? 'deleted' : 'gone';
  }
}

let envs: FunctionEnvironments;
let now: number;
let logs: LogEntry[];
let store: MemoryIncidentStore;
let schedules: Schedules;
let queued: string[];
let system: ReturnType<typeof makeSystem>;

function makeSystem() {
  const secrets = { getSecretString: async (arn: string) => (arn === SIGNING_SECRET_ARN ? JSON.stringify({ signingSecret: SIGNING_SECRET }) : TOKEN) };
  const common = { secrets, delivery: FAST, log: (e: LogEntry) => logs.push(e), now: () => now, store };
  return {
    // The notifier asks the escalation function asynchronously (Lambda queues the request).
    notifier: createHandler({ ...common, env: envs.notifier, timers: { request: async (alarmKey: string) => void queued.push(alarmKey) } }),
    interactivity: createInteractivityHandler({ ...common, env: envs.interactivity, scheduler: schedules }),
    escalation: createEscalationHandler({ ...common, env: envs.escalation, scheduler: schedules }),
  };
}

beforeEach(() => {
  slack.reset();
  envs = functionEnvironments('incidents', slack.url, undefined, { postmortem: { requiredFor: [Severity.SEV1, Severity.SEV2], dueBusinessDays: 2, limitBusinessDays: 5, timeZone: 'Europe/Berlin' } });
  now = FIRED + 5_000;
  logs = [];
  store = new MemoryIncidentStore();
  schedules = new Schedules();
  queued = [];
  system = makeSystem();
});

const context = (arn?: string) => ({ getRemainingTimeInMillis: () => 8000, awsRequestId: 'req', invokedFunctionArn: arn });

/** Lambda delivers the queued requests to the escalation function. */
async function drain() {
  const outcomes = [];
  while (queued.length > 0) outcomes.push(await system.escalation({ source: 'cdk-runbook-alarms', kind: 'keep-timer', alarmKey: queued.shift()! }, context(ESCALATION_ARN)));
  return outcomes;
}

let seq = 0;
/** The alarm changes state at `at` and SNS delivers its notification. */
async function alarm(state: 'ALARM' | 'OK', at: number, description = SEV2, name = 'Payments/WebhookBacklog') {
  const message = alarmMessage({ AlarmName: name, AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`, AlarmDescription: description,
    NewStateValue: state, OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM', StateChangeTime: new Date(at).toISOString().replace('Z', '+0000') });
  await system.notifier({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: `m-${++seq}`, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] }, context());
  return drain();
}

/** Scheduler at `now`: every due schedule fires once, with its input. */
async function tick() {
  const outcomes = [];
  for (const [name, s] of [...schedules.pending]) {
    if (s.at > now) continue;
    schedules.pending.delete(name);
    outcomes.push(await system.escalation(s.input, context(s.target)));
  }
  return outcomes;
}

const interact = (payload: unknown, options: Parameters<typeof signedRequest>[2] = {}) =>
  system.interactivity(signedRequest(payload, Math.floor(now / 1000), options) as never, context());

const parentOf = () => slack.parents('C0ALERTS')[0];
const thread = () => slack.replies('C0ALERTS', parentOf().ts);
const text = (m: StoredMessage) => JSON.stringify(m.blocks);
const slackDate = (ms: number) => `<!date^${ms / 1000}^`;

test('a SEV2 resolves → due in 2 business days (Berlin) → reminder → linked → the parent shows it; later reminders stay quiet', async () => {
  await alarm('ALARM', FIRED);
  now = RESOLVED + 3_000;
  const kept = await alarm('OK', RESOLVED);
  expect(kept).toEqual([expect.objectContaining({ kind: 'asked', dueAt: new Date(DUE).toISOString(), reminders: 3 })]);

  // The thread: the resolution, then the ask with its three buttons.
  const [resolved, ask] = thread();
  expect(resolved.text).toMatch(/^\[SEV2\] RESOLVED after 41 min: Payments\/WebhookBacklog — postmortem due by 2026-11-24 14:43:00 UTC$/);
  expect(text(resolved)).toContain('(2 business days after the resolution, Europe/Berlin)');
  expect(ask.text).toBe('Postmortem due by 2026-11-24 14:43:00 UTC: Payments/WebhookBacklog');
  expect(text(ask)).toContain(`:memo: *Postmortem due by ${slackDate(DUE)}`);
  expect(text(ask)).toContain(`${slackDate(LIMIT)}`);
  expect(['postmortem-start', 'postmortem-link', 'postmortem-not-needed'].map((id) => buttonOf(ask, id)?.value)).toEqual(Array(3).fill(expect.stringContaining('"p":')));
  // The parent shows it; the incident mirrors it; the postmortem is its own item.
  expect(text(parentOf())).toContain(`:memo: *Postmortem due* by ${slackDate(DUE)}`);
  expect(text(parentOf())).toContain('2026-11-24 14:43:00 UTC>: none linked yet.');
  const [record] = [...store.incidents.values()];
  expect(record).toMatchObject({ postmortemState: 'due', postmortemDueAt: DUE });
  expect(await store.getPostmortem(record.incidentId)).toMatchObject({ state: 'due', resolvedAt: RESOLVED, dueAt: DUE, limitAt: LIMIT, timeZone: 'Europe/Berlin', channel: 'C0ALERTS', ts: parentOf().ts });
  // Reminders: the business day before (Monday), when due (Tuesday), at the limit (Friday), invoking the escalation function.
  expect([...schedules.pending.values()].map((s) => [s.at, s.input, s.target])).toEqual([
    [BEFORE, { source: 'cdk-runbook-alarms', kind: 'postmortem-reminder', incidentId: record.incidentId, reminder: 'before' }, ESCALATION_ARN],
    [DUE, expect.objectContaining({ reminder: 'due' }), ESCALATION_ARN],
    [LIMIT, expect.objectContaining({ reminder: 'limit' }), ESCALATION_ARN],
  ]);

  // Saturday: nothing fires. Monday afternoon: the reminder.
  now = Date.UTC(2026, 10, 21, 12, 0, 0);
  expect(await tick()).toEqual([]);
  now = BEFORE + 20_000;
  expect(await tick()).toEqual([{ kind: 'reminded', incidentId: record.incidentId, reminder: 'before' }]);
  expect(thread()).toHaveLength(3);
  expect(thread()[2].text).toBe('Postmortem due 2026-11-24 14:43:00 UTC: Payments/WebhookBacklog');
  expect(text(thread()[2])).toContain(':alarm_clock: *The postmortem is due');

  // Someone clicks "Link postmortem": a modal asks for the link.
  const click = await interact(blockActions(ask, 'U0DANA', 'postmortem-link', buttonOf(ask, 'postmortem-link')!.value));
  expect(click).toMatchObject({ statusCode: 200 });
  expect(slack.views).toHaveLength(1);
  const modal = slack.views[0].view;
  expect(modal).toMatchObject({ type: 'modal', callback_id: 'postmortem-link', title: { text: 'Link the postmortem' }, submit: { text: 'Save' } });

  // Not a link: the modal says why and stays open; nothing changes.
  const wrong = await interact(viewSubmission(modal, 'U0DANA', { url: 'ftp://files.acme.dev/pm.md' }));
  expect(wrong.statusCode).toBe(200);
  expect(JSON.parse(wrong.body)).toEqual({ response_action: 'errors', errors: { url: expect.stringContaining('https link') } });
  expect((await store.getPostmortem(record.incidentId))!.state).toBe('due');

  // The link: recorded, said in the thread, shown on the parent with its button.
  now = BEFORE + 3 * 3600_000;
  const url = 'https://github.com/acme/ops/pull/1432';
  const saved = await interact(viewSubmission(modal, 'U0DANA', { url }));
  expect(saved).toEqual({ statusCode: 200, headers: expect.any(Object), body: '' });
  expect(await store.getPostmortem(record.incidentId)).toMatchObject({ state: 'linked', url, by: 'U0DANA', at: now, version: 2 });
  expect(thread()[3].text).toBe('Postmortem linked');
  expect(text(thread()[3])).toContain('*Postmortem linked* by <@U0DANA>: github.com/acme/ops/pull/1432');
  expect(text(parentOf())).toContain(':white_check_mark: *Postmortem written*: linked by <@U0DANA>');
  expect(buttonOf(parentOf(), 'open-postmortem')?.url).toBe(url);
  expect(text(parentOf())).not.toContain('Postmortem due');
  expect([...store.incidents.values()][0]).toMatchObject({ postmortemState: 'linked', postmortemUrl: url, postmortemBy: 'U0DANA' });

  // Tuesday and Friday: the reminders find it linked and say nothing.
  now = LIMIT + 60_000;
  expect(await tick()).toEqual([
    { kind: 'skipped', why: 'the postmortem is linked' },
    { kind: 'skipped', why: 'the postmortem is linked' },
  ]);
  expect(thread()).toHaveLength(4);
});

test('not linked in time: the reminder at the due time says overdue, the parent too; "not needed" with a reason closes it', async () => {
  await alarm('ALARM', FIRED);
  now = RESOLVED + 3_000;
  await alarm('OK', RESOLVED);
  const [record] = [...store.incidents.values()];
  now = DUE + 30_000;
  expect(await tick()).toEqual([
    { kind: 'reminded', incidentId: record.incidentId, reminder: 'before' }, // a late fire still reminds once
    { kind: 'reminded', incidentId: record.incidentId, reminder: 'due' },
  ]);
  expect(thread().map((m) => m.text.split(':')[0])).toEqual(['[SEV2] RESOLVED after 41 min', 'Postmortem due by 2026-11-24 14', 'Postmortem due 2026-11-24 14', 'Postmortem overdue']);
  expect(text(parentOf())).toContain(`:warning: *Postmortem overdue* since ${slackDate(DUE)}`);
  // A duplicate fire of the same reminder posts nothing.
  expect(await system.escalation({ source: 'cdk-runbook-alarms', kind: 'postmortem-reminder', incidentId: record.incidentId, reminder: 'due' }, context())).toEqual(
    { kind: 'skipped', why: 'this reminder went out before (a duplicate fire)' });

  const ask = thread()[1];
  await interact(blockActions(ask, 'U0LEE', 'postmortem-not-needed', buttonOf(ask, 'postmortem-not-needed')!.value));
  const modal = slack.views[0].view;
  expect(modal).toMatchObject({ callback_id: 'postmortem-not-needed', blocks: [expect.objectContaining({ block_id: 'reason', element: expect.objectContaining({ min_length: 10 }) })] });
  expect(JSON.parse((await interact(viewSubmission(modal, 'U0LEE', { reason: 'dup' }))).body).errors.reason).toMatch(/10 to 500 characters/);
  await interact(viewSubmission(modal, 'U0LEE', { reason: 'A duplicate of the 16 Nov incident; its postmortem covers this one.' }));
  expect(text(parentOf())).toContain(':heavy_minus_sign: *No postmortem*: A duplicate of the 16 Nov incident; its postmortem covers this one. (<@U0LEE>)');
  expect(text(thread()[4])).toContain('*No postmortem needed*, says <@U0LEE>');
  now = LIMIT + 60_000;
  expect(await tick()).toEqual([{ kind: 'skipped', why: 'the postmortem is not needed' }]);
});

test('"Start postmortem" opens the command that writes it pre-filled from this incident', async () => {
  await alarm('ALARM', FIRED);
  now = RESOLVED + 3_000;
  await alarm('OK', RESOLVED);
  const ask = thread()[1];
  const { incidentId } = [...store.incidents.values()][0];
  expect((await interact(blockActions(ask, 'U0DANA', 'postmortem-start', buttonOf(ask, 'postmortem-start')!.value))).statusCode).toBe(200);
  const view = slack.views[0].view;
  expect(view).toMatchObject({ type: 'modal', title: { text: 'Start the postmortem' } });
  expect(view.submit).toBeUndefined();
  expect(JSON.stringify(view.blocks)).toContain(`npx runbook-alarms postmortem new --incident ${incidentId} --table incidents`);
});

test('a SEV3 does not ask: no postmortem, no reminder, no buttons', async () => {
  await alarm('ALARM', FIRED, SEV3, 'Search/Latency');
  now = RESOLVED + 3_000;
  expect(await alarm('OK', RESOLVED, SEV3, 'Search/Latency')).toEqual([]); // not even asked
  expect(store.postmortems.size).toBe(0);
  expect(schedules.pending.size).toBe(0);
  const parent = slack.parents('C0ALERTS')[0];
  const replies = slack.replies('C0ALERTS', parent.ts);
  expect(replies).toHaveLength(1);
  expect(JSON.stringify([parent, ...replies].map((m) => [m.text, m.blocks]))).not.toMatch(/[Pp]ostmortem/);
  // Asked directly, the escalation function says why not.
  expect(await system.escalation({ source: 'cdk-runbook-alarms', kind: 'keep-timer', alarmKey: [...store.incidents.keys()][0] }, context())).toEqual(
    { kind: 'skipped', why: 'timer kept: none' });
});

test('a forged or replayed request changes nothing and reaches no one', async () => {
  await alarm('ALARM', FIRED);
  now = RESOLVED + 3_000;
  await alarm('OK', RESOLVED);
  const ask = thread()[1];
  await interact(blockActions(ask, 'U0DANA', 'postmortem-link', buttonOf(ask, 'postmortem-link')!.value));
  const modal = slack.views[0].view;
  const before = JSON.stringify([...store.postmortems.values()]);
  const calls = slack.calls.length;
  const submission = viewSubmission(modal, 'U0MALLORY', { url: 'https://evil.example/pm' });
  const forged = await interact(submission, { secret: 'not-the-signing-secret-0000000000' });
  const replayed = await system.interactivity(signedRequest(submission, Math.floor(now / 1000) - 600) as never, context());
  const clickForged = await interact(blockActions(ask, 'U0MALLORY', 'postmortem-not-needed', buttonOf(ask, 'postmortem-not-needed')!.value), { signature: 'v0=' + '0'.repeat(64) });
  expect([forged.statusCode, replayed.statusCode, clickForged.statusCode]).toEqual([401, 401, 401]);
  expect(JSON.stringify([...store.postmortems.values()])).toBe(before);
  expect(slack.calls.length).toBe(calls);
  expect(slack.views).toHaveLength(1);
  // A modal's metadata naming another channel than the incident's is refused too.
  const moved = viewSubmission({ ...modal, private_metadata: modal.private_metadata.replace('C0ALERTS', 'C0INCIDENTS') }, 'U0DANA', { url: 'https://github.com/acme/ops/pull/1' });
  expect((await interact(moved)).statusCode).toBe(400);
  expect(JSON.stringify([...store.postmortems.values()])).toBe(before);
});

test('a reopen within the reopen window keeps the same postmortem: one ask, one set of reminders, its state kept', async () => {
  await alarm('ALARM', FIRED);
  now = RESOLVED + 3_000;
  await alarm('OK', RESOLVED);
  const { incidentId } = [...store.incidents.values()][0];
  const reminders = [...schedules.pending.keys()];
  // Back in ALARM 20 minutes later (within the hour), resolved again.
  now = RESOLVED + 20 * MIN;
  expect(await alarm('ALARM', RESOLVED + 20 * MIN)).toEqual([{ kind: 'skipped', why: 'timer kept: scheduled' }]);
  expect(text(parentOf())).toContain('back in ALARM');
  expect(text(parentOf())).toContain('*Postmortem due* by'); // still due
  now = RESOLVED + 30 * MIN;
  // The escalation timer of the reopened page is cancelled; no second ask.
  expect(await alarm('OK', RESOLVED + 30 * MIN)).toEqual([{ kind: 'skipped', why: 'timer kept: cancelled' }]);
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  expect(thread().filter((m) => m.text.startsWith('Postmortem due by'))).toHaveLength(1);
  expect(store.postmortems.size).toBe(1);
  expect([...store.incidents.values()][0]).toMatchObject({ incidentId, reopened: 1, postmortemState: 'due', postmortemDueAt: DUE });
  expect([...schedules.pending.keys()].filter((n) => n.startsWith('pm-'))).toEqual(reminders);
  expect(text(parentOf())).toContain(`:memo: *Postmortem due* by ${slackDate(DUE)}`);
});

test('the alarm\'s next incident (after the window) does not lose the old one\'s postmortem: its reminder and link still reach the old thread', async () => {
  await alarm('ALARM', FIRED);
  now = RESOLVED + 3_000;
  await alarm('OK', RESOLVED);
  const old = parentOf();
  const ask = thread()[1];
  // Saturday: the alarm fires again, a new incident in a new thread.
  now = Date.UTC(2026, 10, 21, 9, 0, 0);
  await alarm('ALARM', now);
  expect(slack.parents('C0ALERTS')).toHaveLength(2);
  await interact(blockActions(ask, 'U0DANA', 'postmortem-link', buttonOf(ask, 'postmortem-link')!.value));
  await interact(viewSubmission(slack.views[0].view, 'U0DANA', { url: 'https://github.com/acme/ops/pull/1432' }));
  const oldNow = slack.parents('C0ALERTS').find((p) => p.ts === old.ts)!;
  expect(text(oldNow)).toContain('*Postmortem written*: linked by <@U0DANA>');
  expect(text(oldNow)).toContain('RESOLVED after 41 min');
  // The new incident's parent is untouched by the old postmortem.
  expect(text(slack.parents('C0ALERTS')[1])).not.toContain('Postmortem');
});
