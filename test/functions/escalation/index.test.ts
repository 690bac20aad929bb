// Acknowledgement and escalation end to end, time compressed, with real parts: the notifier, the
// interactivity and the escalation handlers configured as the construct synthesizes them; dynalite
// as the incident table; the Slack Web API stand-in; and stand-ins for EventBridge Scheduler, SNS
// and Lambda's asynchronous invoke reached through AWS_ENDPOINT_URL_<SERVICE> exactly as the
// functions reach AWS. The clock is injected; a schedule "fires" when the test takes it at its
// time and invokes its target with its Input, as Scheduler would.
import { GetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LogEntry, createHandler } from '../../../lib/functions/notifier/app';
import { alarmMessage, alarmStateChangeEvent } from '../../support/slack';
import { AwsStandIn } from '../../support/aws-stand-in';
import { Dynalite, createIncidentTable, startDynalite } from '../../support/dynalite';
import {
  ESCALATION_ARN, FunctionEnvironments, SCHEDULER_ROLE_ARN, SIGNING_SECRET, TOKEN, TOPICS, acknowledgeButton, blockActions, functionEnvironments, signedRequest,
} from '../../support/escalation-setup';
import { FAST, OnCallStandIns, onCallFunctions, startOnCallStandIns } from '../../support/on-call-stand-ins';
import { SlackWebApiStandIn, StoredMessage } from '../../support/slack-web-api-stand-in';

const T0 = Date.UTC(2026, 10, 23, 2, 14, 0);
const MIN = 60_000;
const SEV1 = 'Database connections exhausted; checkouts fail.\n\nSeverity: SEV1\nRunbook: https://github.com/acme/ops/blob/main/runbooks/db.md\nFirst move: Fail over to the replica\nOwner: payments';

let dynamo: Dynalite;
let slack: SlackWebApiStandIn;
let aws: AwsStandIn;
let stands: OnCallStandIns;
beforeAll(async () => {
  stands = await startOnCallStandIns([{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }], TOPICS);
  ({ dynamo, slack, aws } = stands);
});
afterAll(() => stands.close());

let table: string;
let envs: FunctionEnvironments;
let now: number;
let logs: LogEntry[];
let system: ReturnType<typeof makeSystem>;
beforeEach(async () => {
  slack.reset();
  aws.reset();
  table = await createIncidentTable(dynamo.endpoint);
  envs = functionEnvironments(table, slack.url);
  now = T0 + 10_000;
  logs = [];
  system = makeSystem();
});

function makeSystem() {
  return onCallFunctions(envs, logs, () => now);
}

const context = (arn?: string) => ({ getRemainingTimeInMillis: () => 8000, awsRequestId: 'req', invokedFunctionArn: arn });

/** Lambda delivers the queued asynchronous invocations (the notifier's timer requests) to the escalation function. */
async function drain() {
  while (aws.invocations.length > 0) {
    const { functionName, payload } = aws.invocations.shift()!;
    expect(functionName).toBe(ESCALATION_ARN);
    await system.escalation(payload, context(ESCALATION_ARN));
  }
}

let seq = 0;
const ALARM_NAME = 'Payments/DbConnections';
const ALARM_ARN_OF_TEST = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/DbConnections';
/** CloudWatch's alarm changes state and (unless `deliver` is false) SNS delivers its notification now. */
async function alarm(state: 'ALARM' | 'OK', at: number, description = SEV1, deliver = true) {
  aws.alarms.set(ALARM_NAME, { type: 'MetricAlarm', state, at });
  if (!deliver) return undefined;
  const message = alarmMessage({ AlarmName: 'Payments/DbConnections', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/DbConnections',
    AlarmDescription: description, NewStateValue: state, OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM', StateChangeTime: new Date(at).toISOString().replace('Z', '+0000') });
  const result = await system.notifier({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: `m-${++seq}`, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] }, context());
  await drain();
  return result;
}

/** Scheduler at `now`: every due schedule fires (and deletes itself); its target gets its Input. */
async function schedulerTick() {
  const fired = aws.takeDue(now);
  const outcomes = [];
  for (const s of fired) {
    expect(s.target.Arn).toBe(ESCALATION_ARN);
    outcomes.push(await system.escalation(JSON.parse(s.target.Input!), context(s.target.Arn)));
    await drain();
  }
  return outcomes;
}

async function click(user: string, parent: StoredMessage, options: Parameters<typeof signedRequest>[2] = {}, actionId = 'acknowledge') {
  return system.interactivity(signedRequest(blockActions(parent, user, actionId), Math.floor(now / 1000), options) as never, context());
}

async function incident(): Promise<Record<string, any>> {
  const client = new DynamoDBClient({});
  const out = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'incident#arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/DbConnections' } }, ConsistentRead: true }));
  client.destroy();
  return Object.fromEntries(Object.entries(out.Item ?? {}).map(([k, v]) => [k, 'N' in v ? Number(v.N) : (v as { S: string }).S]));
}

