// The one drawing rule of an incident's parent, held by racing the three functions on one incident:
// the notifier (OKs, repeats, late and duplicate deliveries, each in a fresh container), the
// interactivity function (clicks, repeated) and the escalation function (fires, duplicated), as the
// construct configures them, against the Slack Web API stand-in on 127.0.0.1 with its chat.update
// calls slowed, lost after landing or refused, and the incident store in memory (its conditions are
// DynamoDB's: incident-store.test.ts). Lambda's retries of what failed follow, as Lambda would
// run them; then the parent must show exactly what is stored, every time.
import fc from 'fast-check';
import { createEscalationHandler } from '../../../lib/functions/escalation/index';
import { createInteractivityHandler } from '../../../lib/functions/interactivity/index';
import { LogEntry, createHandler } from '../../../lib/functions/notifier/app';
import { createAppRuntime } from '../../../lib/functions/shared/app-runtime';
import { escalationSince } from '../../../lib/functions/shared/escalation-timing';
import { IncidentRecord } from '../../../lib/functions/shared/incident';
import { MemoryIncidentStore } from '../../../lib/functions/shared/incident-store';
import { appParentDrawing } from '../../../lib/functions/shared/parent-drawing';
import { EscalationScheduler, EscalationTimerInput, PostmortemReminderInput } from '../../../lib/functions/shared/scheduler';
import { ESCALATION_ARN, FunctionEnvironments, SIGNING_SECRET, SIGNING_SECRET_ARN, TOKEN, blockActions, functionEnvironments, signedRequest } from '../../support/escalation-setup';
import { alarmMessage } from '../../support/slack';
import { Fault, SlackWebApiStandIn, StoredMessage, startSlackWebApi } from '../../support/slack-web-api-stand-in';

const FAST = { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 1000, safetyMarginMs: 100, maxAttempts: 3 };
const T0 = Date.UTC(2026, 10, 23, 2, 14, 0);
const MIN = 60_000;
const ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/DbConnections';
const SEV1 = 'Database connections exhausted; checkouts fail.\n\nSeverity: SEV1\nRunbook: https://github.com/acme/ops/blob/main/runbooks/db.md\nFirst move: Fail over to the replica\nOwner: payments';

let slack: SlackWebApiStandIn;
beforeAll(async () => {
  slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }] });
});
afterAll(() => slack.close());

/** One incident's world: the store, the functions as deployed (a fresh container per invocation), what they ask each other. */
function world(envs: FunctionEnvironments) {
  const store = new MemoryIncidentStore();
  const logs: LogEntry[] = [];
  const now = { ms: T0 + 10_000 };
  const schedules = new Map<string, EscalationTimerInput | PostmortemReminderInput>();
  const scheduler: EscalationScheduler = {
    schedule: async (name, _at, input) => (schedules.has(name) ? 'exists' : (schedules.set(name, input), 'created')),
    cancel: async (name) => (schedules.delete(name) ? 'deleted' : 'gone'),
  };
  /** What Lambda still has to run: asynchronous invokes (timer requests, handed-on redraws) and the retries of what failed. */
  const pending: Array<Promise<unknown>> = [];
  const handedOn: Array<{ alarmKey: string; incidentId: string }> = [];
  const secrets = { getSecretString: async (arn: string) => (arn === SIGNING_SECRET_ARN ? JSON.stringify({ signingSecret: SIGNING_SECRET }) : TOKEN) };
  const common = { secrets, delivery: FAST, log: (e: LogEntry) => logs.push(e), now: () => now.ms, store };
  const context = (ms = 8000) => ({ getRemainingTimeInMillis: () => ms, awsRequestId: 'req', invokedFunctionArn: ESCALATION_ARN });
  const escalation = (event: unknown) => createEscalationHandler({ ...common, env: envs.escalation, scheduler,
    alarmStates: { current: async () => ({ kind: 'found', state: 'ALARM', type: 'MetricAlarm' }) }, publisher: { publish: async () => undefined } })(event, context());
  const timers = { request: async (alarmKey: string) => void pending.push(escalation({ source: 'cdk-runbook-alarms', kind: 'keep-timer', alarmKey }).catch(() => undefined)) };
  /** How often the click loaded the hand-off's client ahead (while Slack kept it waiting). */
  const prepared = { count: 0 };
  const redraws = { request: async (alarmKey: string, incidentId: string) => void handedOn.push({ alarmKey, incidentId }), prepare: () => void prepared.count++ };
  return {
    store, logs, now, schedules, pending, handedOn, prepared, escalation,
    notifier: (event: unknown) => createHandler({ ...common, env: envs.notifier, timers })(event, context()),
    // As deployed, only the answer budget bounds a click's calls (each may take the whole of it).
    interactivity: (request: unknown) => createInteractivityHandler({ ...common, delivery: { ...FAST, attemptTimeoutMs: 5000 }, env: envs.interactivity, scheduler, redraws })(request as never, context()),
    /** The parent as any function draws it from `r`. */
    render: (r: IncidentRecord) => appParentDrawing(createAppRuntime({ ...common, env: envs.notifier }, () => store)).render(r),
  };
}

