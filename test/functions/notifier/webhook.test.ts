// The handler against a real HTTP server on 127.0.0.1 answering like Slack: what was posted, how
// often, and that nothing was lost (an undelivered notification fails the invocation).
import { Fetcher, FunctionDeps, LogEntry, createHandler } from '../../../lib/functions/notifier/webhook';
import { backoffMs, retryAfterMs, DEFAULT_DELIVERY } from '../../../lib/functions/shared/delivery';
import { CONTRACT, alarmMessage, alarmStateChangeEvent, expectSafeAndWithinLimits, snsEvent } from '../../support/slack';
import { Answer, SlackStandIn, startSlackStandIn } from '../../support/slack-stand-in';

const WEBHOOK_PATH = '/services/T000SECRET/B000SECRET/XXXXSECRETXXXX';
const FAST = { baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 400, safetyMarginMs: 100, maxAttempts: 4 };

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startSlackStandIn();
});
afterAll(() => slack.close());
beforeEach(() => {
  slack.received.length = 0;
  slack.script([], 'ok');
});

interface Harness {
  handler: ReturnType<typeof createHandler>;
  logs: LogEntry[];
  secretReads: string[];
}

function harness(deps: Partial<FunctionDeps> = {}, env: Record<string, string> = {}): Harness {
  const logs: LogEntry[] = [];
  const secretReads: string[] = [];
  const handler = createHandler({
    env: { SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:default', ...env },
    secrets: {
      getSecretString: async (arn) => {
        secretReads.push(arn);
        return arn.endsWith(':sev1') ? JSON.stringify({ webhookUrl: `${slack.url}/sev1${WEBHOOK_PATH}` }) : `${slack.url}${WEBHOOK_PATH}`;
      },
    },
    delivery: FAST,
    log: (e) => logs.push(e),
    ...deps,
  });
  return { handler, logs, secretReads };
}

const context = (ms = 3000) => ({ getRemainingTimeInMillis: () => ms, awsRequestId: 'req-1' });

/** No log field holds the URL, nor any 8 characters of the webhook's path after `/services/`. */
function expectNothingSecretLogged(logs: LogEntry[], also: string[] = []): void {
  const text = [JSON.stringify(logs), ...also].join('\n');
  expect(text).not.toContain('SECRET');
  expect(text).not.toContain(slack.url);
  const secret = WEBHOOK_PATH.slice('/services'.length);
  for (let i = 0; i + 8 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 8));
}

async function run(h: Harness, answers: Answer[], then: Answer, event = snsEvent(alarmMessage()), ctx = context()) {
  slack.script(answers, then);
  const started = Date.now();
  try {
    const result = await h.handler(event, ctx);
    return { result, error: undefined as Error | undefined, ms: Date.now() - started };
  } catch (error) {
    return { result: undefined, error: error as Error, ms: Date.now() - started };
  }
}

test('200 ok: posted once, as JSON with text and blocks, to the webhook from the secret', async () => {
  const h = harness();
  const { result, error } = await run(h, [], 'ok');
  expect(error).toBeUndefined();
  expect(result).toEqual({ delivered: 1, duplicates: 0 });
  expect(slack.received).toHaveLength(1);
  const [post] = slack.received;
  expect(post.path).toBe(WEBHOOK_PATH);
  expect(post.contentType).toMatch(/^application\/json/);
  expect(post.body.text).toBe('[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog');
  expect(post.body.blocks[0].type).toBe('header');
  const delivered = h.logs.find((l) => l.msg === 'delivered to slack')!;
  expect(delivered).toMatchObject({ level: 'info', alarmName: 'Payments/WebhookBacklog', severity: 'SEV2', attempts: 1, status: 200 });
  expectNothingSecretLogged(h.logs);
});

test('429 with Retry-After: waits as told, then delivers', async () => {
  const h = harness();
  const { error } = await run(h, [{ status: 429, body: 'rate_limited', retryAfter: '1' }], 'ok');
  expect(error).toBeUndefined();
  expect(slack.received).toHaveLength(2);
  expect(slack.received[1].at - slack.received[0].at).toBeGreaterThanOrEqual(990);
  expect(h.logs.find((l) => l.msg.includes('retrying'))).toMatchObject({ status: 429, slackError: 'rate_limited', waitMs: expect.any(Number) });
});