async function postmortemItem(incidentId: string): Promise<Record<string, any>> {
  const client = new DynamoDBClient({});
  const out = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `postmortem#${incidentId}` } }, ConsistentRead: true }));
  client.destroy();
  return Object.fromEntries(Object.entries(out.Item ?? {}).map(([k, v]) => [k, 'N' in v ? Number(v.N) : (v as { S: string }).S]));
}

/** The escalation timers among the schedules (postmortem reminders are schedules too). */
const escalationTimers = () => [...aws.schedules.values()].filter((s) => JSON.parse(s.target.Input!).kind === 'escalate');

const parentOf = () => slack.parents('C0INCIDENTS')[0];
const thread = () => slack.replies('C0INCIDENTS', parentOf().ts);
const text = (m: StoredMessage) => JSON.stringify(m.blocks);
const metrics = (name: string) => logs.filter((l) => (l as any)._aws && name in l);

test('ALARM → no acknowledgement → escalation at escalate_after → acknowledgement → no further escalation → OK → MTTA and MTTR recorded', async () => {
  await alarm('ALARM', T0);
  const parent = parentOf();
  // The page: the paged contact mentioned, an Acknowledge button, the escalation plan shown.
  expect(parent.text).toMatch(/^<!subteam\^S0PRIMARY> \[SEV1\] ALARM: Payments\/DbConnections/);
  expect(acknowledgeButton(parent)).toBeDefined();
  expect(text(parent)).toContain('unacknowledged after 5 min → secondary_oncall, after 10 min → team_lead');
  // The timer: a one-time schedule in the group at fired + 5 min, invoking the escalation function with the scheduler role.
  const [first] = [...aws.schedules.values()];
  expect(first).toMatchObject({ group: envs.group, expression: 'at(2026-11-23T02:19:00)', timezone: 'UTC', actionAfterCompletion: 'DELETE',
    target: { Arn: ESCALATION_ARN, RoleArn: SCHEDULER_ROLE_ARN }, flexibleTimeWindow: { Mode: 'OFF' } });
  expect(JSON.parse(first.target.Input!)).toMatchObject({ kind: 'escalate', level: 1, incidentId: (await incident()).incidentId });

  now = T0 + 4 * MIN + 59_000;
  expect(await schedulerTick()).toEqual([]);
  now = T0 + 5 * MIN + 20_000; // Scheduler fires within its minute
  expect(await schedulerTick()).toEqual([expect.objectContaining({ kind: 'escalated', escalationLevel: 1, contacts: ['secondary_oncall'], published: 1 })]);
  expect(aws.published).toEqual([expect.objectContaining({ topicArn: TOPICS[0], subject: '[SEV1] Escalated: Payments/DbConnections' })]);
  expect(aws.published[0].message).toMatch(/not acknowledged for 5 min: Payments\/DbConnections[\s\S]*First move: Fail over to the replica/);
  expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/^<@U0SECOND> \[SEV1\] Escalated \(not acknowledged after 5 min\): Payments\/DbConnections/)]);
  expect(text(thread()[0])).toContain('Level 1 of 2. Next: team_lead in 5 min unless acknowledged.');
  expect(text(parentOf())).toContain('*Escalated* to secondary_oncall');
  // The next level's timer: 5 min after the first escalation.
  expect([...aws.schedules.values()].map((s) => [s.expression, JSON.parse(s.target.Input!).level])).toEqual([['at(2026-11-23T02:24:20)', 2]]);

  now = T0 + 7 * MIN;
  const answer = await click('U0ALICE', parentOf());
  expect(answer.statusCode).toBe(200);
  const acked = parentOf();
  expect(text(acked)).toContain(':raised_hand: *Acknowledged* by <@U0ALICE> after 7 min');
  expect(acknowledgeButton(acked)).toBeUndefined();
  expect(thread().at(-1)!.text).toBe('[SEV1] Acknowledged by <@U0ALICE> after 7 min: Payments/DbConnections');
  expect(text(thread().at(-1)!)).toContain('Escalation stopped.');
  expect(aws.schedules.size).toBe(0);
  expect(aws.calls.filter((c) => c.operation === 'DeleteSchedule').map((c) => c.status)).toEqual([200]);

  now = T0 + 15 * MIN;
  expect(await schedulerTick()).toEqual([]);
  expect(aws.published).toHaveLength(1);

  now = T0 + 23 * MIN + 5000;
  await alarm('OK', T0 + 23 * MIN);
  expect(thread().at(-2)!.text).toMatch(/^\[SEV1\] RESOLVED after 23 min/);
  // A SEV1 resolved: its postmortem is asked for in the thread, and its reminders are one-time schedules in the
  // same group, invoking the escalation function with the scheduler role (the business day before, when due, at the limit).
  expect(thread().at(-1)!.text).toBe('Postmortem due by 2026-11-25 02:37:00 UTC: Payments/DbConnections');
  const reminders = [...aws.schedules.values()].filter((s) => JSON.parse(s.target.Input!).kind === 'postmortem-reminder');
  expect(reminders.map((s) => [s.expression, JSON.parse(s.target.Input!).reminder])).toEqual([
    ['at(2026-11-24T02:37:00)', 'before'], ['at(2026-11-25T02:37:00)', 'due'], ['at(2026-11-30T02:37:00)', 'limit'],
  ]);
  for (const r of reminders) expect(r).toMatchObject({ group: envs.group, timezone: 'UTC', actionAfterCompletion: 'DELETE', target: { Arn: ESCALATION_ARN, RoleArn: SCHEDULER_ROLE_ARN } });
  expect(await postmortemItem((await incident()).incidentId)).toMatchObject({ state: 'due', dueAt: Date.UTC(2026, 10, 25, 2, 37) });
  expect(text(parentOf())).toContain(':memo: *Postmortem due* by');
  expect(await incident()).toMatchObject({ mttaSeconds: 420, mttrSeconds: 1380, acknowledgedBy: 'U0ALICE', escalatedLevel: 1 });
  // One data point each, in the Embedded Metric Format, per severity.
  const [mtta] = metrics('MTTA');
  const [mttr] = metrics('MTTR');
  expect(mtta).toMatchObject({ Severity: 'SEV1', MTTA: 420, _aws: { CloudWatchMetrics: [{ Namespace: 'RunbookAlarms', Dimensions: [['Severity']], Metrics: [{ Name: 'MTTA', Unit: 'Seconds' }] }] } });
  expect(mttr).toMatchObject({ Severity: 'SEV1', MTTR: 1380, _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: 'MTTR', Unit: 'Seconds' }] }] } });
  expect(metrics('MTTA')).toHaveLength(1);
  expect(metrics('MTTR')).toHaveLength(1);
  expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  expect(JSON.stringify(logs)).not.toContain(SIGNING_SECRET);
  expect(JSON.stringify(logs)).not.toContain(TOKEN);
});

