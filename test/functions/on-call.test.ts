// On call by rotation, end to end, time compressed, with real parts: the functions configured as the
// construct configures them for a policy whose primary and secondary are rotations in Berlin (a
// daylight-saving change in the week, a swap); dynalite as the incident table; the Slack Web API
// and incoming-webhook stand-ins; SNS, Scheduler and Lambda stand-ins reached through
// AWS_ENDPOINT_URL_<SERVICE>. Whoever is on call when the page opens is mentioned and paged; the
// level escalated to is whoever is on call when it fires; each handoff tells the channel.
import { LogEntry } from '../../lib/functions/notifier/app';
import { createHandler as createWebhookHandler } from '../../lib/functions/notifier/webhook';
import { encodeConfig } from '../../lib/functions/shared/config';
import { alarmMessage } from '../support/slack';
import { AwsStandIn } from '../support/aws-stand-in';
import { Dynalite, createIncidentTable } from '../support/dynalite';
import { ESCALATION_ARN, FunctionEnvironments, blockActions, functionEnvironments, signedRequest } from '../support/escalation-setup';
import { FAST, OnCallStandIns, onCallFunctions, startOnCallStandIns } from '../support/on-call-stand-ins';
import { SlackWebApiStandIn } from '../support/slack-web-api-stand-in';
import { SlackStandIn, startSlackStandIn } from '../support/slack-stand-in';
import { buildPolicyPlan } from '../../lib/constructs/private/policy-plan';
import { parseEscalationPolicy } from '../../lib/policy/policy';

const pager = (who: string) => `arn:aws:sns:eu-central-1:123456789012:${who}-pager`;
const POLICY = `service: payments
contacts:
  primary:
    rotation:
      members: [{ slack: "<@U0ALICE>", sns: "${pager('alice')}" }, { slack: "<@U0BOB>", sns: "${pager('bob')}" }]
      every: weekly
      handoff: Mon 10:00
      time_zone: Europe/Berlin
      start: 2026-03-16
      overrides:
        - { from: 2026-03-25T18:00, to: 2026-03-26T09:00, slack: "<@U0CAROL>", sns: "${pager('carol')}" }
  secondary:
    rotation:
      members: [{ slack: "<@U0DAVE>", sns: "${pager('dave')}" }, { slack: "<@U0ERIN>", sns: "${pager('erin')}" }]
      every: weekly
      handoff: Mon 10:00
      time_zone: Europe/Berlin
      start: 2026-03-16
  manager: "<@U0MANAGER>"
severity_routing:
  SEV1:
    page: primary
    escalate_after: 15m
    then: secondary
    notify: ["#exec", manager]
  SEV2:
    page: primary
`;
// Shifts (Berlin): Alice from Mon 16 Mar 10:00 CET, Bob from Mon 23 Mar 10:00 CET (09:00Z), Alice
// again from Mon 30 Mar 10:00 CEST (08:00Z: the clocks went forward on Sunday 29 March); Carol
// covers Wed 25 Mar 18:00 to Thu 26 Mar 09:00 CET. The secondary: Dave, Erin, Dave.
const at = (iso: string) => Date.parse(iso);
const SEV1 = 'Database connections exhausted; checkouts fail.\n\nSeverity: SEV1\nRunbook: https://github.com/acme/ops/blob/main/runbooks/db.md\nFirst move: Fail over to the replica\nOwner: payments';
const ALARM_ARN = 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:Payments/DbConnections';

let dynamo: Dynalite;
let slack: SlackWebApiStandIn;
let aws: AwsStandIn;
let stands: OnCallStandIns;
beforeAll(async () => {
  stands = await startOnCallStandIns([{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }, { id: 'C0EXEC', name: 'exec' }], ['alice', 'bob', 'carol', 'dave', 'erin'].map(pager));
  ({ dynamo, slack, aws } = stands);
});
afterAll(() => stands.close());

let envs: FunctionEnvironments;
let now: number;
let logs: LogEntry[];
let system: ReturnType<typeof makeSystem>;
beforeEach(async () => {
  slack.reset();
  aws.reset();
  envs = functionEnvironments(await createIncidentTable(dynamo.endpoint), slack.url, POLICY);
  logs = [];
  system = makeSystem();
});

function makeSystem() {
  return onCallFunctions(envs, logs, () => now);
}
const context = (arn?: string) => ({ getRemainingTimeInMillis: () => 8000, awsRequestId: 'req', invokedFunctionArn: arn });

let seq = 0;
/** The alarm changes state at `when` and SNS delivers it then; the escalation function takes the notifier's timer requests. */
async function alarm(state: 'ALARM' | 'OK', when: number, messageId = `m-${++seq}`) {
  now = when + 5_000;
  aws.alarms.set('Payments/DbConnections', { type: 'MetricAlarm', state, at: when });
  const message = alarmMessage({ AlarmName: 'Payments/DbConnections', AlarmArn: ALARM_ARN, AlarmDescription: SEV1, NewStateValue: state,
    OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM', StateChangeTime: new Date(when).toISOString().replace('Z', '+0000') });
  const result = await system.notifier({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: messageId, TopicArn: 'arn:aws:sns:eu-central-1:123456789012:page', Message: JSON.stringify(message) } }] }, context());
  while (aws.invocations.length > 0) await system.escalation(aws.invocations.shift()!.payload, context(ESCALATION_ARN));
  return result;
}