test('a Retry-After beyond the function timeout fails at once, for Lambda to retry later', async () => {
  const h = harness();
  const { error } = await run(h, [], { status: 429, retryAfter: '30' });
  expect(error?.message).toMatch(/not delivered to Slack/);
  expect(slack.received).toHaveLength(1);
  // Failed without waiting: no retry was scheduled, and the reason is the wait, not a timeout.
  expect(h.logs.filter((l) => l.level === 'warn')).toHaveLength(0);
  expect(h.logs.find((l) => l.level === 'error')).toMatchObject({ status: 429, attempts: 1, error: expect.stringMatching(/would pass the function timeout/) });
});

test('500 then 500 then 200: retried with backoff, delivered once', async () => {
  const h = harness();
  const { error } = await run(h, [{ status: 500 }, { status: 503 }], 'ok');
  expect(error).toBeUndefined();
  expect(slack.received).toHaveLength(3);
  expect(h.logs.filter((l) => l.level === 'warn').map((l) => l.status)).toEqual([500, 503]);
});

test.each([408, 425])('%i then 200: retried, delivered', async (status) => {
  const h = harness();
  const { error, result } = await run(h, [{ status }], 'ok');
  expect(error).toBeUndefined();
  expect(result).toEqual({ delivered: 1, duplicates: 0 });
  expect(slack.received).toHaveLength(2);
  expect(h.logs.filter((l) => l.level === 'warn').map((l) => l.status)).toEqual([status]);
  expect(h.logs.find((l) => l.msg === 'delivered to slack')).toMatchObject({ attempts: 2, status: 200 });
});

test('500 forever: gives up after maxAttempts and fails the invocation (nothing lost)', async () => {
  const h = harness();
  const { error } = await run(h, [], { status: 500, body: 'internal_error' });
  expect(error?.message).toMatch(/1 of 1 notification\(s\) not delivered to Slack/);
  expect(slack.received).toHaveLength(FAST.maxAttempts);
  expect(h.logs.find((l) => l.level === 'error')).toMatchObject({ msg: 'not delivered to slack', status: 500, attempts: FAST.maxAttempts });
  expectNothingSecretLogged(h.logs);
});

test('400 invalid_payload: no retry of the same payload; a plain-text fallback still tells the engineer', async () => {
  const h = harness();
  const { error } = await run(h, [{ status: 400, body: 'invalid_payload' }], 'ok');
  expect(error).toBeUndefined();
  expect(slack.received).toHaveLength(2);
  expect(slack.received[0].body.blocks).toBeDefined();
  expect(slack.received[1].body).toEqual({ text: slack.received[0].body.text });
  expect(h.logs.find((l) => l.level === 'error')).toMatchObject({ status: 400, slackError: 'invalid_payload' });
});

test('400 invalid_payload for the fallback too: fails with Slack\'s error text logged', async () => {
  const h = harness();
  const { error } = await run(h, [], { status: 400, body: 'invalid_payload' });
  expect(error).toBeDefined();
  expect(slack.received).toHaveLength(2);
  const failed = h.logs.find((l) => l.msg === 'not delivered to slack')!;
  expect(failed).toMatchObject({ status: 400, slackError: 'invalid_payload' });
  expect(String(failed.error)).toContain('invalid_payload');
});

test.each([
  [403, 'invalid_token'],
  [404, 'no_service'],
  [410, 'channel_is_archived'],
])('%i %s fails at once, and the secret is read again next time', async (status, body) => {
  const h = harness();
  const first = await run(h, [], { status, body });
  expect(first.error).toBeDefined();
  expect(slack.received).toHaveLength(1);
  expect(h.logs.find((l) => l.level === 'error')).toMatchObject({ status, slackError: body });
  await run(h, [], 'ok');
  expect(h.secretReads).toHaveLength(2);
  expect(slack.received).toHaveLength(2);
});

test('a stall past the timeout: attempts are cut, and the invocation fails before the function timeout', async () => {
  const h = harness({ delivery: { ...FAST, attemptTimeoutMs: 10_000 } });
  const { error, ms } = await run(h, [], 'stall', snsEvent(alarmMessage()), context(1500));
  expect(error?.message).toMatch(/not delivered/);
  // Cut at the deadline (~1.4 s), not after the 10 s attempt timeout; the bound leaves a loaded
  // CI machine several seconds of slack.
  expect(ms).toBeLessThan(1500 + 5000);
  expect(slack.received.length).toBeGreaterThanOrEqual(1);
  expect(h.logs.find((l) => l.level === 'error')!.error).toMatch(/gave up|TimeoutError|AbortError/);
  expectNothingSecretLogged(h.logs);
});

