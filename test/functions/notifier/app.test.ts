// Slack app mode end to end: the handler as the function runs it, the Web API stand-in on
// 127.0.0.1 (Slack's shapes and errors), and the incident store in memory, shared by the
// containers as the table is (its conditions are DynamoDB's: test/functions/shared/incident.test.ts
// holds both stores to them; app-table.test.ts runs the notifier on the real SDK). What is asserted
// is what the channel shows: one parent per incident with its current state, replies in its thread.
import { FunctionDeps } from '../../../lib/functions/notifier/app';
import { MemoryIncidentStore } from '../../../lib/functions/shared/incident-store';
import { Container, NOTIFY_TOPIC, PAGE_TOPIC, T0, allText, deliver, event, expectNoSecret, header, invoke, notifierContainer } from '../../support/app-notifier';
import { CONTRACT, alarmStateChangeEvent } from '../../support/slack';
import { SlackWebApiStandIn, startSlackWebApi } from '../../support/slack-web-api-stand-in';


let slack: SlackWebApiStandIn;
beforeAll(async () => {
  slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }, { id: 'C0TEAM', name: 'team' }] });
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

let store: MemoryIncidentStore;
beforeEach(() => {
  store = new MemoryIncidentStore();
});

/** One Lambda container of the notifier (its own memory), sharing Slack and the store with the others. */
const container = (env: Record<string, string> = {}, deps: Partial<FunctionDeps> = {}): Container => notifierContainer(slack, env, { store, ...deps });

test('ALARM posts the parent; ALARM again replies; OK replies and updates the parent to RESOLVED after 23 min with the postmortem due', async () => {
  const c = container();
  expect((await invoke(c, event('ALARM', T0))).result).toEqual({ delivered: 1, duplicates: 0 });
  let [parent] = slack.parents('C0ALERTS');
  expect(header(parent)).toBe('🔴 SEV2 · ALARM · Payments/WebhookBacklog');
  expect(parent.text).toBe('[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog');
  expect(allText(parent)).toContain('Updates follow in the thread');

  await invoke(c, event('ALARM', '2026-11-23T02:20:00.000+0000'));
  await invoke(c, event('OK', '2026-11-23T02:37:00.000+0000'));
  expect(c.logs.filter((l) => l.level === 'error')).toEqual([]);
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  [parent] = slack.parents('C0ALERTS');
  const replies = slack.replies('C0ALERTS', parent.ts);
  expect(replies.map((r) => r.text)).toEqual([
    '[SEV2] still in ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog',
    '[SEV2] RESOLVED after 23 min: Payments/WebhookBacklog — postmortem due by 2026-11-25 02:37:00 UTC',
  ]);
  expect(allText(replies[1])).toContain('Postmortem due by <!date^1795574220^');
  // The parent, in place: the same message, now resolved, with the due date (48 h).
  expect(parent.history.map((h) => h.blocks?.[0]?.text?.text)).toEqual([
    '🔴 SEV2 · ALARM · Payments/WebhookBacklog',
    '🔴 SEV2 · ALARM · Payments/WebhookBacklog',
    '✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog',
  ]);
  expect(parent.text).toBe('[SEV2] RESOLVED after 23 min: Payments/WebhookBacklog — postmortem due by 2026-11-25 02:37:00 UTC');
  expect(allText(parent)).toContain('*Resolved after 23 min*: fired <!date^1795400040^');
  expect(allText(parent)).toContain('Postmortem due by <!date^1795574220^');
  expect(allText(parent)).toContain('Went to OK at');
  expectNoSecret(c.logs);
});