/** Scheduler at `when`: every due escalation timer fires. */
async function tick(when: number) {
  now = when;
  const out = [];
  for (const s of aws.takeDue(now)) out.push(await system.escalation(JSON.parse(s.target.Input!), context(ESCALATION_ARN)));
  return out;
}

const pagedTopics = () => aws.published.map((p) => p.topicArn.replace(/^.*:(\w+)-pager$/, '$1'));
const latestParent = () => slack.parents('C0INCIDENTS').slice(-1)[0];

test('the page mentions and pages whoever is on call when the alarm fires: across the daylight-saving change, exactly at the handoff, and during a swap', async () => {
  // Bob's week: his pager first, whatever Slack does (Slack is down for this delivery: the invocation fails, Bob is paged).
  slack.script('chat.postMessage', [{ status: 503 }, { status: 503 }, { status: 503 }]);
  await expect(alarm('ALARM', at('2026-03-24T12:00:00Z'), 'm-bob')).rejects.toThrow(/not delivered/);
  expect(pagedTopics()).toEqual(['bob']);
  expect(slack.parents('C0INCIDENTS')).toEqual([]);
  // Lambda's retry posts the page, mentioning Bob and the manager (notify), and pages nobody again.
  await alarm('ALARM', at('2026-03-24T12:00:00Z'), 'm-bob');
  const parent = latestParent();
  expect(parent.text).toMatch(/^<@U0BOB> <@U0MANAGER> \[SEV1\] ALARM: Payments\/DbConnections/);
  expect(pagedTopics()).toEqual(['bob']);
  expect(aws.published[0].subject).toBe('[SEV1] Page: payments: Payments/DbConnections');
  expect(aws.published[0].message).toMatch(/^SEV1 page: Payments\/DbConnections is in ALARM[\s\S]*Service: payments[\s\S]*First move: Fail over to the replica/);
  // #exec (notify) gets the message, pointing at the thread, mentioning nobody.
  const [copy] = slack.parents('C0EXEC');
  expect(JSON.stringify(copy.blocks)).toContain('Updates follow in the incident\'s thread in <#C0INCIDENTS>');
  expect(copy.text).not.toMatch(/<@/);
  // A duplicate delivery pages nobody again and posts nothing again.
  await alarm('ALARM', at('2026-03-24T12:00:00Z'), 'm-bob-again');
  expect(pagedTopics()).toEqual(['bob']);
  expect(slack.parents('C0EXEC')).toHaveLength(1);
  await alarm('OK', at('2026-03-24T12:10:00Z'));

  // Carol's swap (Wednesday night): Carol, though it is Bob's week.
  await alarm('ALARM', at('2026-03-25T22:00:00Z'));
  expect(latestParent().text).toMatch(/^<@U0CAROL> /);
  expect(pagedTopics()).toEqual(['bob', 'carol']);
  await alarm('OK', at('2026-03-25T22:05:00Z'));

  // Monday 30 March, after the clocks went forward: the handoff is at 10:00 CEST, 08:00Z. A second before, Bob; at it, Alice.
  aws.published.length = 0;
  await alarm('ALARM', at('2026-03-30T07:59:59Z'));
  expect(latestParent().text).toMatch(/^<@U0BOB> /);
  await alarm('OK', at('2026-03-30T07:59:59.500Z'));
  await alarm('ALARM', at('2026-03-30T08:00:00Z'));
  expect(pagedTopics()).toEqual(['bob', 'alice']);
  // Reopened within the hour: the same thread; its parent mentions who was on call when it went back to ALARM.
  expect(latestParent().text).toMatch(/^<@U0ALICE> /);
});

test('the level escalated to is whoever is on call when it fires; the parent keeps the mention of who was paged', async () => {
  // Paged at 09:50 CET on Monday 23 March (Alice's last minutes); nobody acknowledges.
  await alarm('ALARM', at('2026-03-23T08:50:00Z'));
  expect(latestParent().text).toMatch(/^<@U0ALICE> /);
  expect(pagedTopics()).toEqual(['alice']);
  // 15 min later it is 10:05: the secondary's week turned over to Erin at 10:00.
  const [escalated] = await tick(at('2026-03-23T09:05:00Z'));
  expect(escalated).toMatchObject({ kind: 'escalated', escalationLevel: 1, contacts: ['secondary'], published: 1 });
  expect(pagedTopics()).toEqual(['alice', 'erin']);
  const reply = slack.replies('C0INCIDENTS', latestParent().ts).slice(-1)[0];
  expect(reply.text).toMatch(/^<@U0ERIN> \[SEV1\] Escalated/);
  // Bob, now primary, acknowledges: the redrawn parent still names Alice, who was paged.
  now = at('2026-03-23T09:07:00Z');
  const answer = await system.interactivity(signedRequest(blockActions(latestParent(), 'U0BOB'), Math.floor(now / 1000)) as never, context());
  expect(answer.statusCode).toBe(200);
  const parent = latestParent();
  expect(JSON.stringify(parent.blocks)).toContain('Acknowledged');
  expect(parent.text).toMatch(/^<@U0ALICE> /);
});

