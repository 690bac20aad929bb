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

let events = 0;
/**
 * The EventBridge "CloudWatch Alarm State Change" event of the same change as `alarmMessage(overrides)`
 * (the shape CloudWatch documents: detail.state, previousState, configuration with the description
 * and the metric), as a rule delivers it to the function; `id` repeated for a duplicate delivery.
 */
export function alarmStateChangeEvent(overrides: Record<string, unknown> = {}, id = `evt-${++events}`): Record<string, unknown> {
  const m = alarmMessage(overrides) as Record<string, any>;
  const t = m.Trigger;
  return {
    'version': '0',
    id,
    'detail-type': 'CloudWatch Alarm State Change',
    'source': 'aws.cloudwatch',
    'account': m.AWSAccountId,
    'time': String(m.StateChangeTime).slice(0, 19) + 'Z',
    'region': /^arn:aws:cloudwatch:([a-z0-9-]+):/.exec(m.AlarmArn)?.[1],
    'resources': [m.AlarmArn],
    'detail': {
      alarmName: m.AlarmName,
      state: { value: m.NewStateValue, reason: m.NewStateReason, timestamp: m.StateChangeTime },
      previousState: { value: m.OldStateValue, reason: 'before', timestamp: '2026-11-22T00:00:00.000+0000' },
      configuration: {
        description: m.AlarmDescription,
        metrics: t ? [{ id: 'm1', metricStat: { metric: { namespace: t.Namespace, name: t.MetricName, dimensions: Object.fromEntries(t.Dimensions.map((d: any) => [d.name, d.value])) },
          period: t.Period, stat: 'Maximum' }, returnData: true }] : [],
      },
    },
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
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Everything that makes a message unsafe or unsendable, whatever the alarm said, as a list (empty
 * when fine). Written apart from the renderer's own check, from Block Kit's rules and docs/design/slack.md#safety:
 * limits on the final strings (URLs as sent), no empty text, no lone surrogate, no live mention
 * or link from alarm text, nothing but our own tokens in angle brackets, every `&` an entity
 * (an entity cut in half leaves a bare `&`). Where cuts fall in emoji sequences is checked against
 * the uncut text, in escape.test.ts.
 */
export function messageViolations(msg: SlackMessage, allowedMentions: string[] = []): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  const strings: Array<[string, string]> = [];
  check(typeof msg?.text === 'string' && msg.text.trim().length > 0, 'text is empty');
  if (typeof msg?.text === 'string') {
    check(msg.text.length <= SLACK_LIMITS.fallbackText, `text is ${msg.text.length} long`);
    strings.push(['text', msg.text]);
  }
  const blocks = Array.isArray(msg?.blocks) ? msg.blocks : [];
  check(blocks.length > 0 && blocks.length <= SLACK_LIMITS.blocks, `${blocks.length} blocks`);
  const ids = new Set<string>();
  blocks.forEach((b, i) => {
    check(['header', 'section', 'divider', 'actions'].includes(b.type), `block ${i} has type ${b.type}`);
    const within = (t: SlackText | undefined, max: number, where: string) => {
      check(typeof t?.text === 'string' && t.text.trim().length > 0, `${where} is empty`);
      if (typeof t?.text === 'string') check(t.text.length <= max, `${where} is ${t.text.length} > ${max}`);
    };
    if (b.type === 'header') within(b.text, SLACK_LIMITS.headerText, `header ${i}`);
    if (b.type === 'section') {
      check(b.text !== undefined || (b.fields?.length ?? 0) > 0, `section ${i} has neither text nor fields`);
      if (b.text) within(b.text, SLACK_LIMITS.sectionText, `section ${i}`);
      if (b.fields) {
        check(b.fields.length <= SLACK_LIMITS.fields, `section ${i} has ${b.fields.length} fields`);
        b.fields.forEach((f, j) => within(f, SLACK_LIMITS.fieldText, `field ${i}.${j}`));
      }
    }
    if (b.type === 'actions') check((b.elements?.length ?? 0) > 0, `actions ${i} is empty`);
    for (const e of b.elements ?? []) {
      within(e.text, SLACK_LIMITS.buttonText, `button ${e.action_id}`);
      // An action button (Acknowledge) carries a value back to the app instead of a URL: Slack's limit is 2000.
      const value = (e as { value?: unknown }).value;
      if (e.url === undefined && typeof value === 'string') {
        check(value.length > 0 && value.length <= 2000, `button ${e.action_id} value is ${value.length} long`);
      } else {
        const url = e.url ?? '';
        check(url.length > 0 && url.length <= SLACK_LIMITS.buttonUrl, `button ${e.action_id} URL is ${url.length} long`);
        // As sent: printable ASCII (percent-encoded), http(s), and exactly what a URL parser makes of it.
        check(/^https?:\/\/[!-~]+$/.test(url), `button ${e.action_id} URL is not an encoded http(s) URL`);
        let href = '';
        try {
          href = new URL(url).href;
        } catch {
          // not a URL: href stays empty
        }
        check(href === url, `button ${e.action_id} URL is not in its parsed form`);
      }
      check(typeof e.action_id === 'string' && !ids.has(e.action_id), `action_id ${e.action_id} missing or repeated`);
      ids.add(e.action_id ?? '');
    }
  });
  strings.push(...textsOf({ text: '', blocks }).map((t): [string, string] => [t.where, t.text.text]));
  for (const [where, s] of strings) check(!LONE_SURROGATE.test(s), `${where} has a lone surrogate`);

  const mrkdwn = [msg.text, ...textsOf({ text: '', blocks }).filter((t) => t.text.type === 'mrkdwn').map((t) => t.text.text)];
  for (const raw of mrkdwn) {
    if (typeof raw !== 'string') continue;
    // Our own markup: Slack dates, and `>` starting a quote line.
    let t = raw.replace(OWN_TOKENS, '').replace(/^>/gm, '');
    for (const m of allowedMentions) t = t.split(m).join('');
    // Escaped: no angle bracket is left, so no <!here>, <@U…>, <!subteam^…>, <url|text>.
    check(!/[<>]/.test(t), `angle bracket in ${JSON.stringify(raw.slice(0, 80))}`);
    // Bare @here / @channel / @everyone / @user (read as mentions with link_names) are defused.
    check(!/@[\p{L}\p{N}_.-]/u.test(t), `live @ in ${JSON.stringify(raw.slice(0, 80))}`);
    // Every & starts an entity we wrote (an entity cut in half would leave a bare &).
    check(!/&(?!amp;|lt;|gt;)/.test(t), `bare & in ${JSON.stringify(raw.slice(0, 80))}`);
  }
  for (const { text } of textsOf({ text: '', blocks }).filter((x) => x.text.type === 'plain_text')) {
    check(!/@[\p{L}\p{N}_.-]/u.test(text.text), `live @ in plain text ${JSON.stringify(text.text.slice(0, 80))}`);
    check(!/<[!@#]|<[a-z][a-z0-9+.-]*:/i.test(text.text), `mention or link form in plain text ${JSON.stringify(text.text.slice(0, 80))}`);
  }
  return out;
}

/** The properties every message has (see {@link messageViolations}). */
export function expectSafeAndWithinLimits(msg: SlackMessage, allowedMentions: string[] = []): void {
  expect(messageViolations(msg, allowedMentions)).toEqual([]);
}