test.each([302, 301, 303, 307, 308])('a %i redirect is not followed: the invocation fails, posted once, nothing sent to the Location', async (status) => {
  const h = harness();
  const location = `${slack.url}/moved${WEBHOOK_PATH}`;
  const { error } = await run(h, [{ status, location, body: `Found. Redirecting to ${location}` }], 'ok');
  // Failed, so Lambda retries the notification and the on-failure queue keeps it.
  expect(error?.message).toMatch(/1 of 1 notification\(s\) not delivered to Slack/);
  expect(slack.received.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${WEBHOOK_PATH}`]);
  expect(slack.received.filter((r) => r.method === 'GET' || r.path.startsWith('/moved'))).toHaveLength(0);
  // Not retried as if transient; only the status is logged, never the Location or the body.
  expect(h.logs.filter((l) => l.level === 'warn')).toHaveLength(0);
  expect(h.logs.find((l) => l.level === 'error')).toMatchObject({ msg: 'not delivered to slack', status, attempts: 1 });
  expect(JSON.stringify(h.logs)).not.toContain('/moved');
  expectNothingSecretLogged(h.logs);
});

test('fetch is told not to follow redirects; an opaque redirect (status 0) is a failure, not retried', async () => {
  const inits: Array<Parameters<Fetcher>[1]> = [];
  const fetcher: Fetcher = async (_url, init) => {
    inits.push(init);
    return { status: 0, type: 'opaqueredirect', headers: { get: () => null }, text: async () => '' };
  };
  const h = harness({ fetch: fetcher });
  const { error } = await run(h, [], 'ok');
  expect(error?.message).toMatch(/not delivered to Slack/);
  expect(inits).toHaveLength(1);
  expect(inits[0]).toMatchObject({ method: 'POST', redirect: 'manual' });
  expect(h.logs.find((l) => l.level === 'error')).toMatchObject({ status: 0, attempts: 1 });
  expectNothingSecretLogged(h.logs);
});

test('a reset connection is retried', async () => {
  const h = harness();
  const { error } = await run(h, ['reset'], 'ok');
  expect(error).toBeUndefined();
  expect(slack.received).toHaveLength(2);
  expect(String(h.logs.find((l) => l.level === 'warn')!.error)).toMatch(/TypeError|fetch failed|ECONNRESET|socket/i);
  expectNothingSecretLogged(h.logs);
});

test('the same SNS MessageId is posted once per container; a failed one is posted again', async () => {
  const h = harness();
  const event = snsEvent(alarmMessage(), 'dup-1');
  await run(h, [], 'ok', event);
  const again = await run(h, [], 'ok', event);
  expect(again.result).toEqual({ delivered: 0, duplicates: 1 });
  expect(slack.received).toHaveLength(1);

  const failing = snsEvent(alarmMessage(), 'dup-2');
  expect((await run(h, [], { status: 500 }, failing)).error).toBeDefined();
  const posts = slack.received.length;
  expect((await run(h, [], 'ok', failing)).error).toBeUndefined();
  expect(slack.received).toHaveLength(posts + 1);
});

test('a batch with one failure fails the invocation; on retry only the undelivered one is posted', async () => {
  const h = harness();
  const a = snsEvent(alarmMessage({ AlarmName: 'A' }), 'batch-a');
  const b = snsEvent(alarmMessage({ AlarmName: 'B' }), 'batch-b');
  const batch = { Records: [...(a.Records as unknown[]), ...(b.Records as unknown[])] };
  const first = await run(h, ['ok'], { status: 404, body: 'no_service' }, batch);
  expect(first.error?.message).toMatch(/1 of 2 .*batch-b/);
  const second = await run(h, [], 'ok', batch);
  expect(second.result).toEqual({ delivered: 1, duplicates: 1 });
  expect(slack.received.map((r) => r.body.text.match(/ALARM: (\w)/)[1])).toEqual(['A', 'B', 'B']);
});

test('the secret is read once per container; SEV1 uses its own secret; mentions come from the environment', async () => {
  const h = harness({}, {
    SLACK_WEBHOOK_SECRET_ARN_SEV1: 'arn:aws:secretsmanager:eu-west-1:1:secret:sev1',
    SLACK_MENTION_SEV1: '<!subteam^S0INCIDENT> not-a-mention',
    SLACK_ESCALATION_SEV1: 'pages payments-primary; unacknowledged after 5 min → payments-secondary',
  });
  await run(h, [], 'ok', snsEvent(alarmMessage()));
  await run(h, [], 'ok', snsEvent(alarmMessage()));
  await run(h, [], 'ok', snsEvent(alarmMessage({ AlarmDescription: CONTRACT.replace('SEV2', 'SEV1') })));
  expect(h.secretReads).toEqual(['arn:aws:secretsmanager:eu-west-1:1:secret:default', 'arn:aws:secretsmanager:eu-west-1:1:secret:sev1']);
  expect(slack.received.map((r) => r.path)).toEqual([WEBHOOK_PATH, WEBHOOK_PATH, `/sev1${WEBHOOK_PATH}`]);
  expect(slack.received[2].body.text).toMatch(/^<!subteam\^S0INCIDENT> \[SEV1\] ALARM/);
  expect(JSON.stringify(slack.received[2].body)).not.toContain('not-a-mention');
  expect(JSON.stringify(slack.received[2].body)).toContain('*Escalation:* pages payments-primary');
});

test('an unreadable secret fails the invocation without logging its value', async () => {
  const h = harness({ secrets: { getSecretString: async () => 'http://hooks.example.com/services/SECRET' } });
  const { error } = await run(h, [], 'ok');
  expect(error).toBeDefined();
  expect(slack.received).toHaveLength(0);
  expect(h.logs.find((l) => l.level === 'error')!.error).toMatch(/webhook secret unavailable: the webhook URL must use https/);
  expectNothingSecretLogged(h.logs);
});

test('a notification that is not an alarm is still posted, raw and marked', async () => {
  const h = harness();
  const { error } = await run(h, [], 'ok', snsEvent('this is { not json'));
  expect(error).toBeUndefined();
  expect(slack.received[0].body.text).toMatch(/unreadable notification/);
});

test('backoff: full jitter within the exponential step, capped; Retry-After in seconds or as a date', () => {
  expect(backoffMs(1, DEFAULT_DELIVERY, () => 0.999)).toBeLessThan(DEFAULT_DELIVERY.baseDelayMs);
  expect(backoffMs(3, DEFAULT_DELIVERY, () => 0.999)).toBeLessThan(DEFAULT_DELIVERY.baseDelayMs * 4);
  expect(backoffMs(30, DEFAULT_DELIVERY, () => 0.999)).toBeLessThan(DEFAULT_DELIVERY.maxDelayMs);
  expect(retryAfterMs('2', 0)).toBe(2000);
  expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
  expect(retryAfterMs('soon', 0)).toBeUndefined();
  expect(retryAfterMs(null, 0)).toBeUndefined();
});

describe('no record blocks another, and no log or error carries the webhook (issue 11)', () => {
  // What crashed the renderer before, each followed by a valid notification in the same event.
  const crashers: Array<[string, unknown]> = [
    ['ComparisonOperator constructor', { AlarmName: 'x', NewStateValue: 'ALARM', Trigger: { MetricName: 'Errors', Namespace: 'AWS/Lambda', ComparisonOperator: 'constructor' } }],
    ['Region constructor', { AlarmName: 'y', NewStateValue: 'ALARM', Region: 'constructor' }],
    ['a lone surrogate in AlarmName', { AlarmName: 'z\ud800', NewStateValue: 'ALARM' }],
    ['a lone surrogate at the end of AlarmArn', { AlarmArn: 'arn:aws:cloudwatch:eu-west-1:1:alarm:w\udbff', NewStateValue: 'ALARM' }],
  ];

  test('each record is posted on its own: what crashed the renderer, then a valid one, all delivered', async () => {
    const h = harness();
    const records = crashers.flatMap(([what, message], i) => [
      ...(snsEvent(message, `crash-${i}`).Records as unknown[]),
      ...(snsEvent(alarmMessage({ AlarmName: `valid-after-${what}` }), `valid-${i}`).Records as unknown[]),
    ]);
    const { result, error } = await run(h, [], 'ok', { Records: records });
    expect(error).toBeUndefined();
    expect(result).toEqual({ delivered: records.length, duplicates: 0 });
    expect(slack.received).toHaveLength(records.length);
    for (const r of slack.received) expectSafeAndWithinLimits(r.body);
    expect(slack.received.filter((r) => /valid-after-/.test(r.body.text))).toHaveLength(crashers.length);
  });

  test('a failing record does not stop the next one either: the valid one is posted, the failed one fails the invocation', async () => {
    const h = harness();
    const a = snsEvent(alarmMessage({ AlarmName: 'A' }), 'iso-a');
    const b = snsEvent(alarmMessage({ AlarmName: 'B' }), 'iso-b');
    const { error } = await run(h, [{ status: 404, body: 'no_service' }], 'ok', { Records: [...(a.Records as unknown[]), ...(b.Records as unknown[])] });
    expect(error?.message).toMatch(/1 of 2 notification\(s\) not delivered.*iso-a/);
    expect(slack.received.map((r) => r.body.text.match(/ALARM: (\w)/)[1])).toEqual(['A', 'B']);
  });

  test('a 404 whose body quotes the webhook path: not in the log, nor in the error the invocation fails with', async () => {
    const h = harness();
    const { error } = await run(h, [], { status: 404, body: `Not Found: ${WEBHOOK_PATH}` });
    expect(error).toBeDefined();
    const failed = h.logs.find((l) => l.msg === 'not delivered to slack')!;
    expect(failed).toMatchObject({ status: 404, slackError: 'Not Found: [redacted]' });
    expectNothingSecretLogged(h.logs, [error!.message]);
  });

  test('a 500 whose body quotes the whole URL: not in the retry warnings', async () => {
    const h = harness();
    await run(h, [{ status: 500, body: `upstream error posting to ${slack.url}${WEBHOOK_PATH}` }, { status: 502, body: `<html>bad gateway ${WEBHOOK_PATH}</html>` }], 'ok');
    const warnings = h.logs.filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.status)).toEqual([500, 502]);
    expect(String(warnings[0].slackError)).toContain('[redacted]');
    expectNothingSecretLogged(h.logs);
  });

  test('a body that the 200-character cut would end inside the token: redacted before it is cut', async () => {
    const h = harness();
    const body = `${'e'.repeat(170)}${WEBHOOK_PATH}`;
    expect(body.slice(0, 200)).not.toContain(WEBHOOK_PATH);
    await run(h, [], { status: 403, body });
    expectNothingSecretLogged(h.logs);
  });

  test('12,000 levels of on-failure records: posted once, in the unreadable form, naming the innermost alarm', async () => {
    const h = harness();
    // As Lambda hands it over: JSON text, parsed (JSON.stringify could not even write it back).
    const json = `${'{"requestPayload":'.repeat(12_000)}${JSON.stringify(snsEvent(alarmMessage({ AlarmName: 'deep-inside' }), 'deep'))}${'}'.repeat(12_000)}`;
    expect(json.length).toBeGreaterThan(229_000);
    const { result, error } = await run(h, [], 'ok', JSON.parse(json));
    expect(error).toBeUndefined();
    expect(result).toEqual({ delivered: 1, duplicates: 0 });
    const [post] = slack.received;
    expectSafeAndWithinLimits(post.body);
    expect(post.body.text).toMatch(/unreadable notification/);
    const shown = JSON.stringify(post.body.blocks);
    expect(shown).toContain('nested more than 32 levels deep');
    expect(shown).toContain('11967 more levels of on-failure records'); // 12,000 less the 33 unwrapped
    expect(shown).toContain('deep-inside');
  });

  test('a re-driven record inside the bound is read as the alarm it holds', async () => {
    const h = harness();
    let event: unknown = snsEvent(alarmMessage({ AlarmName: 'redriven' }), 'redrive');
    for (let i = 0; i < 30; i++) event = { requestContext: { condition: 'RetriesExhausted' }, requestPayload: event };
    await run(h, [], 'ok', event as Record<string, unknown>);
    expect(slack.received[0].body.text).toMatch(/^\[SEV2\] ALARM: redriven — /);
  });
});

test('an EventBridge alarm state change, and one inside an SQS message, are posted as the SNS notification of the same change is; a repeated event once per container', async () => {
  const h = harness();
  const e = alarmStateChangeEvent({ AWSAccountId: '210987654321', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:Payments/WebhookBacklog' }, 'evt-wh-1');
  expect((await run(h, [], 'ok', e as never)).result).toEqual({ delivered: 1, duplicates: 0 });
  expect((await run(h, [], 'ok', e as never)).result).toEqual({ delivered: 0, duplicates: 1 });
  const viaSqs = { Records: [{ messageId: 'q1', eventSource: 'aws:sqs', body: JSON.stringify(alarmStateChangeEvent({ AlarmName: 'Payments/Other' })) }] };
  expect((await run(h, [], 'ok', viaSqs as never)).result).toEqual({ delivered: 1, duplicates: 0 });
  const [fromEvent, fromQueue] = slack.received.map((r) => r.body);
  expect(fromEvent.text).toBe('[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog');
  expect(JSON.stringify(fromEvent.blocks)).toContain('210987654321');
  expect(fromQueue.text).toMatch(/^\[SEV2\] ALARM: Payments\/Other/);
  for (const m of [fromEvent, fromQueue]) expectSafeAndWithinLimits(m);
});