let seq = 0;
/** SNS delivering the alarm's change to `state` at `at` (`messageId` repeated for a duplicate delivery). */
function sns(state: 'ALARM' | 'OK', at: number, messageId = `m-${++seq}`) {
  const message = alarmMessage({ AlarmName: 'Payments/DbConnections', AlarmArn: ALARM_ARN, AlarmDescription: SEV1, NewStateValue: state,
    OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM', StateChangeTime: new Date(at).toISOString().replace('Z', '+0000'), NewStateReason: `${state} at ${at}` });
  return { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: messageId, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] };
}

/** Runs `attempt` and, as Lambda does for a failed asynchronous invoke, up to `retries` times more. */
async function withRetries(attempt: () => Promise<unknown>, retries: number): Promise<void> {
  for (let i = 0; i <= retries; i++) {
    try {
      await attempt();
      return;
    } catch {
      // Lambda runs it again
    }
  }
}

/** Until the stand-in has answered every call it holds (a slow update lands, or is dropped with its client). */
async function settled(w: ReturnType<typeof world>) {
  for (let i = 0; i < 400 && (slack.inFlight.count > 0 || w.pending.length > 0); i++) {
    await Promise.all(w.pending.splice(0));
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Opens the page (no faults): its parent, its timer. */
async function opened(w: ReturnType<typeof world>) {
  await w.notifier(sns('ALARM', T0));
  await settled(w);
  const parent = slack.parents('C0INCIDENTS')[0];
  const record = (await w.store.get(ALARM_ARN))!;
  return { parent, record };
}

const click = (w: ReturnType<typeof world>, parent: StoredMessage, user: string) =>
  w.interactivity(signedRequest(blockActions(parent, user), Math.floor(w.now.ms / 1000)));

const fire = (r: IncidentRecord): EscalationTimerInput =>
  ({ source: 'cdk-runbook-alarms', kind: 'escalate', alarmKey: r.alarmKey, incidentId: r.incidentId, level: 1, since: escalationSince(r) });

/** The parent shows exactly what any function would draw from the stored incident. */
async function expectParentCurrent(w: ReturnType<typeof world>) {
  const parents = slack.parents('C0INCIDENTS');
  expect(parents).toHaveLength(1);
  const expected = w.render((await w.store.get(ALARM_ARN))!);
  expect({ text: parents[0].text, blocks: parents[0].blocks }).toEqual(JSON.parse(JSON.stringify(expected)));
}

const header = (m: { blocks?: any[] }) => m.blocks?.[0]?.text?.text as string;
let envs: FunctionEnvironments;
beforeEach(() => {
  slack.reset();
  envs = functionEnvironments('incidents', slack.url);
});

test('a click whose parent update Slack takes 1.5 s over, with the OK delivered meanwhile: the parent ends RESOLVED and acknowledged', async () => {
  const w = world(envs);
  const { parent } = await opened(w);
  w.now.ms = T0 + 2 * MIN;
  // The click's chat.update lands as Slack answers it, 1.5 s later; every other call is prompt.
  let slowed = false;
  slack.faults = (method) => (method === 'chat.update' && !slowed ? ((slowed = true), { delayMs: 1500 }) : undefined);
  const clicking = click(w, parent, 'U0ALICE');
  await new Promise((r) => setTimeout(r, 200));
  w.now.ms = T0 + 3 * MIN;
  await w.notifier(sns('OK', T0 + 3 * MIN - 5000));
  expect((await clicking).statusCode).toBe(200);
  await settled(w);
  expect(await w.store.get(ALARM_ARN)).toMatchObject({ state: 'OK', acknowledgedBy: 'U0ALICE' });
  expect(header(slack.parents('C0INCIDENTS')[0])).toMatch(/^✅ SEV1 · RESOLVED after 3 min/);
  await expectParentCurrent(w);
  // The click's own update landed after the OK's, and the click then drew the stored state again.
  expect(slack.parents('C0INCIDENTS')[0].history.map(header).slice(-2)).toEqual([expect.stringMatching(/^🔴/), expect.stringMatching(/^✅/)]);
});

test('an escalation whose parent update is the slow one, with the acknowledgement landing meanwhile: the parent ends acknowledged', async () => {
  const w = world(envs);
  const { parent, record } = await opened(w);
  w.now.ms = T0 + 5 * MIN + 10_000;
  let slowed = false;
  slack.faults = (method) => (method === 'chat.update' && !slowed ? ((slowed = true), { delayMs: 1200 }) : undefined);
  const firing = w.escalation(fire(record));
  await new Promise((r) => setTimeout(r, 300));
  expect((await click(w, parent, 'U0ALICE')).statusCode).toBe(200);
  expect(await firing).toMatchObject({ kind: 'escalated', escalationLevel: 1 });
  await settled(w);
  expect(JSON.stringify(slack.parents('C0INCIDENTS')[0].blocks)).toContain('*Acknowledged* by <@U0ALICE>');
  await expectParentCurrent(w);
});

test('a click Slack answers at once loads nothing for a hand-off and hands nothing on', async () => {
  const w = world(envs);
  const { parent } = await opened(w);
  w.now.ms = T0 + 2 * MIN;
  expect((await click(w, parent, 'U0ALICE')).statusCode).toBe(200);
  expect(w.prepared.count).toBe(0);
  expect(w.handedOn).toEqual([]);
  await expectParentCurrent(w);
});

test('a click that runs out of Slack\'s three seconds hands the parent to the escalation function, which draws it', async () => {
  const w = world(envs);
  const { parent } = await opened(w);
  w.now.ms = T0 + 2 * MIN;
  // Slack holds every update past the click's budget (and drops it, its client gone) until the click has answered.
  let answered = false;
  slack.faults = (method) => (method === 'chat.update' && !answered ? { delayMs: 2600 } : undefined);
  const started = Date.now();
  const answer = await click(w, parent, 'U0ALICE');
  answered = true;
  expect(answer.statusCode).toBe(200);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(w.handedOn).toEqual([{ alarmKey: ALARM_ARN, incidentId: (await w.store.get(ALARM_ARN))!.incidentId }]);
  // Its client was loaded while Slack kept the click waiting, not out of the 300 ms kept back.
  expect(w.prepared.count).toBe(1);
  expect(w.logs.find((l) => l.msg.startsWith('acknowledged; the parent is behind'))).toMatchObject({ level: 'warn',
    error: expect.stringMatching(/the 2\.5 s answer budget/) });
  expect(JSON.stringify(slack.parents('C0INCIDENTS')[0].blocks)).not.toContain('Acknowledged');
  expect(await w.escalation({ source: 'cdk-runbook-alarms', kind: 'redraw-parent', ...w.handedOn[0] })).toEqual({ kind: 'redrawn', parent: 'current' });
  expect(JSON.stringify(slack.parents('C0INCIDENTS')[0].blocks)).toContain('*Acknowledged* by <@U0ALICE> after 2 min');
  await expectParentCurrent(w);
});

/** What can go wrong with one chat.update: nothing, slow (landing on arrival or on answer), lost after landing, refused. */
const updateFault: fc.Arbitrary<Fault | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.record({ delayMs: fc.integer({ min: 0, max: 900 }), applies: fc.constantFrom('on-arrival' as const, 'on-answer' as const) }) },
  { weight: 1, arbitrary: fc.record({ delayMs: fc.integer({ min: 0, max: 300 }), lostAnswer: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ delayMs: fc.integer({ min: 0, max: 200 }), refuse: fc.constantFrom(500, 503, 429) }) },
);

/** What happens to the incident once it is open, each at its own moment (ms after the race starts). */
const actions = fc.record({
  clicks: fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), user: fc.constantFrom('U0ALICE', 'U0BOB') }), { maxLength: 2 }),
  oks: fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), duplicate: fc.boolean() }), { maxLength: 2 }),
  fires: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 2 }),
  /** An ALARM delivered late, older than the page (it says when the incident really fired). */
  earlier: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  /** Back in ALARM after the OK (a flapping alarm). */
  again: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  updates: fc.array(updateFault, { maxLength: 8 }),
  posts: fc.array(fc.option(fc.record({ delayMs: fc.integer({ min: 0, max: 300 }) }), { nil: undefined }), { maxLength: 4 }),
});