test('back in ALARM soon after the resolution reopens the same thread; much later it is a new incident; the postmortem delay is configurable', async () => {
  const c = container({ POSTMORTEM_POLICY: JSON.stringify({ requiredFor: ['SEV1', 'SEV2'], dueBusinessDays: 3, limitBusinessDays: 5, timeZone: 'UTC' }), INCIDENT_REOPEN_WINDOW_MINUTES: '30' });
  await invoke(c, event('ALARM', T0));
  await invoke(c, event('OK', '2026-11-23T02:37:00.000+0000'));
  const [parent] = slack.parents('C0ALERTS');
  expect(slack.replies('C0ALERTS', parent.ts)[0].text).toMatch(/postmortem due by 2026-11-26 02:37:00 UTC$/);
  await invoke(c, event('ALARM', '2026-11-23T02:50:00.000+0000'));
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  expect(slack.replies('C0ALERTS', parent.ts).map((r) => r.text.split(':')[0])).toEqual(['[SEV2] RESOLVED after 23 min', '[SEV2] back in ALARM']);
  expect(header(slack.parents('C0ALERTS')[0])).toBe('🔴 SEV2 · back in ALARM · Payments/WebhookBacklog');
  await invoke(c, event('OK', '2026-11-23T03:00:00.000+0000'));
  expect(header(slack.parents('C0ALERTS')[0])).toBe('✅ SEV2 · RESOLVED after 46 min · Payments/WebhookBacklog');
  // 31 minutes after that resolution: a new incident, a new parent.
  await invoke(c, event('ALARM', '2026-11-23T03:31:00.000+0000'));
  expect(slack.parents('C0ALERTS').map(header)).toEqual(['✅ SEV2 · RESOLVED after 46 min · Payments/WebhookBacklog', '🔴 SEV2 · ALARM · Payments/WebhookBacklog']);
  // The incident it replaced is kept as it ended, under its own id, for the reports.
  const [current] = store.incidents.values();
  const kept = [...store.history.values()];
  expect(kept).toHaveLength(1);
  expect(kept[0]).toMatchObject({ state: 'OK', reopened: 1, mttrSeconds: 23 * 60, resolvedAt: Date.parse('2026-11-23T03:00:00Z') });
  expect(kept[0].incidentId).not.toBe(current.incidentId);
  // Each incident opened is one data point of the Incidents metric (pages per day on the dashboard).
  const opened = c.logs.filter((l) => l.msg === 'incident Incidents');
  expect(opened).toHaveLength(2);
  expect(opened[0]).toMatchObject({ Severity: 'SEV2', Incidents: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'RunbookAlarms', Dimensions: [['Severity']], Metrics: [{ Name: 'Incidents', Unit: 'Count' }] }] } });
});

test('INSUFFICIENT_DATA replies and the parent says the alarm cannot evaluate (not a recovery)', async () => {
  const c = container();
  await invoke(c, event('ALARM', T0));
  await invoke(c, event('INSUFFICIENT_DATA', '2026-11-23T02:30:00.000+0000'));
  const [parent] = slack.parents('C0ALERTS');
  expect(header(parent)).toBe('⚪ SEV2 · INSUFFICIENT DATA · Payments/WebhookBacklog');
  expect(allText(parent)).toContain('*Cannot evaluate* since');
  expect(slack.replies('C0ALERTS', parent.ts)[0].text).toBe('[SEV2] INSUFFICIENT DATA: Payments/WebhookBacklog');
});

