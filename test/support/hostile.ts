// Generators of hostile notifications for the property tests and the fuzz benchmark: arbitrary
// JSON, and CloudWatch-shaped messages whose every field may be missing, mistyped or made of the
// text that breaks renderers (mention and link tokens, &<>, long text, emoji and ZWJ sequences,
// RTL and zero-width characters, prototype names, lone surrogates).
import fc from 'fast-check';

/** Text fragments chosen for what they do to Slack, to escaping, to shortening and to lookups. */
export const HOSTILE_FRAGMENTS = [
  // mentions and links, raw and half-escaped
  '<!here>', '<!channel>', '<!everyone>', '@here', '@channel', '@everyone', '@alice', 'ops@example.com',
  '<@U024BE7LH>', '<@U024BE7LH|boss>', '<!subteam^SAZ94GDB8>', '<#C024BE7LR>', '<!date^1392734382^{date}|x>',
  '<https://evil.example|Open runbook>', '<javascript:alert(1)|x>', '<mailto:a@b.c>', 'https://evil.example/x?a=1&b=2',
  '&', '<', '>', '&amp;', '&lt;', '&gt;', '&#60;', '&lt;!here&gt;', '`', '```', '*', '_', '~', '|', '^',
  // line and space characters
  '\n', '\r\n', '\r', '\t', '\u2028', '\u2029', '\u0000', '\u001b[31m', '\u00a0', '   ',
  // emoji, modifiers and joined sequences
  '👍', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇺🇸🇬🇧', '❤️', '1️⃣', '\u200d', '\ufe0f', '🧑🏿‍🚀',
  // combining marks, RTL, zero-width, odd scripts
  'e\u0301', 'a\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307', '\u202e', '\u202d', '\u2066', '\u2069', '\u200f', '\u200e',
  '\u200b', '\u2060', '\ufeff', 'مرحبا', 'שלום', '支払い', 'ﷺ', 'Ω', '𝕏',
  // lone surrogates
  '\ud83d', '\udc4d', '\udbff', '\udc00',
  // names that live on Object.prototype
  'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf',
  // contract lines
  'Severity: SEV1', 'Severity: SEV2', 'Severity: sev 3', 'Severity: P1', 'Runbook: https://ok.example/rb',
  'Runbook: javascript:alert(1)', 'First move: fail over', 'Owner: payments', 'Dashboard: https://ok.example/d',
];

/** Any UTF-16 unit, lone surrogates included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Hostile text: a mix of fragments and random units, sometimes very long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: anyUnit, maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 30 }).map((xs) => xs.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: anyUnit, maxLength: 200 }) },
  // Long: past every limit (header 150, section 3000, URL 3000), with the cut landing anywhere.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_FRAGMENTS, 'x', 'é', ' '), fc.integer({ min: 1, max: 6000 }), fc.constantFrom(...HOSTILE_FRAGMENTS)).map(([f, n, end]) => f.repeat(Math.ceil(n / f.length)) + end) },
);

/** A value of any JSON type, as a mistyped field would be. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** Mostly the right type, sometimes hostile text, sometimes any JSON at all, sometimes missing. */
function field<T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: right }, { weight: 3, arbitrary: hostileText }, { weight: 1, arbitrary: anyJson });
}

const state = fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA', 'ALARM ', 'alarm', '', 'constructor');
const time = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+0000')),
  fc.constantFrom('0001-01-01T00:00:00.000+0000', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z', '1969-12-31T23:59:59.999+0000', '9999-12-31T23:59:59.999+0000', 'yesterday', ''),
);
const arn = fc.tuple(fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'constructor'), fc.constantFrom('eu-west-1', 'us-east-1', 'cn-north-1', 'constructor'), hostileText)
  .map(([p, r, name]) => `arn:${p}:cloudwatch:${r}:123456789012:alarm:${name}`);