test('whatever the three functions do to one incident, in whatever order, however Slack answers: the parent ends showing what is stored', async () => {
  await fc.assert(fc.asyncProperty(actions, async (a) => {
    slack.reset();
    const w = world(envs);
    const { parent, record } = await opened(w);
    w.now.ms = T0 + 6 * MIN;
    // Slack misbehaves for the first calls, then recovers (so Lambda's retries can succeed).
    const updates = [...a.updates];
    const posts = [...a.posts];
    slack.faults = (method) => (method === 'chat.update' ? updates.shift() : method === 'chat.postMessage' ? posts.shift() : undefined);
    const at = (ms: number, run: () => Promise<unknown>) => new Promise((r) => setTimeout(r, ms)).then(run);
    const failed: Array<() => Promise<unknown>> = [];
    /** An asynchronous invoke: a failure is retried by Lambda, after the race. */
    const invoke = (ms: number, run: () => Promise<unknown>) => at(ms, () => run().catch(() => failed.push(run)));
    const okAt = T0 + 5 * MIN;
    const okMessage = `ok-${++seq}`;
    await Promise.all([
      ...a.clicks.map((c) => at(c.at, () => click(w, parent, c.user))),
      ...a.oks.map((o) => invoke(o.at, () => w.notifier(sns('OK', okAt, o.duplicate ? okMessage : undefined)))),
      ...a.fires.map((ms) => invoke(ms, () => w.escalation(fire(record)))),
      ...(a.earlier !== undefined ? [invoke(a.earlier, () => w.notifier(sns('ALARM', T0 - MIN)))] : []),
      ...(a.again !== undefined ? [invoke(a.again, () => w.notifier(sns('ALARM', okAt + MIN)))] : []),
    ]);
    await settled(w);
    for (const retry of failed) await withRetries(retry, 4);
    for (const r of w.handedOn) await withRetries(() => w.escalation({ source: 'cdk-runbook-alarms', kind: 'redraw-parent', ...r }), 2);
    await settled(w);
    await expectParentCurrent(w);
  }), { numRuns: 15 });
}, 180_000);
