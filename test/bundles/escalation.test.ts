// The interactivity, escalation and handoff functions as deployed: their built bundles
// (dist/functions/interactivity, dist/functions/escalation, dist/functions/handoff) and the notifier's (Slack app mode), each alone in a fresh
// `node` process with no node_modules above it (the SDK from NODE_PATH, as the runtime provides
// it), configured only through the environment the construct synthesizes; AWS and Slack are the
// stand-ins. One page goes from ALARM to a timer to an acknowledgement with the production exports;
// the handoff function posts a rotation's handoff and, for a team without one, the weekly report.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsStandIn, startAwsStandIn } from '../support/aws-stand-in';
import { Dynalite, awsEnvironment, createIncidentTable, startDynalite } from '../support/dynalite';
import { BOT_TOKEN_ARN, ESCALATION_ARN, SIGNING_SECRET, SIGNING_SECRET_ARN, TOKEN, TOPICS, acknowledgeButton, blockActions, functionEnvironments, signedRequest } from '../support/escalation-setup';
import { SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in';
import { SlackWebApiStandIn, startSlackWebApi } from '../support/slack-web-api-stand-in';
import { blockKitProblems } from '../../lib/notification/block-kit';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLES = { notifier: 'notifier-app', interactivity: 'interactivity', escalation: 'escalation', handoff: 'handoff' } as const;
let dir: string;
let stands: { slack: SlackWebApiStandIn; secrets: SecretsManagerStandIn; dynamo: Dynalite; aws: AwsStandIn; table: string };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escalation-bundles-'));
  for (const [name, bundle] of Object.entries(BUNDLES)) {
    fs.mkdirSync(path.join(dir, name));
    fs.copyFileSync(path.join(ROOT, 'dist', 'functions', bundle, 'index.js'), path.join(dir, name, 'index.js'));
  }
  const dynamo = await startDynalite();
  stands = {
    slack: await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }] }),
    secrets: await startSecretsManagerStandIn({ [BOT_TOKEN_ARN]: TOKEN, [SIGNING_SECRET_ARN]: SIGNING_SECRET }),
    aws: await startAwsStandIn({ topics: TOPICS }),
    dynamo,
    table: await createIncidentTable(dynamo.endpoint),
  };
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await Promise.all([stands.slack.close(), stands.secrets.close(), stands.dynamo.close(), stands.aws.close()]);
});

test('each bundle loads nothing but node built-ins and, on first use, the SDK clients the runtime ships', () => {
  const expected: Record<string, string[]> = {
    'notifier-app': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-lambda', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sns'],
    interactivity: ['@aws-sdk/client-dynamodb', '@aws-sdk/client-lambda', '@aws-sdk/client-scheduler', '@aws-sdk/client-secrets-manager'],
    escalation: ['@aws-sdk/client-cloudwatch', '@aws-sdk/client-dynamodb', '@aws-sdk/client-scheduler', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sns'],
    handoff: ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager'],
  };
  for (const bundle of Object.values(BUNDLES)) {
    const code = fs.readFileSync(path.join(ROOT, 'dist', 'functions', bundle, 'index.js'), 'utf8');
    for (const r of [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])) expect(r).toMatch(/^node:|^(http|https|url|util|events|stream|crypto)$/);
    expect([...new Set([...code.matchAll(/"(@aws-sdk\/client-[a-z-]+)"/g)].map((m) => m[1]))].sort()).toEqual(expected[bundle]);
    expect(code).not.toMatch(/@smithy|aws-cdk-lib|constructs/);
  }
});