test('acknowledged before escalate_after: the timer is deleted, and a fire that comes anyway escalates nothing', async () => {
  await alarm('ALARM', T0);
  const [timer] = [...aws.schedules.values()];
  now = T0 + 2 * MIN;
  expect((await click('U0ALICE', parentOf())).statusCode).toBe(200);
  expect(aws.schedules.size).toBe(0);
  expect(text(parentOf())).toContain('Acknowledged* by <@U0ALICE> after 2 min');
  // Scheduler had already started invoking when the delete landed: the function checks first.
  now = T0 + 5 * MIN;
  expect(await system.escalation(JSON.parse(timer.target.Input!), context(ESCALATION_ARN))).toEqual({ kind: 'skipped', why: 'the incident was acknowledged' });
  expect(aws.published).toEqual([]);
  expect(thread().map((m) => m.text)).toEqual(['[SEV1] Acknowledged by <@U0ALICE> after 2 min: Payments/DbConnections']);
  expect(await incident()).toMatchObject({ mttaSeconds: 120 });
  expect((await incident()).escalatedLevel).toBeUndefined();
});

test('OK before escalate_after: the timer is cancelled; even one whose delete failed fires into a resolved incident and does nothing', async () => {
  await alarm('ALARM', T0);
  expect(aws.schedules.size).toBe(1);
  aws.failNext('DeleteSchedule', 3); // Scheduler refuses the delete (every SDK attempt)
  now = T0 + 3 * MIN;
  await alarm('OK', T0 + 3 * MIN - 5000);
  expect(escalationTimers()).toHaveLength(1);
  expect(logs.some((l) => l.msg.startsWith('escalation timer not cancelled'))).toBe(true);
  now = T0 + 5 * MIN + 1000;
  expect(await schedulerTick()).toEqual([{ kind: 'skipped', why: 'the incident is resolved, not in ALARM' }]);
  expect(aws.published).toEqual([]);
  expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/^\[SEV1\] RESOLVED after 3 min/), expect.stringMatching(/^Postmortem due by/)]);
  expect(await incident()).toMatchObject({ mttrSeconds: 175 });
  expect((await incident()).mttaSeconds).toBeUndefined();
  // The resolved parent offers no Acknowledge button.
  expect(acknowledgeButton(parentOf())).toBeUndefined();
});