const description = fc.tuple(hostileText, fc.array(fc.oneof(
  fc.constantFrom('Severity: SEV1', 'Severity: SEV2', 'Severity: SEV4', 'Severity: ' + 'a'.repeat(19) + '👍', 'Runbook: https://ok.example/rb', 'First move: fail over'),
  hostileText.map((t) => `Runbook: https://ok.example/${t}`),
  hostileText.map((t) => `First move: ${t}`),
  hostileText.map((t) => `Owner: ${t}`),
  hostileText.map((t) => `Dashboard: https://ok.example/${t}`),
  hostileText.map((t) => `Severity: ${t}`),
), { maxLength: 6 })).map(([summary, lines]) => `${summary}\n\n${lines.join('\n')}`);
const dimension = fc.record({ name: field(fc.constantFrom('QueueName', 'FunctionName')), value: field(hostileText) }, { requiredKeys: [] });
const query = fc.record({
  Id: field(fc.constantFrom('m1', 'm2', 'e1')),
  Expression: field(hostileText),
  Label: field(hostileText),
  ReturnData: field(fc.boolean()),
  MetricStat: field(fc.record({ Metric: fc.record({ Namespace: field(hostileText), MetricName: field(hostileText) }, { requiredKeys: [] }) })),
}, { requiredKeys: [] });
const trigger = fc.record({
  MetricName: field(fc.constantFrom('Errors', 'ApproximateNumberOfMessagesVisible')),
  Namespace: field(fc.constantFrom('AWS/Lambda', 'AWS/SQS')),
  Statistic: field(fc.constantFrom('AVERAGE', 'MAXIMUM')),
  ExtendedStatistic: field(fc.constantFrom('p99', 'tm90')),
  ComparisonOperator: field(fc.constantFrom('GreaterThanThreshold', 'LessThanLowerThreshold', 'constructor', 'toString', '__proto__', 'valueOf')),
  Threshold: field(fc.double()),
  Period: field(fc.integer({ min: -10, max: 100_000 })),
  EvaluationPeriods: field(fc.integer({ min: 0, max: 100 })),
  Dimensions: field(fc.array(dimension, { maxLength: 40 })),
  Metrics: field(fc.array(query, { maxLength: 15 })),
}, { requiredKeys: [] });
const child = fc.record({ Arn: field(arn), State: field(fc.oneof(state, fc.record({ Value: field(state) }))) }, { requiredKeys: [] });

/** A CloudWatch alarm message (the SNS `Message` body) whose every field may be missing, mistyped or hostile. */
export const hostileAlarm: fc.Arbitrary<Record<string, unknown>> = fc.record({
  AlarmName: field(fc.oneof(fc.constant('Payments/WebhookBacklog'), hostileText)),
  AlarmDescription: field(description),
  AWSAccountId: field(fc.oneof(fc.constant('123456789012'), fc.nat())),
  NewStateValue: field(state),
  NewStateReason: field(hostileText),
  StateChangeTime: field(time),
  Region: field(fc.constantFrom('EU (Ireland)', 'US East (N. Virginia)', 'Europe (Ireland)', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf')),
  AlarmArn: field(arn),
  OldStateValue: field(state),
  Trigger: field(trigger),
  AlarmRule: field(hostileText),
  TriggeringChildren: field(fc.array(child, { maxLength: 30 })),
}, { requiredKeys: [] });

let ids = 0;
/** An SNS record around a message: a string (JSON or not), sometimes an object; envelope fields hostile too. */
const record = fc.record({
  message: fc.oneof(
    { weight: 6, arbitrary: hostileAlarm.map((m) => JSON.stringify(m)) },
    { weight: 1, arbitrary: hostileAlarm },
    { weight: 1, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.tuple(anyJson, fc.boolean()).map(([v, asText]) => (asText ? JSON.stringify(v) : v)) },
  ),
  subject: fc.option(hostileText, { nil: undefined }),
  topicArn: fc.option(fc.oneof(fc.constant('arn:aws:sns:eu-west-1:123456789012:page'), hostileText), { nil: undefined }),
}).map(({ message, subject, topicArn }) => ({
  EventSource: 'aws:sns',
  // Unique ids, so that no record is a legitimate duplicate of another.
  Sns: { Type: 'Notification', MessageId: `fuzz-${++ids}`, TopicArn: topicArn, Subject: subject, Message: message },
}));

/** What the function may be invoked with, and how many notifications it holds (undefined: not known from the shape). */
export interface HostileEvent {
  readonly event: unknown;
  /** Notifications the event holds when it is SNS-shaped; each must reach Slack. */
  readonly notifications?: number;
  /** True when the event is wrapped past the notifier's nesting bound (posted unreadable). */
  readonly tooDeep?: boolean;
}

/** SNS events of 1–4 hostile records, sometimes wrapped in on-failure records (up to 40 deep), sometimes any JSON at all. */
export const hostileEvent: fc.Arbitrary<HostileEvent> = fc.oneof(
  { weight: 6, arbitrary: fc.array(record, { minLength: 1, maxLength: 4 }).map((Records) => ({ event: { Records }, notifications: Records.length })) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.array(record, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 40 })).map(([Records, depth]) => {
      let event: unknown = { Records };
      for (let i = 0; i < depth; i++) event = { version: '1.0', requestContext: { condition: 'RetriesExhausted' }, requestPayload: event };
      // The bound (32) counts wrappers: on-failure records, then Records, then Sns. Past it the
      // whole event is one unreadable notification, or each record is when only they are past it.
      return { event, notifications: depth > 32 ? 1 : Records.length, tooDeep: depth + 2 > 32 };
    }),
  },
  { weight: 1, arbitrary: record.map((r) => ({ event: r, notifications: 1 })) },
  { weight: 1, arbitrary: anyJson.map((event) => ({ event })) },
);
