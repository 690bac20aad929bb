// The built Lambda asset, black-box: dist/functions/notifier-webhook/index.js in a
// fresh node process, its production `handler` (no injected seams), a local Slack stand-in and a
// local Secrets Manager stand-in reached by the AWS SDK through AWS_ENDPOINT_URL_SECRETS_MANAGER.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { alarmMessage, alarmStateChangeEvent, expectSafeAndWithinLimits, snsEvent } from '../support/slack';
import { SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in';
import { SlackStandIn, startSlackStandIn } from '../support/slack-stand-in';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'functions', 'notifier-webhook', 'index.js');
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/slack-webhook-AbCdEf';
const WEBHOOK_PATH = '/services/T0BLACKBOX/B0BLACKBOX/blackBOXblackBOXblackBOX';

let slack: SlackStandIn;
let sm: SecretsManagerStandIn;
let dir: string;
beforeAll(async () => {
  slack = await startSlackStandIn();
  sm = await startSecretsManagerStandIn({ [SECRET_ARN]: JSON.stringify({ webhookUrl: `${slack.url}${WEBHOOK_PATH}` }) });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-black-box-'));
  fs.copyFileSync(BUNDLE, path.join(dir, 'index.js'));
  // As in the Lambda runtime, the SDK and nothing else can be found beside the bundle (a link to
  // the repository's copy; the bundle loads it with import(), which NODE_PATH does not reach).
  fs.mkdirSync(path.join(dir, 'node_modules', '@aws-sdk'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@aws-sdk', 'client-secrets-manager'), path.join(dir, 'node_modules', '@aws-sdk', 'client-secrets-manager'), 'dir');
});
afterAll(async () => {
  await Promise.all([slack.close(), sm.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Invokes the bundle's `handler` with each event in turn, in one fresh process (one container); returns outcomes and log lines. */
function invoke(events: unknown[]): Promise<{ outcomes: Outcome[]; logs: string[] }> {
  // Written as JSON text and parsed by the child, as Lambda hands events over.
  fs.writeFileSync(path.join(dir, 'events.json'), `[${events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(',')}]`);
  fs.writeFileSync(path.join(dir, 'probe.js'), `
    const logs = [];
    console.log = (line) => logs.push(String(line));
    const { handler } = require('./index.js');
    const events = JSON.parse(require('fs').readFileSync('events.json', 'utf8'));
    (async () => {
      const outcomes = [];
      for (const event of events) {
        const deadline = Date.now() + 20000;
        try {
          outcomes.push({ ok: true, result: await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now(), awsRequestId: 'bb' }) });
        } catch (err) {
          outcomes.push({ ok: false, error: err.message });
        }
      }
      process.stdout.write(JSON.stringify({ outcomes, logs }));
    })();
  `);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['probe.js'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_WEBHOOK_SECRET_ARN: SECRET_ARN,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDBLACKBOX',
        AWS_SECRET_ACCESS_KEY: 'black-box-secret-key',
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`probe exited ${code}: ${err}`))));
  });
}

test("the findings of issue 11 against the built asset: each record delivered, nothing blocked, nothing secret logged", async () => {
  const crashers = [
    { AlarmName: 'x', NewStateValue: 'ALARM', Trigger: { MetricName: 'Errors', Namespace: 'AWS/Lambda', ComparisonOperator: 'constructor' } },
    { AlarmName: 'r', NewStateValue: 'ALARM', Region: 'constructor' },
    { AlarmName: 'lone\ud800', NewStateValue: 'ALARM' },
    { AlarmArn: 'arn:aws:cloudwatch:eu-west-1:1:alarm:lone-arn\udbff', NewStateValue: 'ALARM' },
    alarmMessage({ AlarmName: 'long-runbook', AlarmDescription: `Severity: SEV2\nRunbook: https://wiki.example.com/${'é'.repeat(1393)}` }),
    alarmMessage({ AlarmName: 'emoji-severity', AlarmDescription: `Severity: ${'a'.repeat(19)}👍` }),
    alarmMessage({ AlarmName: 'spaces', AlarmDescription: `Severity: SEV2${' '.repeat(100_000)}x` }),
  ];
  // Each crasher followed by a valid notification, all in one event.
  const mixed = { Records: crashers.flatMap((m, i) => [...(snsEvent(m, `c${i}`).Records as unknown[]), ...(snsEvent(alarmMessage({ AlarmName: `valid-${i}` }), `v${i}`).Records as unknown[])]) };
  const deep = `${'{"requestPayload":'.repeat(12_000)}${JSON.stringify(snsEvent(alarmMessage({ AlarmName: 'deep-inside' }), 'deep'))}${'}'.repeat(12_000)}`;
  const notFound = snsEvent(alarmMessage({ AlarmName: 'gone' }), 'gone');
  slack.script([...mixed.Records.map((): 'ok' => 'ok'), 'ok', { status: 404, body: `Not Found: ${WEBHOOK_PATH}` }, { status: 500, body: `upstream ${slack.url}${WEBHOOK_PATH}` }], 'ok');

  // The last event twice: Lambda's retry of the failed invocation.
  const { outcomes, logs } = await invoke([mixed, deep, notFound, notFound]);

  // The mixed event: all 14 posted, every one within the limits.
  expect(outcomes[0]).toEqual({ ok: true, result: { delivered: 14, duplicates: 0 } });
  const posted = slack.received.map((r) => r.body);
  for (const p of posted) expectSafeAndWithinLimits(p);
  expect(posted.slice(0, 14).filter((p) => /ALARM: valid-\d/.test(p.text))).toHaveLength(7);
  // The deep one: posted once, unreadable.
  expect(outcomes[1]).toEqual({ ok: true, result: { delivered: 1, duplicates: 0 } });
  expect(posted[14].text).toMatch(/unreadable notification/);
  // The 404 quoting the webhook path fails the invocation (kept by Lambda); its retry reads the
  // secret again and gets a 500 quoting the whole URL, retried, then delivered. Neither the error
  // nor any log line (the retry warning included) holds any of the path.
  expect(outcomes[2].ok).toBe(false);
  expect(outcomes[2].error).toMatch(/1 of 1 notification\(s\) not delivered to Slack \(gone\)/);
  expect(outcomes[3]).toEqual({ ok: true, result: { delivered: 1, duplicates: 0 } });
  expect(logs.map((l) => JSON.parse(l)).find((l) => l.level === 'warn')).toMatchObject({ status: 500, slackError: 'upstream [redacted]' });
  const everything = [...logs, outcomes[2].error!].join('\n');
  const secret = WEBHOOK_PATH.slice('/services'.length);
  for (let i = 0; i + 8 <= secret.length; i++) expect(everything).not.toContain(secret.slice(i, i + 8));
  expect(everything).not.toContain(slack.url);
  expect(logs.map((l) => JSON.parse(l)).find((l) => l.status === 404)).toMatchObject({ msg: 'not delivered to slack', slackError: 'Not Found: [redacted]' });
  // The SDK really went to the stand-in for the secret: once, then again after the 404.
  expect(sm.requests.map((r) => [r.target, r.body.SecretId])).toEqual([
    ['secretsmanager.GetSecretValue', SECRET_ARN],
    ['secretsmanager.GetSecretValue', SECRET_ARN],
  ]);
});

test('the built webhook notifier reads an EventBridge alarm state change of another account, and the same kind of event and an SNS notification inside SQS messages', async () => {
  const before = slack.received.length;
  slack.script([], 'ok');
  const event = alarmStateChangeEvent({ AlarmName: 'Checkout/Errors', AWSAccountId: '210987654321', AlarmArn: 'arn:aws:cloudwatch:us-east-1:210987654321:alarm:Checkout/Errors' });
  const queued = { Records: [
    { messageId: 'q1', eventSource: 'aws:sqs', body: JSON.stringify(alarmStateChangeEvent({ AlarmName: 'Search/Latency' })) },
    { messageId: 'q2', eventSource: 'aws:sqs', body: JSON.stringify({ Type: 'Notification', MessageId: 'sns-q2', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(alarmMessage({ AlarmName: 'Queue/Depth' })) }) },
  ] };
  const { outcomes } = await invoke([event, queued]);
  expect(outcomes).toEqual([{ ok: true, result: { delivered: 1, duplicates: 0 } }, { ok: true, result: { delivered: 2, duplicates: 0 } }]);
  const posted = slack.received.slice(before).map((r) => r.body);
  expect(posted.map((p) => p.text)).toEqual([
    '[SEV2] ALARM: Checkout/Errors — Scale out the webhook consumer to drain the backlog',
    '[SEV2] ALARM: Search/Latency — Scale out the webhook consumer to drain the backlog',
    '[SEV2] ALARM: Queue/Depth — Scale out the webhook consumer to drain the backlog',
  ]);
  expect(JSON.stringify(posted[0].blocks)).toContain('us-east-1.console.aws.amazon.com');
  for (const p of posted) expectSafeAndWithinLimits(p);
});