function cold(fn: keyof typeof BUNDLES, event: unknown, arn?: string, policy?: string): Promise<{ out?: any; error?: string; logs: any[] }> {
  const envs = functionEnvironments(stands.table, stands.slack.url, policy);
  const script = `
    const { handler } = require('./index.js');
    const logs = [];
    console.log = (line) => logs.push(JSON.parse(line));
    handler(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 10000, awsRequestId: 'r', invokedFunctionArn: ${JSON.stringify(arn)} })
      .then((out) => process.stdout.write(JSON.stringify({ out, logs }) + '\\n'))
      .catch((e) => process.stdout.write(JSON.stringify({ error: e.message, logs }) + '\\n'));
  `;
  fs.writeFileSync(path.join(dir, fn, 'probe.js'), script);
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_PATH: path.join(ROOT, 'node_modules'),
    ...awsEnvironment(stands.dynamo.endpoint),
    ...stands.aws.env(),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stands.secrets.url,
    ...envs[fn],
  };
  return new Promise((resolve, reject) => execFile(process.execPath, ['probe.js'], { cwd: path.join(dir, fn), env, encoding: 'utf8', timeout: 30_000 }, (err, stdout) => {
    if (err) return reject(err);
    resolve(JSON.parse(stdout.trim().split('\n').pop()!));
  }));
}

