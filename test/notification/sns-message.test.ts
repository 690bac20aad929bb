// The reader, past SNS: CloudWatch's "CloudWatch Alarm State Change" events on EventBridge (metric,
// metric-math and composite alarms, of any account) and SQS messages holding any notification, read
// into the same AlarmNotification an SNS notification of the same change gives, so everything after
// the reader (contract, message, incident) treats them alike.
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { parseAlarmContract } from '../../lib/core/contract';
import { renderSlackMessage } from '../../lib/notification/slack-message';
import { AlarmNotification, notificationsFromEvent } from '../../lib/notification/sns-message';
import { transitionOf } from '../../lib/functions/shared/incident';
import { alarmMessage, expectSafeAndWithinLimits, snsEvent, textsOf } from '../support/slack';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'eventbridge');
const event = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
const one = (e: unknown): AlarmNotification => {
  const all = notificationsFromEvent(e);
  expect(all).toHaveLength(1);
  return all[0];
};
const allText = (n: AlarmNotification) => {
  const m = renderSlackMessage(n);
  expectSafeAndWithinLimits(m);
  return [m.text, ...textsOf(m).map((t) => t.text.text)].join('\n');
};
/** An SQS event of the messages (Lambda's shape), each body the JSON text of its item. */
const sqs = (...bodies: unknown[]) => ({
  Records: bodies.map((b, i) => ({ messageId: `q-${i}`, receiptHandle: 'AQEB…', body: typeof b === 'string' ? b : JSON.stringify(b), attributes: {}, messageAttributes: {},
    md5OfBody: 'x', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:alarms', awsRegion: 'eu-west-1' })),
});

describe('EventBridge: CloudWatch Alarm State Change', () => {
  test('a metric alarm of another account: its contract from the description, its metric, state, time, account and region', () => {
    const n = one(event('metric-alarm.json'));
    expect(n).toMatchObject({
      alarmName: 'Payments/WebhookBacklog', newState: 'ALARM', oldState: 'OK', stateChangeTime: '2026-11-23T02:14:00.000+0000', accountId: '210987654321',
      regionName: 'eu-west-1', alarmArn: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:Payments/WebhookBacklog', messageId: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [{ name: 'QueueName', value: 'payment-webhooks' }], statistic: 'Maximum', period: 60 },
    });
    expect(n.unreadableMessage).toBeUndefined();
    expect(parseAlarmContract(n.alarmDescription)).toMatchObject({ severity: 'SEV2', owner: 'payments', firstMove: 'Scale out the webhook consumer to drain the backlog' });
    const text = allText(n);
    expect(text).toMatch(/^\[SEV2\] ALARM: Payments\/WebhookBacklog — Scale out the webhook consumer/);
    expect(text).toContain('`AWS/SQS ApproximateNumberOfMessagesVisible` (QueueName=payment-webhooks)');
    expect(text).toContain('210987654321');
    expect(renderSlackMessage(n).blocks.flatMap((b) => b.elements ?? []).map((e: any) => e.url)).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/Payments%2FWebhookBacklog');
  });

  test('a metric-math alarm: the expression and its inputs; the SEV1 first line as the severity', () => {
    const n = one(event('metric-math-alarm.json'));
    expect(n.metricQueries).toEqual([
      { id: 'rate', expression: '100 * errors / requests', label: 'Error rate (%)', metric: undefined, returnData: true },
      { id: 'errors', expression: undefined, label: undefined, metric: 'Checkout Errors', returnData: false },
      { id: 'requests', expression: undefined, label: undefined, metric: 'Checkout Requests', returnData: false },
    ]);
    const text = allText(n);
    expect(text).toContain('*Expression:* `100 * errors / requests` (Error rate (%))');
    expect(text).toContain('`errors` = Checkout Errors');
    expect(text).toMatch(/^\[SEV1\] ALARM: Checkout\/ErrorRate — Roll back the last checkout deployment/);
  });

  test('a composite alarm: its rule and triggering children; no description in the event, so the contract comes from its propagated tags', () => {
    const n = one(event('composite-alarm.json'));
    expect(n.alarmRule).toBe('ALARM("Search/Latency") AND ALARM("Search/Errors")');
    expect(n.triggeringChildren).toEqual([
      { name: 'Search/Latency', arn: 'arn:aws:cloudwatch:ap-southeast-2:345678901234:alarm:Search/Latency', state: 'ALARM' },
      { name: 'Search/Errors', arn: 'arn:aws:cloudwatch:ap-southeast-2:345678901234:alarm:Search/Errors', state: 'ALARM' },
    ]);
    expect(n.alarmDescription).toBe('Severity: SEV2\nRunbook: https://github.com/acme/ops/blob/main/runbooks/search-degraded.md\nOwner: search');
    const text = allText(n);
    expect(text).toMatch(/^\[SEV2\] ALARM: Search\/Degraded/);
    expect(text).toMatch(/• Search\/Latency — ALARM\n• Search\/Errors — ALARM/);
    // Without description or tags it is still delivered, marked as having no runbook.
    const bare = event('composite-alarm.json');
    delete bare.detail.alarmTags;
    expect(allText(one(bare))).toMatch(/^\[NO SEVERITY\] ALARM: Search\/Degraded — no runbook/);
  });

  test('the same state change read from SNS and from EventBridge is the same transition (so it is posted once)', () => {
    const e = event('metric-alarm.json');
    const viaSns = one(snsEvent(alarmMessage({
      AlarmName: e.detail.alarmName, AlarmArn: e.resources[0], AlarmDescription: e.detail.configuration.description, NewStateValue: 'ALARM', OldStateValue: 'OK',
      StateChangeTime: '2026-11-23T02:14:00.000+0000', AWSAccountId: '210987654321',
    })));
    expect(transitionOf(one(e))!.key).toBe(transitionOf(viaSns)!.key);
    expect(parseAlarmContract(one(e).alarmDescription)).toEqual(parseAlarmContract(viaSns.alarmDescription));
  });

  test('another detail-type (a configuration change) is delivered in the "could not be read" form, not dropped', () => {
    const n = one({ ...event('metric-alarm.json'), 'detail-type': 'CloudWatch Alarm Configuration Change' });
    expect(n.unreadableReason).toMatch(/neither an SNS notification nor a CloudWatch alarm/);
  });

  test('whatever an event holds in place of its fields, it is read without throwing and renders within Slack\'s limits', () => {
    const junk = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.array(fc.anything(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }));
    fc.assert(fc.property(fc.record({ alarmName: junk, state: junk, previousState: junk, configuration: junk, alarmTags: junk, resources: junk, metric: junk, reasonData: junk }), (j) => {
      const e = event('metric-alarm.json');
      e.detail.alarmName = j.alarmName;
      e.detail.state = j.state === undefined ? e.detail.state : { ...e.detail.state, value: j.state, reasonData: j.reasonData };
      e.detail.previousState = j.previousState;
      e.detail.configuration = j.configuration ?? { metrics: [j.metric, { metricStat: j.metric }] };
      e.detail.alarmTags = j.alarmTags;
      e.resources = j.resources;
      const [n] = notificationsFromEvent(e);
      expectSafeAndWithinLimits(renderSlackMessage(n));
    }), { numRuns: 300 });
  });
});

describe('SQS: messages holding notifications', () => {
  const e = event('metric-alarm.json');
  const message = alarmMessage({ AlarmName: 'Queue/Wrapped', NewStateValue: 'ALARM' });

  test('an EventBridge event, an SNS notification (not raw), a raw CloudWatch message and text that is no JSON, in one batch, in order', () => {
    const all = notificationsFromEvent(sqs(e, { Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) },
      message, 'not json at all'));
    expect(all.map((n) => [n.alarmName, n.messageId, n.topicArn])).toEqual([
      ['Payments/WebhookBacklog', e.id, undefined],
      ['Queue/Wrapped', 'sns-1', 'arn:aws:sns:eu-west-1:123456789012:page'],
      ['Queue/Wrapped', undefined, undefined],
      ['(unreadable notification)', undefined, undefined],
    ]);
    expect(all[3].unreadableMessage).toBe('not json at all');
  });

  test('an EventBridge event parked in the failure queue (Lambda\'s on-failure record) is read for a re-drive', () => {
    expect(one({ requestContext: { condition: 'RetriesExhausted' }, requestPayload: e }).alarmName).toBe('Payments/WebhookBacklog');
  });
});