test('out of order: an OK before its ALARM posts the parent once; the late ALARM replies, marked late; the parent stays RESOLVED and learns the duration', async () => {
  const c = container();
  await invoke(c, event('OK', '2026-11-23T02:37:00.000+0000'));
  expect(header(slack.parents('C0ALERTS')[0])).toBe('✅ SEV2 · RESOLVED · Payments/WebhookBacklog');
  await invoke(c, event('ALARM', T0));
  const parents = slack.parents('C0ALERTS');
  expect(parents).toHaveLength(1);
  expect(header(parents[0])).toBe('✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
  const [late] = slack.replies('C0ALERTS', parents[0].ts);
  expect(late.text).toBe('[SEV2] ALARM: Payments/WebhookBacklog (delivered late)');
  expect(allText(late)).toContain('*Delivered late*');
  // A still older INSUFFICIENT_DATA changes nothing the parent shows.
  await invoke(c, event('INSUFFICIENT_DATA', '2026-11-23T02:00:00.000+0000'));
  expect(parents[0].history).toHaveLength(2);
  expect(slack.replies('C0ALERTS', parents[0].ts)).toHaveLength(2);
});

test('cross-container duplicates: the same delivery on two containers at once, and one change through two topics, post once', async () => {
  const a = container();
  const b = container();
  const e = event('ALARM', T0, { messageId: 'same-id' });
  const [ra, rb] = await Promise.all([deliver(a, e), deliver(b, e)]);
  expect([ra.result, rb.result].sort((x, y) => (x!.delivered - y!.delivered))).toEqual([{ delivered: 0, duplicates: 1 }, { delivered: 1, duplicates: 0 }]);
  // The same state change also published to the notify topic (another MessageId), to a third container.
  const third = container();
  expect((await invoke(third, event('ALARM', T0, { topic: NOTIFY_TOPIC }))).result).toEqual({ delivered: 0, duplicates: 1 });
  expect(slack.messages).toHaveLength(1);
});

test('a storm of duplicated, shuffled deliveries over four containers: each change once, the parent ends on the latest state', async () => {
  const containers = [container(), container(), container(), container()];
  const changes = [
    ['ALARM', T0], ['INSUFFICIENT_DATA', '2026-11-23T02:20:00.000+0000'], ['ALARM', '2026-11-23T02:25:00.000+0000'], ['OK', '2026-11-23T02:37:00.000+0000'],
  ] as const;
  const deliveries = changes.flatMap(([state, time], i) => [event(state, time, { messageId: `c${i}` }), event(state, time, { messageId: `c${i}` }), event(state, time, { topic: NOTIFY_TOPIC })]);
  // A fixed shuffle (the OK near the front), spread over the containers, all at once.
  const order = [9, 3, 0, 11, 6, 1, 10, 4, 7, 2, 8, 5];
  const outs = await Promise.all(order.map((k, i) => deliver(containers[i % 4], deliveries[k], 8)));
  expect(outs.filter((o) => o.error)).toEqual([]);
  expect(slack.messages).toHaveLength(4); // one per change
  const [parent] = slack.parents('C0ALERTS');
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  expect(slack.replies('C0ALERTS', parent.ts)).toHaveLength(3);
  expect(header(parent)).toBe('✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
  expect(parent.text).toMatch(/^\[SEV2\] RESOLVED after 23 min/);
});

test('channels: a severity channel wins over the route channel (by topic), which wins over the default', async () => {
  const c = container({
    SLACK_CHANNEL_SEV1: 'C0INCIDENTS',
    SLACK_ROUTE_CHANNEL_NOTIFY: 'C0TEAM',
    SLACK_ROUTE_TOPIC_NOTIFY: NOTIFY_TOPIC,
  });
  const sev1 = { AlarmName: 'Db', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Db', AlarmDescription: CONTRACT.replace('SEV2', 'SEV1') };
  await invoke(c, event('ALARM', T0, { message: sev1, topic: NOTIFY_TOPIC }));
  await invoke(c, event('ALARM', T0, { message: { AlarmName: 'Queue', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Queue' }, topic: NOTIFY_TOPIC }));
  await invoke(c, event('ALARM', T0, { message: { AlarmName: 'Other', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Other' } }));
  expect(slack.parents('C0INCIDENTS').map((m) => m.text)).toEqual([expect.stringMatching(/^\[SEV1\] ALARM: Db/)]);
  expect(slack.parents('C0TEAM').map((m) => m.text)).toEqual([expect.stringMatching(/ALARM: Queue/)]);
  expect(slack.parents('C0ALERTS').map((m) => m.text)).toEqual([expect.stringMatching(/ALARM: Other/)]);
});

test('prototype names as the topic or the state are read as text: delivered to the default channel, the reply shows no function source', async () => {
  const c = container();
  const out = await invoke(c, event('ALARM', T0, { topic: 'constructor' }));
  expect(out.error).toBeUndefined();
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  for (const [i, state] of ['constructor', 'toString', '__proto__'].entries()) {
    expect((await invoke(c, event(state, `2026-11-23T02:2${i}:00.000+0000`, { topic: 'hasOwnProperty' }))).error).toBeUndefined();
  }
  const replies = slack.replies('C0ALERTS', slack.parents('C0ALERTS')[0].ts);
  expect(replies).toHaveLength(3);
  for (const r of replies) expect(JSON.stringify(r)).not.toMatch(/native code|\[object Object\]/);
  expect(replies.map((r) => r.blocks?.[0]?.text?.text.slice(0, 2))).toEqual(['❔ ', '❔ ', '❔ ']);
});

test('when the parent cannot be updated the thread reply still goes out, and the log says why and what to do', async () => {
  const c = container();
  await invoke(c, event('ALARM', T0));
  slack.script('chat.update', [{ body: { ok: false, error: 'cant_update_message' } }]);
  const out = await invoke(c, event('OK', '2026-11-23T02:37:00.000+0000'));
  expect(out.error).toBeUndefined();
  const [parent] = slack.parents('C0ALERTS');
  expect(slack.replies('C0ALERTS', parent.ts).map((r) => r.text)).toEqual([expect.stringMatching(/RESOLVED after 23 min/)]);
  expect(parent.history).toHaveLength(1);
  expect(c.logs.find((l) => l.level === 'error')).toMatchObject({
    msg: 'incident parent not updated (the thread reply went out)', slackError: 'cant_update_message', fix: expect.stringMatching(/another app or token/),
  });
  // The next change redraws the parent from the stored state.
  await invoke(c, event('ALARM', '2026-11-23T02:40:00.000+0000'));
  expect(header(parent)).toBe('🔴 SEV2 · back in ALARM · Payments/WebhookBacklog');
});

test('when the parent update fails in a way a retry can overcome (Slack down), the invocation fails; the retry redraws it and never replies twice', async () => {
  const c = container();
  await invoke(c, event('ALARM', T0));
  // The last change of the alarm: without a retry the parent would stay on ALARM for good.
  slack.script('chat.update', [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }]);
  const ok = event('OK', '2026-11-23T02:37:00.000+0000');
  const first = await invoke(c, ok);
  expect(first.error?.message).toMatch(/failing the invocation so Lambda retries it/);
  expect(JSON.stringify(c.logs)).toMatch(/parent could not be updated yet; failing so Lambda retries the update/);
  const [parent] = slack.parents('C0ALERTS');
  expect(header(parent)).toBe('🔴 SEV2 · ALARM · Payments/WebhookBacklog');
  expect(c.logs.find((l) => l.level === 'error' && String(l.msg).startsWith('incident parent not updated'))).toMatchObject({ status: 503 });
  // Lambda's retry, on another container: the parent is brought up to date, the reply is not posted again.
  const retry = await invoke(container(), ok);
  expect(retry.error).toBeUndefined();
  expect(header(parent)).toBe('✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
  expect(slack.replies('C0ALERTS', parent.ts)).toHaveLength(1);
});

test.each([
  ['channel_not_found', /channel ID is wrong/],
  ['not_in_channel', /invite the app/],
  ['invalid_auth', /Bot User OAuth Token/],
  ['token_revoked', /reinstall the app/],
])('ok:false %s fails the invocation (Lambda retries, the failure queue keeps it) with the fix in the log line', async (code, fix) => {
  const c = container();
  slack.script('chat.postMessage', [{ body: { ok: false, error: code } }]);
  const out = await invoke(c, event('ALARM', T0));
  expect(out.error?.message).toMatch(/1 of 1 notification\(s\) not delivered to Slack/);
  expect(c.logs.find((l) => l.level === 'error')).toMatchObject({ msg: 'not delivered to slack', slackError: code, fix: expect.stringMatching(fix), method: 'chat.postMessage' });
  // Lambda's retry, once the cause is fixed, posts it, once.
  expect((await invoke(c, event('ALARM', T0, { messageId: 'retry' }))).result).toEqual({ delivered: 1, duplicates: 0 });
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  // A token error makes the container read the secret again.
  expect(c.secretReads).toBe(/auth|token/.test(code) ? 2 : 1);
  expectNoSecret(c.logs);
});

test('a reply that fails is retried by Lambda and posted once; the parent then catches up', async () => {
  const c = container();
  await invoke(c, event('ALARM', T0));
  slack.script('chat.postMessage', [{ status: 500, body: { ok: false, error: 'fatal_error' } }, { status: 500 }, { status: 500 }, { status: 500 }]);
  const e = event('OK', '2026-11-23T02:37:00.000+0000');
  expect((await invoke(c, e)).error).toBeDefined();
  expect((await invoke(c, e)).result).toEqual({ delivered: 1, duplicates: 0 });
  const [parent] = slack.parents('C0ALERTS');
  expect(slack.replies('C0ALERTS', parent.ts)).toHaveLength(1);
  expect(header(parent)).toMatch(/RESOLVED after 23 min/);
});

test('invalid_blocks: the plain-text fallback is posted, so the engineer still learns what fired', async () => {
  const c = container();
  slack.script('chat.postMessage', [{ body: { ok: false, error: 'invalid_blocks' } }]);
  expect((await invoke(c, event('ALARM', T0))).error).toBeUndefined();
  const [parent] = slack.parents('C0ALERTS');
  expect(parent.blocks).toBeUndefined();
  expect(parent.text).toMatch(/^\[SEV2\] ALARM: Payments\/WebhookBacklog/);
  expect(c.logs.find((l) => l.level === 'error')).toMatchObject({ slackError: 'invalid_blocks' });
});

test('an unreadable notification is posted as it arrived, once across containers', async () => {
  const unreadable = { Records: [{ Sns: { MessageId: 'raw-1', TopicArn: PAGE_TOPIC, Message: 'not { json' } }] };
  const [a, b] = [container(), container()];
  await invoke(a, unreadable);
  await invoke(b, unreadable);
  expect(slack.messages.map((m) => m.text)).toEqual([expect.stringMatching(/unreadable notification/)]);
});

test('429 past the channel rate: waits as Slack says, nothing lost', async () => {
  await slack.close();
  slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }], ratePerChannel: 4, burst: 1 });
  try {
    const [a, b] = [container(), container()];
    const alarms = Array.from({ length: 8 }, (_, i) => event('ALARM', T0, { message: { AlarmName: `A${i}`, AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:A${i}` } }));
    const outs = await Promise.all([a, b].map(async (c, k) => {
      const mine = alarms.filter((_, i) => i % 2 === k);
      const results = [];
      for (const e of mine) results.push(await deliver(c, e));
      return results;
    }));
    expect(outs.flat().filter((o) => o.error)).toEqual([]);
    expect(slack.parents('C0ALERTS')).toHaveLength(8);
    expect(slack.rateLimited.total).toBeGreaterThan(0);
  } finally {
    await slack.close();
    slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }, { id: 'C0TEAM', name: 'team' }] });
  }
});

describe('alarm state changes through EventBridge (and SQS): the same incidents, the same guarantees', () => {
  const change = (state: string, time: string, id?: string) => alarmStateChangeEvent({ NewStateValue: state, OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM', StateChangeTime: time }, id);

  test('an ALARM event opens the incident; the same change through SNS, and a repeated event, post nothing more; the OK event replies and resolves the parent', async () => {
    const [a, b] = [container(), container()];
    expect((await invoke(a, change('ALARM', T0, 'evt-1'))).result).toEqual({ delivered: 1, duplicates: 0 });
    expect((await invoke(b, event('ALARM', T0))).result).toEqual({ delivered: 0, duplicates: 1 });
    expect((await invoke(b, change('ALARM', T0, 'evt-1'))).result).toEqual({ delivered: 0, duplicates: 1 });
    await invoke(a, change('OK', '2026-11-23T02:37:00.000+0000'));
    const [parent] = slack.parents('C0ALERTS');
    expect(slack.parents('C0ALERTS')).toHaveLength(1);
    expect(slack.replies('C0ALERTS', parent.ts).map((r) => r.text)).toEqual([expect.stringMatching(/^\[SEV2\] RESOLVED after 23 min: Payments\/WebhookBacklog/)]);
    expect(header(parent)).toBe('✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
    expect(allText(parent)).toContain('`AWS/SQS ApproximateNumberOfMessagesVisible` (QueueName=payment-webhooks)');
    expect([...a.logs, ...b.logs].filter((l) => l.level === 'error')).toEqual([]);
  });

  test('out of order through EventBridge too: the OK event first opens the incident resolved; the late ALARM event replies, marked late', async () => {
    const c = container();
    await invoke(c, change('OK', '2026-11-23T02:37:00.000+0000'));
    await invoke(c, change('ALARM', T0));
    const [parent] = slack.parents('C0ALERTS');
    expect(header(parent)).toBe('✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
    expect(allText(slack.replies('C0ALERTS', parent.ts)[0])).toContain('Delivered late');
  });

  test('a batch of SQS messages holding EventBridge events and SNS notifications: each change once, in one thread', async () => {
    const c = container();
    const sqs = (...bodies: unknown[]) => ({ Records: bodies.map((b, i) => ({ messageId: `q${i}`, eventSource: 'aws:sqs', body: JSON.stringify(b) })) });
    const sns = (e: any) => e.Records[0].Sns;
    const out = await invoke(c, sqs(change('ALARM', T0), sns(event('ALARM', T0)), sns(event('ALARM', '2026-11-23T02:20:00.000+0000')), change('OK', '2026-11-23T02:37:00.000+0000')));
    expect(out.result).toEqual({ delivered: 3, duplicates: 1 });
    const [parent] = slack.parents('C0ALERTS');
    expect(slack.replies('C0ALERTS', parent.ts)).toHaveLength(2);
    expect(header(slack.parents('C0ALERTS')[0])).toMatch(/^✅/);
  });
});