describe('at fire time the escalation function asks CloudWatch for the alarm\'s state (SNS may still be retrying the OK)', () => {
  const described = () => aws.calls.filter((c) => c.service === 'cloudwatch');

  test.each(['OK', 'INSUFFICIENT_DATA'] as const)('the alarm is %s now but its notification has not arrived: nobody is paged, no reply, no next timer; a late OK then resolves the incident', async (state) => {
    await alarm('ALARM', T0);
    const opened = await incident();
    const input = JSON.parse([...aws.schedules.values()][0].target.Input!);
    // The alarm recovers at 4 min; SNS holds the OK past escalate_after.
    aws.alarms.set(ALARM_NAME, { type: 'MetricAlarm', state, at: T0 + 4 * MIN });
    now = T0 + 5 * MIN + 20_000;
    const [outcome] = await schedulerTick();
    expect(outcome).toEqual({ kind: 'skipped', alarmState: state,
      why: `the alarm is ${state} now since 2026-11-23T02:18:00.000Z (CloudWatch): its notification has not arrived yet, and resolves the incident when it does` });
    expect(described().map((c) => [c.operation, c.status, c.body])).toEqual([['DescribeAlarms', 200, { AlarmNames: [ALARM_NAME], AlarmTypes: ['MetricAlarm', 'CompositeAlarm', 'LogAlarm'] }]]);
    expect(aws.published).toEqual([]);
    expect(thread()).toEqual([]);
    expect(aws.schedules.size).toBe(0);
    expect(text(parentOf())).not.toContain('*Escalated*');
    expect(logs.find((l) => l.msg === 'escalation not needed')).toMatchObject({ level: 'info', alarmState: state, escalationLevel: 1, incidentId: opened.incidentId });
    // Nothing is invented: the incident is still as the notifications left it, for the pending one to resolve.
    const held = await incident();
    expect(held).toMatchObject({ state: 'ALARM', version: opened.version });
    expect(held.resolvedAt).toBeUndefined();
    expect(held.escalatedLevel).toBeUndefined();
    // A duplicate fire finds the level done and asks nobody.
    expect(await system.escalation(input, context(ESCALATION_ARN))).toEqual({ kind: 'skipped', why: 'this level was handled before (a duplicate fire)' });
    expect(described()).toHaveLength(1);
    // The OK lands at last: resolved at the alarm's own time, MTTR from it.
    if (state === 'OK') {
      now = T0 + 7 * MIN;
      await alarm('OK', T0 + 4 * MIN);
      expect(await incident()).toMatchObject({ state: 'OK', resolvedAt: T0 + 4 * MIN, mttrSeconds: 240 });
      expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/^\[SEV1\] RESOLVED after 4 min/), expect.stringMatching(/^Postmortem due by/)]);
      expect(aws.published).toEqual([]);
    }
  });

  test('the alarm is still in ALARM: it escalates as before; a composite alarm is found too (DescribeAlarms returns composites only when asked)', async () => {
    await alarm('ALARM', T0);
    aws.alarms.set(ALARM_NAME, { type: 'CompositeAlarm', state: 'ALARM', at: T0 });
    now = T0 + 5 * MIN + 20_000;
    expect(await schedulerTick()).toEqual([expect.objectContaining({ kind: 'escalated', escalationLevel: 1, contacts: ['secondary_oncall'], published: 1 })]);
    expect(described().map((c) => c.status)).toEqual([200]);
    expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/^<@U0SECOND> \[SEV1\] Escalated/)]);
    expect(logs.filter((l) => l.level !== 'info')).toEqual([]);
  });

  test('the alarm was deleted: nobody is paged, and the log says why', async () => {
    await alarm('ALARM', T0);
    aws.alarms.delete(ALARM_NAME);
    now = T0 + 5 * MIN + 20_000;
    expect(await schedulerTick()).toEqual([{ kind: 'skipped', alarmState: 'DELETED', why: 'the alarm no longer exists (deleted): nobody is paged for it' }]);
    expect(described().map((c) => c.status)).toEqual([200]);
    expect(aws.published).toEqual([]);
    expect(thread()).toEqual([]);
    expect(aws.schedules.size).toBe(0);
    expect(logs.find((l) => l.msg === 'escalation not needed')).toMatchObject({ why: expect.stringMatching(/no longer exists/), alarmState: 'DELETED' });
  });

  test.each([
    ['answers 500 to every attempt', () => aws.failNext('DescribeAlarms', 3, 500, 'InternalServiceFault'), /InternalServiceFault/, 3],
    ['refuses the role (access denied: not retried)', () => aws.failNext('DescribeAlarms', 3, 403, 'AccessDenied'), /AccessDenied/, 1],
    ['hangs on every attempt', () => aws.stallNext('DescribeAlarms', 3), /TimeoutError|timed? ?out/i, 3],
  ] as const)('CloudWatch %s: it escalates anyway, with a warning (a spurious page is better than a missed one)', async (_name, fail, error, attempts) => {
    await alarm('ALARM', T0);
    aws.alarms.set(ALARM_NAME, { type: 'MetricAlarm', state: 'OK', at: T0 + 4 * MIN }); // what it would have said
    fail();
    now = T0 + 5 * MIN + 20_000;
    const started = Date.now();
    const fired = aws.takeDue(now);
    expect(fired).toHaveLength(1);
    const outcome = await system.escalation(JSON.parse(fired[0].target.Input!), { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'req', invokedFunctionArn: ESCALATION_ARN });
    await drain();
    expect(outcome).toMatchObject({ kind: 'escalated', escalationLevel: 1, published: 1 });
    // Bounded like every AWS call of the functions: 3 attempts, 2.5 s each at most.
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(described().length).toBe(attempts);
    expect(aws.published.map((p) => p.topicArn)).toEqual([TOPICS[0]]);
    expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/^<@U0SECOND> \[SEV1\] Escalated/)]);
    expect(logs.filter((l) => l.level === 'warn')).toEqual([expect.objectContaining({ msg: 'alarm state unknown: escalating anyway', alarmName: ALARM_NAME, error: expect.stringMatching(error),
      fix: expect.stringContaining('cloudwatch:DescribeAlarms') })]);
  });
});