test('ALARM (notifier) → the timer (escalation function, asked asynchronously) → an acknowledgement (interactivity) cancels it; no secret in any log', async () => {
  const message = {
    AlarmName: 'db', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:db', NewStateValue: 'ALARM', OldStateValue: 'OK',
    AlarmDescription: 'Severity: SEV1\nRunbook: https://x.example/rb\nFirst move: fail over', StateChangeTime: new Date(Date.now() - 30_000).toISOString().replace('Z', '+0000'),
  };
  const opened = await cold('notifier', { Records: [{ Sns: { MessageId: 'a', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] });
  expect(opened.out).toEqual({ delivered: 1, duplicates: 0 });
  // The notifier asked the escalation function, asynchronously, to keep the timer.
  expect(stands.aws.invocations).toEqual([{ functionName: ESCALATION_ARN, payload: { source: 'cdk-runbook-alarms', kind: 'keep-timer', alarmKey: message.AlarmArn } }]);
  const kept = await cold('escalation', stands.aws.invocations.shift()!.payload, ESCALATION_ARN);
  expect(kept.out).toEqual({ kind: 'skipped', why: 'timer kept: scheduled' });
  expect([...stands.aws.schedules.values()].map((s) => s.target.Arn)).toEqual([ESCALATION_ARN]);

  const [parent] = stands.slack.parents('C0INCIDENTS');
  expect(acknowledgeButton(parent)).toBeDefined();
  const clicked = await cold('interactivity', signedRequest(blockActions(parent, 'U0ALICE'), Math.floor(Date.now() / 1000)));
  expect(clicked.out).toMatchObject({ statusCode: 200 });
  expect(stands.aws.schedules.size).toBe(0);
  expect(stands.slack.parents('C0INCIDENTS')[0].blocks!.some((b) => /Acknowledged\* by <@U0ALICE>/.test(JSON.stringify(b)))).toBe(true);
  expect(clicked.logs.find((l) => l.MTTA !== undefined)).toMatchObject({ Severity: 'SEV1', _aws: { CloudWatchMetrics: [{ Namespace: 'RunbookAlarms' }] } });
  const all = JSON.stringify([opened.logs, kept.logs, clicked.logs]);
  expect(all).not.toContain(TOKEN);
  expect(all).not.toContain(SIGNING_SECRET);
});

test('a timer fires after the alarm recovered in CloudWatch, its OK not yet delivered: the built escalation function asks DescribeAlarms and pages nobody', async () => {
  const name = 'db-recovered';
  const arn = `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`;
  const message = {
    AlarmName: name, AlarmArn: arn, NewStateValue: 'ALARM', OldStateValue: 'OK',
    AlarmDescription: 'Severity: SEV1\nRunbook: https://x.example/rb\nFirst move: fail over', StateChangeTime: new Date(Date.now() - 6 * 60_000).toISOString().replace('Z', '+0000'),
  };
  stands.aws.invocations.length = 0;
  const opened = await cold('notifier', { Records: [{ Sns: { MessageId: 'r1', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] });
  expect(opened.out).toEqual({ delivered: 1, duplicates: 0 });
  expect((await cold('escalation', stands.aws.invocations.shift()!.payload, ESCALATION_ARN)).out).toEqual({ kind: 'skipped', why: 'timer kept: scheduled' });
  const timer = [...stands.aws.schedules.values()].find((s) => JSON.parse(s.target.Input!).alarmKey === arn)!;
  stands.aws.alarms.set(name, { type: 'MetricAlarm', state: 'OK', at: Date.now() - 60_000 });
  const published = stands.aws.published.length;
  const fired = await cold('escalation', JSON.parse(timer.target.Input!), ESCALATION_ARN);
  expect(fired.out).toMatchObject({ kind: 'skipped', alarmState: 'OK' });
  expect(stands.aws.calls.filter((c) => c.service === 'cloudwatch').map((c) => [c.operation, c.status, c.body.AlarmNames])).toEqual([['DescribeAlarms', 200, [name]]]);
  expect(stands.aws.published.length).toBe(published);
  expect(fired.logs.find((l) => l.msg === 'escalation not needed')).toMatchObject({ alarmState: 'OK' });
});

test('a rotation in the built functions: the page mentions and pages whoever is on call now; at the handoff the built handoff function tells the channel', async () => {
  // A daily rotation in UTC handed off at this very minute: whoever took over a moment ago is on call.
  const t = new Date();
  const hhmm = t.toISOString().slice(11, 16);
  const day = (d: number) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + d)).toISOString().slice(0, 10);
  const policy = `contacts:\n  primary:\n    rotation:\n      members: [{ slack: "<@U0ALICE>", sns: "${TOPICS[0]}" }, { slack: "<@U0BOB>", sns: "${TOPICS[1]}" }]\n` +
    `      every: daily\n      handoff: "${hhmm}"\n      time_zone: UTC\n      start: ${day(-1)}\n` +
    'severity_routing:\n  SEV1:\n    page: primary\n';
  // Started yesterday at this time: Alice yesterday, Bob from now on.
  const name = 'db-rotation';
  const message = { AlarmName: name, AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`, NewStateValue: 'ALARM', OldStateValue: 'OK',
    AlarmDescription: 'Severity: SEV1\nRunbook: https://x.example/rb\nFirst move: fail over', StateChangeTime: t.toISOString().replace('Z', '+0000') };
  const before = stands.aws.published.length;
  const opened = await cold('notifier', { Records: [{ Sns: { MessageId: 'rot-1', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] }, undefined, policy);
  expect(opened.out).toEqual({ delivered: 1, duplicates: 0 });
  expect(stands.aws.published.slice(before).map((p) => p.topicArn)).toEqual([TOPICS[1]]);
  expect(stands.slack.parents('C0INCIDENTS').slice(-1)[0].text).toMatch(/^<@U0BOB> \[SEV1\] ALARM: db-rotation/);
  const handoff = await cold('handoff', { source: 'cdk-runbook-alarms', kind: 'handoff', rotation: 'primary' }, undefined, policy);
  expect(handoff.out).toMatchObject({ kind: 'posted', rotation: 'primary' });
  const posted = stands.slack.parents('C0ALERTS').slice(-1)[0];
  expect(posted.text).toMatch(/^On-call handoff \(primary\): <@U0ALICE> → <@U0BOB>; \d+ unresolved incidents?$/);
  expect(JSON.stringify(posted.blocks)).toContain('db-rotation');
});

test('without a rotation, the built handoff function posts the weekly report once: the week\'s numbers and what is still open, within Block Kit\'s limits', async () => {
  // A page of the week, still open.
  const name = 'db-weekly';
  const message = { AlarmName: name, AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`, NewStateValue: 'ALARM', OldStateValue: 'OK',
    AlarmDescription: 'Severity: SEV1\nRunbook: https://x.example/rb\nFirst move: fail over', StateChangeTime: new Date(Date.now() - 120_000).toISOString().replace('Z', '+0000') };
  expect((await cold('notifier', { Records: [{ Sns: { MessageId: 'weekly-1', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] })).out).toEqual({ delivered: 1, duplicates: 0 });
  // The weekly schedule's input, for this very minute (UTC): this week's report is due now.
  const t = new Date();
  const at = `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.getUTCDay()]} ${t.toISOString().slice(11, 16)}`;
  const input = { source: 'cdk-runbook-alarms', kind: 'weekly', at, timeZone: 'UTC' };
  const before = stands.slack.parents('C0ALERTS').length;
  const reported = await cold('handoff', input);
  expect(reported.error).toBeUndefined();
  // That page (and the earlier tests', opened in the last minutes) are the week's, still open.
  expect(reported.out).toMatchObject({ kind: 'reported', at: Math.floor(t.getTime() / 60_000) * 60_000 });
  expect(reported.out.pages).toBeGreaterThan(0);
  expect(reported.out.unresolved).toBeGreaterThan(0);
  const posted = stands.slack.parents('C0ALERTS').slice(-1)[0];
  expect(stands.slack.parents('C0ALERTS')).toHaveLength(before + 1);
  expect(posted.text).toMatch(new RegExp(`^Weekly on-call report: ${reported.out.pages} pages?, \\d shifts? over the limit, ${reported.out.unresolved} still open, 0 postmortems overdue$`));
  expect(JSON.stringify(posted.blocks)).toMatch(/\*Still open \(\d+\)\*.*SEV1 db-weekly, fired/);
  expect(blockKitProblems({ text: posted.text, blocks: posted.blocks as never })).toEqual([]);
  // The schedule's retry: posted once.
  expect((await cold('handoff', input)).out).toEqual({ kind: 'skipped', why: 'this week\'s report was posted before' });
  expect(stands.slack.parents('C0ALERTS')).toHaveLength(before + 1);
  expect(JSON.stringify(reported.logs)).not.toContain(TOKEN);
});

test('another account\'s page as an EventBridge event opens its incident; a click whose parent update Slack holds past 3 s hands the redraw to the built escalation function, which draws it', async () => {
  const arn = 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:db-other-account';
  const event = {
    'version': '0', 'id': 'evt-bundle-1', 'detail-type': 'CloudWatch Alarm State Change', 'source': 'aws.cloudwatch', 'account': '210987654321',
    'time': new Date().toISOString(), 'region': 'eu-west-1', 'resources': [arn],
    'detail': {
      alarmName: 'db-other-account',
      state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: new Date(Date.now() - 30_000).toISOString().replace('Z', '+0000') },
      previousState: { value: 'OK', timestamp: new Date(Date.now() - 3600_000).toISOString().replace('Z', '+0000') },
      configuration: { description: 'Severity: SEV1\nRunbook: https://x.example/rb\nFirst move: fail over', metrics: [] },
    },
  };
  stands.aws.invocations.length = 0;
  const opened = await cold('notifier', event);
  expect(opened.out).toEqual({ delivered: 1, duplicates: 0 });
  const parent = stands.slack.parents('C0INCIDENTS').find((m) => m.text.includes('db-other-account'))!;
  expect(parent.text).toBe('<!subteam^S0PRIMARY> [SEV1] ALARM: db-other-account — fail over');
  expect(acknowledgeButton(parent)).toBeDefined();
  stands.aws.invocations.length = 0;
  // Slack holds every chat.update until the click has answered (then drops them, their client gone).
  let answered = false;
  stands.slack.faults = (method) => (method === 'chat.update' && !answered ? { delayMs: 2600 } : undefined);
  try {
    const clicked = await cold('interactivity', signedRequest(blockActions(parent, 'U0ALICE'), Math.floor(Date.now() / 1000)));
    answered = true;
    expect(clicked.out).toMatchObject({ statusCode: 200 });
    expect(clicked.logs.find((l) => l.msg.startsWith('acknowledged; the parent is behind'))).toMatchObject({ error: expect.stringContaining('2.5 s answer budget') });
  } finally {
    stands.slack.faults = undefined;
  }
  const [redraw] = stands.aws.invocations.splice(0).filter((i) => i.payload.kind === 'redraw-parent');
  expect(redraw).toMatchObject({ functionName: ESCALATION_ARN, payload: { source: 'cdk-runbook-alarms', kind: 'redraw-parent', alarmKey: arn } });
  const drawn = await cold('escalation', redraw.payload, ESCALATION_ARN);
  expect(drawn.out).toEqual({ kind: 'redrawn', parent: 'current' });
  const now = stands.slack.parents('C0INCIDENTS').find((m) => m.ts === parent.ts)!;
  expect(JSON.stringify(now.blocks)).toMatch(/Acknowledged\* by <@U0ALICE>/);
});