describe('handoffs', () => {
  test('at the handoff the channel learns who hands over to whom and the unresolved incidents, once; other days nothing', async () => {
    await alarm('ALARM', at('2026-03-29T20:00:00Z'));
    // The schedule fires at Monday 30 March 10:00 CEST (08:00Z), a few seconds late.
    now = at('2026-03-30T08:00:07Z');
    const event = { source: 'cdk-runbook-alarms', kind: 'handoff', rotation: 'primary' };
    expect(await system.handoff(event, context())).toMatchObject({ kind: 'posted', rotation: 'primary', at: at('2026-03-30T08:00:00Z'), unresolved: 1 });
    const [posted] = slack.parents('C0ALERTS');
    expect(posted.text).toBe('On-call handoff (primary, payments): <@U0BOB> → <@U0ALICE>; 1 unresolved incident');
    const blocks = JSON.stringify(posted.blocks);
    expect(blocks).toContain('<@U0BOB> hands over to <@U0ALICE>');
    expect(blocks).toMatch(/\[SEV1\] Payments\/DbConnections\*: in ALARM since .* not acknowledged; thread in <#C0INCIDENTS>/);
    // The shift that ended, in numbers (lib/health): the page Bob took; what is open is listed once, above.
    expect(blocks).toMatch(/\*Pages\*\\n1 in \d+ 12-hour shifts?/);
    expect(blocks).not.toContain('Still open');
    // A retry (or a second fire) posts nothing more.
    expect(await system.handoff(event, context())).toEqual({ kind: 'skipped', why: 'this handoff was posted before' });
    // The daily schedule of a longer rotation, on a day nobody hands over.
    now = at('2026-03-31T08:00:03Z');
    expect(await system.handoff(event, context())).toEqual({ kind: 'skipped', why: 'no handoff of this rotation now' });
    expect(slack.parents('C0ALERTS')).toHaveLength(1);
  });
});

describe('webhook mode', () => {
  let hook: SlackStandIn;
  beforeAll(async () => {
    hook = await startSlackStandIn();
  });
  afterAll(() => hook.close());

  function webhook() {
    const policy = parseEscalationPolicy(POLICY.replace(/ {4}escalate_after: 15m\n {4}then: secondary\n {4}notify: \["#exec", manager\]\n/, '    notify: manager\n'), 'p.yaml');
    const built = buildPolicyPlan('S/Slack', policy, { app: false, escalation: false, subscribedTopicArns: [] });
    return createWebhookHandler({
      env: encodeConfig({ webhookSecretArn: 'arn:hook', contactPlan: built.contacts, service: 'payments' }),
      secrets: { getSecretString: async () => `${hook.url}/services/T0/B0/X` },
      delivery: FAST, log: (e) => logs.push(e), now: () => now,
    });
  }
  const event = (when: number, id: string) => ({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: id, TopicArn: 'arn:aws:sns:eu-central-1:123456789012:page',
    Message: JSON.stringify(alarmMessage({ AlarmName: 'Payments/DbConnections', AlarmDescription: SEV1, NewStateValue: 'ALARM', StateChangeTime: new Date(when).toISOString().replace('Z', '+0000') })) } }] });

  test('the on-call is mentioned and paged; a page SNS refused is retried without posting twice', async () => {
    hook.received.length = 0;
    hook.script([], 'ok');
    const handler = webhook();
    now = at('2026-03-24T12:00:05Z');
    aws.failNext('Publish', 3, 500, 'InternalErrorException');
    await expect(handler(event(at('2026-03-24T12:00:00Z'), 'w-1'), context())).rejects.toThrow(/1 of 1 notification\(s\) not delivered/);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].body.text).toMatch(/^<@U0BOB> <@U0MANAGER> \[SEV1\] ALARM/);
    expect(aws.published).toEqual([]);
    // Lambda's retry: the page goes out, the message is not posted again.
    expect(await handler(event(at('2026-03-24T12:00:00Z'), 'w-1'), context())).toEqual({ delivered: 1, duplicates: 0 });
    expect(pagedTopics()).toEqual(['bob']);
    expect(hook.received).toHaveLength(1);
    expect(await handler(event(at('2026-03-24T12:00:00Z'), 'w-1'), context())).toEqual({ delivered: 0, duplicates: 1 });
  });
});
