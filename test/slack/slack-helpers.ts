// Shared by the Slack tests: the sample notifications, builders for crafted ones, and the
// properties every rendered message must have.
import * as fs from 'fs';
import * as path from 'path';
import { SLACK_LIMITS, SlackMessage, SlackText } from '../../lib/notification/slack-message';

export const SNS_FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudwatch-sns');

/** The shared samples beside the repository (CI clones it with shared/ at ../shared), if present. */
export const SHARED_SNS_FIXTURES = path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'cloudwatch-sns');

function jsonFilesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out.push(path.relative(root, p));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}

/**
 * Every sample notification: the copies under test/fixtures/cloudwatch-sns, plus any sample in
 * ../shared that has not been copied yet (so a new shared sample is rendered too).
 */
export function sampleFiles(): string[] {
  const local = jsonFilesUnder(SNS_FIXTURES);
  const shared = jsonFilesUnder(SHARED_SNS_FIXTURES).filter((f) => !local.includes(f));
  return [...local.map((f) => path.join(SNS_FIXTURES, f)), ...shared.map((f) => path.join(SHARED_SNS_FIXTURES, f))].sort();
}

export const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

export const CONTRACT = [
  'Payment webhooks are piling up; charges are not being processed.',
  '',
  'Severity: SEV2',
  'Runbook: https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md',
  'First move: Scale out the webhook consumer to drain the backlog',
  'Owner: payments',
].join('\n');

/** A CloudWatch alarm message (the SNS `Message` body), with overrides. */
export function alarmMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AlarmName: 'Payments/WebhookBacklog',
    AlarmDescription: CONTRACT,
    AWSAccountId: '123456789012',
    NewStateValue: 'ALARM',
    NewStateReason: 'Threshold Crossed: 3 out of the last 5 datapoints were greater than the threshold (1000.0).',
    StateChangeTime: '2026-11-23T02:14:00.123+0000',
    Region: 'EU (Ireland)',
    AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/WebhookBacklog',
    OldStateValue: 'OK',
    Trigger: {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Statistic: 'MAXIMUM',
      Dimensions: [{ name: 'QueueName', value: 'payment-webhooks' }],
      Period: 60,
      EvaluationPeriods: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 1000.0,
    },
    ...overrides,
  };
}

let seq = 0;
/** A Lambda SNS event around a message. */
export function snsEvent(message: unknown, messageId = `msg-${++seq}`): Record<string, unknown> {
  return {
    Records: [{
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page',
        Subject: 'ALARM: "Payments/WebhookBacklog" in EU (Ireland)',
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        Timestamp: '2026-11-23T02:14:00.200Z',
      },
    }],
  };
}

/** Every text object in the message, with where it is. */
export function textsOf(msg: SlackMessage): Array<{ where: string; text: SlackText }> {
  const out: Array<{ where: string; text: SlackText }> = [];
  msg.blocks.forEach((b, i) => {
    if (b.text) out.push({ where: `${i}:${b.type}`, text: b.text });
    b.fields?.forEach((f) => out.push({ where: `${i}:field`, text: f }));
    b.elements?.forEach((e) => out.push({ where: `${i}:${e.type}`, text: e.text }));
  });
  return out;
}

// What our own renderer may put in angle brackets: Slack dates and the configured mentions.
const OWN_TOKENS = /<!date\^\d+\^\{date_short_pretty\} \{time_secs\}\|[0-9: -]+UTC>/g;

/**
 * The properties every message has, whatever the alarm said: Block Kit limits, no live mention
 * or link from alarm text, nothing but our own tokens in angle brackets.
 */
export function expectSafeAndWithinLimits(msg: SlackMessage, allowedMentions: string[] = []): void {
  expect(typeof msg.text).toBe('string');
  expect(msg.text.length).toBeGreaterThan(0);
  expect(msg.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  expect(msg.blocks.length).toBeGreaterThan(0);
  expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of msg.blocks) {
    if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (b.fields) {
      expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    for (const e of b.elements ?? []) {
      expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
      expect(e.url!.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonUrl);
      expect(e.url).toMatch(/^https?:\/\//);
    }
  }
  const mrkdwn = [msg.text, ...textsOf(msg).filter((t) => t.text.type === 'mrkdwn').map((t) => t.text.text)];
  for (const raw of mrkdwn) {
    // Our own markup: Slack dates, and `>` starting a quote line.
    let t = raw.replace(OWN_TOKENS, '').replace(/^>/gm, '');
    for (const m of allowedMentions) t = t.split(m).join('');
    // Escaped: no angle bracket is left, so no <!here>, <@U…>, <!subteam^…>, <url|text>.
    expect(t).not.toMatch(/[<>]/);
    // Bare @here / @channel / @everyone (read as mentions with link_names) are defused.
    expect(t).not.toMatch(/@(here|channel|everyone)\b/i);
    // Every & starts an entity we wrote.
    expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
  for (const { text } of textsOf(msg).filter((x) => x.text.type === 'plain_text')) {
    expect(text.text).not.toMatch(/@(here|channel|everyone)\b/i);
    expect(text.text).not.toMatch(/<[!@#]|<[a-z]+:/i);
  }
}