describe('requests that are not correctly signed Slack clicks are refused and change nothing', () => {
  let before: Record<string, any>;
  let parent: StoredMessage;
  beforeEach(async () => {
    await alarm('ALARM', T0);
    now = T0 + MIN;
    parent = parentOf();
    before = await incident();
    slack.reset();
  });
  afterEach(async () => {
    expect(await incident()).toEqual(before);
    expect(slack.calls).toEqual([]);
    expect(aws.schedules.size).toBe(1);
    expect(JSON.stringify(logs)).not.toContain(SIGNING_SECRET);
    expect(JSON.stringify(logs)).not.toMatch(/v0=[0-9a-f]{64}/);
  });
  const nowS = () => Math.floor(now / 1000);
  const cases: Array<[string, () => unknown, number, RegExp]> = [
    ['forged: signed with another secret', () => signedRequest(blockActions(parent, 'U0MALLORY'), nowS(), { secret: 'another-secret-of-32-characters0' }), 401, /signature does not match/],
    ['replayed: a real request six minutes later', () => signedRequest(blockActions(parent, 'U0ALICE'), nowS() - 360), 401, /timestamp 360 s away from now/],
    ['tampered: the body changed after signing', () => {
      const e = signedRequest(blockActions(parent, 'U0ALICE'), nowS());
      return { ...e, body: e.body.replace('U0ALICE', 'U0MALLORY') };
    }, 401, /signature does not match/],
    ['unsigned: no signature headers', () => {
      const e = signedRequest(blockActions(parent, 'U0ALICE'), nowS());
      return { ...e, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    }, 401, /no X-Slack-Request-Timestamp/],
    ['oversized: a body over 128 KB', () => signedRequest({ ...blockActions(parent, 'U0ALICE'), padding: 'x'.repeat(140_000) }, nowS()), 400, /body of \d+ bytes/],
    ['malformed: signed, but the payload is not JSON', () => signedRequest(undefined, nowS(), { body: 'payload=%7Bnot-json' }), 400, /payload is not JSON/],
    ['malformed: signed, but no payload field', () => signedRequest(undefined, nowS(), { body: 'command=%2Fack&text=x' }), 400, /no payload field/],
    ['unknown action', () => signedRequest(blockActions(parent, 'U0ALICE', 'delete-everything'), nowS()), 400, /unknown action delete-everything/],
    ['an acknowledge that names no incident', () => signedRequest(blockActions(parent, 'U0ALICE', 'acknowledge', 'not-an-incident'), nowS()), 400, /without a user, a channel or an incident/],
    ['not a POST', () => ({ ...signedRequest(blockActions(parent, 'U0ALICE'), nowS()), requestContext: { http: { method: 'GET', sourceIp: '192.0.2.10' } } }), 405, /method GET/],
  ];
  test.each(cases)('%s', async (_name, request, status, why) => {
    const answer = await system.interactivity(request() as never, context());
    expect(answer.statusCode).toBe(status);
    const [refused] = logs.filter((l) => l.msg === 'interactivity request refused');
    expect(refused).toMatchObject({ level: 'warn', status, sourceIp: '192.0.2.10' });
    expect(String(refused.why)).toMatch(why);
    // A few words that reveal nothing; a 405 says which method is allowed (RFC 9110).
    expect(answer.body).toBe({ 400: 'bad request', 401: 'unauthorized', 405: 'method not allowed' }[status]);
    expect(answer.headers.allow).toBe(status === 405 ? 'POST' : undefined);
  });
});

test('repeated clicks are harmless: the first acknowledgement wins; a link button click is answered and changes nothing; a base64 body is read', async () => {
  await alarm('ALARM', T0);
  const parent = parentOf();
  const button = acknowledgeButton(parent)!.value;
  now = T0 + 3 * MIN;
  // Two people click at once (two containers): exactly one acknowledgement.
  const other = makeSystem();
  const [a, b] = await Promise.all([
    system.interactivity(signedRequest(blockActions(parent, 'U0ALICE'), Math.floor(now / 1000), { base64: true }) as never, context()),
    other.interactivity(signedRequest(blockActions(parent, 'U0BOB'), Math.floor(now / 1000)) as never, context()),
  ]);
  expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
  const record = await incident();
  expect(['U0ALICE', 'U0BOB']).toContain(record.acknowledgedBy);
  expect(thread().filter((m) => /Acknowledged/.test(m.text))).toHaveLength(1);
  expect(slack.ephemerals).toEqual([expect.objectContaining({ user: record.acknowledgedBy === 'U0ALICE' ? 'U0BOB' : 'U0ALICE', text: `Already acknowledged by <@${record.acknowledgedBy}> after 3 min.` })]);
  expect(metrics('MTTA')).toHaveLength(1);
  // Later clicks, on the stale button: nothing changes.
  now = T0 + 4 * MIN;
  const stale = (user: string, actionId = 'acknowledge') =>
    system.interactivity(signedRequest(blockActions(parent, user, actionId, button), Math.floor(now / 1000)) as never, context());
  expect((await stale('U0CAROL')).statusCode).toBe(200);
  expect((await stale('U0CAROL', 'open-runbook')).statusCode).toBe(200);
  expect(await incident()).toEqual(record);
  expect(thread().filter((m) => /Acknowledged/.test(m.text))).toHaveLength(1);
});

test('the same level fired twice at once (a duplicate delivery) escalates once: one page, one reply', async () => {
  await alarm('ALARM', T0);
  const [timer] = [...aws.schedules.values()];
  now = T0 + 5 * MIN;
  const input = JSON.parse(timer.target.Input!);
  const other = makeSystem();
  const outcomes = await Promise.allSettled([system.escalation(input, context(ESCALATION_ARN)), other.escalation(input, context(ESCALATION_ARN))]);
  // One escalates; the other finds it done, or busy (and fails, for Lambda to retry: then it finds it done).
  const retried = await Promise.all(outcomes.map((o) => (o.status === 'rejected' ? system.escalation(input, context(ESCALATION_ARN)) : o.value)));
  expect(retried.filter((o) => o.kind === 'escalated')).toHaveLength(1);
  expect(aws.published).toHaveLength(1);
  expect(thread().filter((m) => /Escalated/.test(m.text))).toHaveLength(1);
});

test('an SNS page that fails fails the invocation; the retry pages once and does not reply in the thread again', async () => {
  await alarm('ALARM', T0);
  now = T0 + 5 * MIN;
  const [timer] = aws.takeDue(now); // it fired (and deleted itself); the invocation fails
  aws.failNext('Publish', 3);
  await expect(system.escalation(JSON.parse(timer.target.Input!), context(ESCALATION_ARN))).rejects.toThrow(/SNS page\(s\) not published/);
  expect(aws.published).toEqual([]);
  // Pages go first (a phone does not depend on Slack); the retry (Lambda's) then does each once.
  const retry = await system.escalation(JSON.parse(timer.target.Input!), context(ESCALATION_ARN));
  expect(retry).toMatchObject({ kind: 'escalated', published: 1 });
  expect(aws.published).toHaveLength(1);
  expect(thread().filter((m) => /Escalated/.test(m.text))).toHaveLength(1);
  // The last level (team lead) is next.
  expect([...aws.schedules.values()].map((s) => JSON.parse(s.target.Input!).level)).toEqual([2]);
});

test('the last level pages the team lead and sets no further timer', async () => {
  await alarm('ALARM', T0);
  now = T0 + 5 * MIN;
  await schedulerTick();
  now = T0 + 10 * MIN;
  expect(await schedulerTick()).toEqual([expect.objectContaining({ kind: 'escalated', escalationLevel: 2, contacts: ['team_lead'] })]);
  expect(aws.published.map((p) => p.topicArn)).toEqual(TOPICS);
  expect(text(thread().at(-1)!)).toContain('Level 2 of 2. This was the last level.');
  expect(thread().at(-1)!.text).toMatch(/^<@U0LEAD> /);
  expect(aws.schedules.size).toBe(0);
  expect(text(parentOf())).toContain('*Escalated* to secondary_oncall, then team_lead');
});

test('a parked escalation re-driven from the failure queue (Lambda\'s on-failure record) is read, and does nothing once the incident is acknowledged', async () => {
  await alarm('ALARM', T0);
  now = T0 + 5 * MIN;
  const [timer] = aws.takeDue(now);
  const record = { version: '1.0', timestamp: new Date(now).toISOString(), requestContext: { requestId: 'x', functionArn: `${ESCALATION_ARN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: JSON.parse(timer.target.Input!), responseContext: { statusCode: 200, functionError: 'Unhandled' }, responsePayload: { errorMessage: 'escalation … failed' } };
  now = T0 + 6 * MIN;
  expect((await click('U0ALICE', parentOf())).statusCode).toBe(200);
  expect(await system.escalation(record, context(ESCALATION_ARN))).toEqual({ kind: 'skipped', why: 'the incident was acknowledged' });
  expect(aws.published).toEqual([]);
});

test('an unreadable plan in the environment turns escalation off and never stops delivery', async () => {
  const broken = createHandler({ secrets: { getSecretString: async () => TOKEN }, delivery: FAST, log: (e) => logs.push(e), now: () => now,
    env: { ...envs.notifier, ESCALATION_PLAN: '{not json' } });
  const message = alarmMessage({ AlarmDescription: SEV1, StateChangeTime: new Date(T0).toISOString().replace('Z', '+0000') });
  expect(await broken({ Records: [{ Sns: { MessageId: 'x', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] }, context())).toEqual({ delivered: 1, duplicates: 0 });
  expect(logs).toContainEqual(expect.objectContaining({ level: 'error', msg: 'escalation or contacts off: a plan is unreadable' }));
  expect(acknowledgeButton(slack.parents('C0INCIDENTS')[0])).toBeUndefined();
  expect(aws.invocations).toEqual([]);
});

test('OK then back in ALARM within the reopen window: a stale timer (its delete failed) escalates nothing early; the reopened page escalates escalate_after after it re-entered ALARM', async () => {
  await alarm('ALARM', T0);
  expect([...aws.schedules.values()].map((s) => s.at)).toEqual([T0 + 5 * MIN]);
  aws.failNext('DeleteSchedule', 3); // the cancel on OK fails: the first timer stays
  now = T0 + MIN;
  await alarm('OK', T0 + MIN - 5000);
  now = T0 + 2 * MIN;
  await alarm('ALARM', T0 + 2 * MIN - 5000); // back in ALARM: the same incident, reopened
  // The stale timer fires at T0 + 5 min, 3 min after the reopen: nothing is paged.
  now = T0 + 5 * MIN + 1000;
  const early = await schedulerTick();
  expect(early).toEqual([{ kind: 'skipped', why: expect.stringMatching(/stale/) }]);
  expect(aws.published).toEqual([]);
  expect(thread().filter((m) => /Escalated/.test(m.text))).toHaveLength(0);
  // The reopened page's own timer fires 5 min after it re-entered ALARM, and escalates.
  now = T0 + 7 * MIN - 5000 + 1000;
  expect(await schedulerTick()).toEqual([expect.objectContaining({ kind: 'escalated', escalationLevel: 1 })]);
  expect(aws.published.map((p) => p.topicArn)).toEqual([TOPICS[0]]);
  expect(thread().filter((m) => /Escalated/.test(m.text))).toHaveLength(1);
});

test('the table is unreachable when the OK arrives: the OK is posted, and the invocation fails until the incident has it, so the timer finds it resolved and pages nobody', async () => {
  await alarm('ALARM', T0);
  expect(aws.schedules.size).toBe(1);
  now = T0 + 3 * MIN;
  const okEvent = (id: string) => ({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: id, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(alarmMessage({
    AlarmName: 'Payments/DbConnections', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/DbConnections', AlarmDescription: SEV1,
    NewStateValue: 'OK', OldStateValue: 'ALARM', StateChangeTime: new Date(T0 + 3 * MIN - 5000).toISOString().replace('Z', '+0000') })) } }] });
  // A container whose DynamoDB does not answer (its client is bound to a dead endpoint).
  const gone = await startDynalite();
  await gone.close();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = gone.endpoint;
  const secrets = { getSecretString: async () => TOKEN };
  const down = createHandler({ secrets, delivery: FAST, log: (e: LogEntry) => logs.push(e), now: () => now, env: envs.notifier });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(down(okEvent('ok-1'), context())).rejects.toThrow(/not delivered to Slack/);
    }
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  }
  // The engineer learned of the recovery once (Lambda's retry on that container posted nothing more).
  expect(slack.parents('C0INCIDENTS').filter((m) => /RESOLVED/.test(m.text))).toHaveLength(1);
  expect(logs.some((l) => l.msg === 'incident table unavailable: posting the notification as a new message')).toBe(true);
  // Lambda's next retry lands on a container that reaches the table: the incident is resolved, its timer cancelled.
  expect(await system.notifier(okEvent('ok-1'), context())).toEqual({ delivered: 1, duplicates: 0 });
  await drain();
  expect(await incident()).toMatchObject({ state: 'OK' });
  expect(escalationTimers()).toHaveLength(0);
  now = T0 + 5 * MIN + 1000;
  expect(await schedulerTick()).toEqual([]);
  expect(aws.published).toEqual([]);
  expect(thread().filter((m) => /Escalated/.test(m.text))).toHaveLength(0);
  expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/^\[SEV1\] RESOLVED after 3 min/), expect.stringMatching(/^Postmortem due by/)]);
});

test('the table is unreachable when a page fires: it is posted, and the invocation fails until the incident is opened, so the page still gets its Acknowledge button and its timer', async () => {
  const gone = await startDynalite();
  await gone.close();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = gone.endpoint;
  const secrets = { getSecretString: async () => TOKEN };
  const down = createHandler({ secrets, delivery: FAST, log: (e: LogEntry) => logs.push(e), now: () => now, env: envs.notifier });
  const message = alarmMessage({ AlarmName: 'Payments/DbConnections', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/DbConnections',
    AlarmDescription: SEV1, NewStateValue: 'ALARM', OldStateValue: 'OK', StateChangeTime: new Date(T0).toISOString().replace('Z', '+0000') });
  const page = { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'page-1', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] };
  try {
    await expect(down(page, context())).rejects.toThrow(/not delivered to Slack/);
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  }
  expect(slack.parents('C0INCIDENTS')).toHaveLength(1);
  expect(await system.notifier(page, context())).toEqual({ delivered: 1, duplicates: 0 });
  await drain();
  expect(acknowledgeButton(slack.parents('C0INCIDENTS')[1])).toBeDefined();
  expect(aws.schedules.size).toBe(1);
});

test('a page the table refuses (a key past DynamoDB\'s 2 KB, from another publisher) is posted once and not retried: a retry cannot help', async () => {
  const arn = `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${'x'.repeat(3000)}`;
  const message = alarmMessage({ AlarmName: 'Payments/Huge', AlarmArn: arn, AlarmDescription: SEV1, NewStateValue: 'ALARM', OldStateValue: 'OK',
    StateChangeTime: new Date(T0).toISOString().replace('Z', '+0000') });
  const out = await system.notifier({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'huge-1', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] }, context());
  expect(out).toEqual({ delivered: 1, duplicates: 0 });
  expect(slack.parents('C0INCIDENTS').map((m) => m.text)).toEqual([expect.stringMatching(/\[SEV1\] ALARM: Payments\/Huge/)]);
  expect(logs.find((l) => l.level === 'error')).toMatchObject({ msg: 'incident table unavailable: posting the notification as a new message', code: 'ValidationException' });
});

test('a click while Scheduler hangs is still answered within Slack\'s 3 seconds, with the parent and the thread saying who acknowledged; the timer that stays finds the incident acknowledged', async () => {
  await alarm('ALARM', T0);
  now = T0 + 2 * MIN;
  aws.stallNext('DeleteSchedule', 3); // every SDK attempt of the cancel hangs
  const started = Date.now();
  const answer = await click('U0ALICE', parentOf());
  expect(answer.statusCode).toBe(200);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(JSON.stringify(parentOf().blocks)).toContain('*Acknowledged* by <@U0ALICE> after 2 min');
  expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/Acknowledged by <@U0ALICE> after 2 min/)]);
  expect(await incident()).toMatchObject({ acknowledgedBy: 'U0ALICE' });
  now = T0 + 5 * MIN + 1000;
  expect(await schedulerTick()).toEqual([{ kind: 'skipped', why: 'the incident was acknowledged' }]);
  expect(aws.published).toEqual([]);
});

describe('the parent ends on the stored state whichever function wrote last (the real SDK on dynalite, Lambda\'s invoke through the stand-in)', () => {
  afterEach(() => (slack.faults = undefined));
  const slowFirstUpdate = (ms: number) => {
    let slowed = false;
    slack.faults = (method) => (method === 'chat.update' && !slowed ? ((slowed = true), { delayMs: ms }) : undefined);
  };

  test('Slack takes 1.5 s over the click\'s parent update and the OK lands meanwhile: RESOLVED, acknowledged', async () => {
    await alarm('ALARM', T0);
    now = T0 + 2 * MIN;
    slowFirstUpdate(1500);
    const clicking = click('U0ALICE', parentOf());
    await new Promise((r) => setTimeout(r, 200));
    now = T0 + 3 * MIN;
    await alarm('OK', T0 + 3 * MIN - 5000);
    expect((await clicking).statusCode).toBe(200);
    expect(await incident()).toMatchObject({ state: 'OK', acknowledgedBy: 'U0ALICE' });
    expect(parentOf().blocks?.[0]?.text?.text).toMatch(/^✅ SEV1 · RESOLVED after 3 min/);
    expect(text(parentOf())).toContain('*Acknowledged* by <@U0ALICE> after 2 min');
  });

  test('a click whose parent update outlasts Slack\'s 3 s hands the redraw to the escalation function (an asynchronous invoke), which draws it', async () => {
    await alarm('ALARM', T0);
    now = T0 + 2 * MIN;
    // Slack holds every update until the click has answered (and drops them, their client gone).
    let answered = false;
    slack.faults = (method) => (method === 'chat.update' && !answered ? { delayMs: 1200 } : undefined);
    const started = Date.now();
    expect((await click('U0ALICE', parentOf())).statusCode).toBe(200);
    answered = true;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(aws.invocations.map((i) => i.payload)).toEqual([{ source: 'cdk-runbook-alarms', kind: 'redraw-parent', alarmKey: ALARM_ARN_OF_TEST, incidentId: (await incident()).incidentId }]);
    expect(text(parentOf())).not.toContain('Acknowledged');
    await drain();
    expect(text(parentOf())).toContain('*Acknowledged* by <@U0ALICE> after 2 min');
    expect(logs.find((l) => l.msg === 'parent redrawn')).toMatchObject({ parent: 'current' });
  });
});

test('a page of another account\'s alarm, arriving as an EventBridge event, gets its Acknowledge button and its timer, and escalates (CloudWatch is not asked about another account)', async () => {
  const arn = 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:Payments/DbConnections';
  const page = alarmStateChangeEvent({ AlarmName: ALARM_NAME, AlarmArn: arn, AWSAccountId: '210987654321', AlarmDescription: SEV1, StateChangeTime: new Date(T0).toISOString().replace('Z', '+0000') });
  expect(await system.notifier(page, context())).toEqual({ delivered: 1, duplicates: 0 });
  await drain();
  expect(acknowledgeButton(parentOf())).toBeDefined();
  expect(text(parentOf())).toContain('210987654321');
  expect(aws.schedules.size).toBe(1);
  now = T0 + 5 * MIN + 20_000;
  expect(await schedulerTick()).toEqual([expect.objectContaining({ kind: 'escalated', escalationLevel: 1, contacts: ['secondary_oncall'] })]);
  expect(aws.calls.filter((c) => c.service === 'cloudwatch')).toEqual([]);
  expect(logs.find((l) => l.msg === 'alarm state not checked: escalating')).toMatchObject({ why: 'the alarm is in account 210987654321, not this function\'s' });
});
