// The notifier's built bundles (dist/functions/notifier-webhook, dist/functions/notifier-app) run alone: a fresh `node` process, in a temp dir with
// no node_modules anywhere above it, as in the Lambda runtime (which adds only the AWS SDK).
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Dynalite, awsEnvironment, createIncidentTable, startDynalite } from '../support/dynalite';
import { SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in';
import { SlackWebApiStandIn, startSlackWebApi } from '../support/slack-web-api-stand-in';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'functions', 'notifier-webhook', 'index.js');
const APP_BUNDLE = path.join(ROOT, 'dist', 'functions', 'notifier-app', 'index.js');
let dir: string;

beforeAll(() => {
  if (!fs.existsSync(BUNDLE)) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-handler.mjs')], { cwd: ROOT });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-bundle-'));
  fs.copyFileSync(BUNDLE, path.join(dir, 'index.js'));
  fs.mkdirSync(path.join(dir, 'app'));
  fs.copyFileSync(APP_BUNDLE, path.join(dir, 'app', 'index.js'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runInFreshNode(script: string): any {
  fs.writeFileSync(path.join(dir, 'probe.js'), script);
  const out = execFileSync(process.execPath, ['probe.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

test('no node_modules can be found from the temp dir', () => {
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) expect(fs.existsSync(path.join(d, 'node_modules'))).toBe(false);
});

test('the webhook bundle loads nothing but node built-ins and the runtime SDK (Secrets Manager, imported on first use); none of the app mode', () => {
  const code = fs.readFileSync(BUNDLE, 'utf8');
  const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  for (const r of required) expect(r).toMatch(/^node:|^(http|https|url|util|events|stream|crypto)$/);
  // The SDK is loaded by name when first needed (from the runtime's NODE_PATH), never bundled.
  expect(code).toContain('"@aws-sdk/client-secrets-manager"');
  // The Slack app mode (incidents in DynamoDB, the Web API, timers) is its own bundle.
  expect(code).not.toMatch(/client-dynamodb|client-lambda|chat\.postMessage/);
  expect(code).not.toMatch(/@smithy|smithy-client/);
  expect(code).not.toMatch(/aws-cdk-lib|constructs/);
});

test('loads, exports the handler, and delivers to a local webhook through the injected seams', () => {
  const result = runInFreshNode(`
    const http = require('http');
    const mod = require('./index.js');
    const posts = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { posts.push(JSON.parse(body)); res.end('ok'); });
    });
    server.listen(0, '127.0.0.1', async () => {
      const url = 'http://127.0.0.1:' + server.address().port + '/services/T/B/X';
      const handler = mod.createHandler({ env: { SLACK_WEBHOOK_SECRET_ARN: 'arn' }, secrets: { getSecretString: async () => url }, log: () => {} });
      const message = JSON.stringify({ AlarmName: 'db', NewStateValue: 'ALARM', AlarmDescription: 'Severity: SEV1\\nRunbook: https://x.example/rb\\nFirst move: fail over' });
      const out = await handler({ Records: [{ Sns: { MessageId: 'm', Message: message } }] }, { getRemainingTimeInMillis: () => 5000 });
      server.close();
      console.log(JSON.stringify({ exports: Object.keys(mod).sort(), out, text: posts[0].text }));
    });
  `);
  expect(result.exports).toEqual(expect.arrayContaining(['handler', 'createHandler']));
  expect(result.out).toEqual({ delivered: 1, duplicates: 0 });
  expect(result.text).toBe('[SEV1] ALARM: db — fail over');
});

test('the SDK is loaded only when a secret is read: without it the invocation fails (to be retried), never at import', () => {
  const result = runInFreshNode(`
    const logs = [];
    console.log = (line) => logs.push(line);
    process.env.SLACK_WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:x';
    const mod = require('./index.js');
    mod.handler({ Records: [{ Sns: { MessageId: 'm', Message: '{"AlarmName":"a","NewStateValue":"ALARM"}' } }] }, { getRemainingTimeInMillis: () => 3000 })
      .then(() => process.stdout.write(JSON.stringify({ threw: false }) + '\\n'))
      .catch((e) => process.stdout.write(JSON.stringify({ threw: true, message: e.message, log: JSON.parse(logs[0]) }) + '\\n'));
  `);
  expect(result.threw).toBe(true);
  expect(result.message).toMatch(/not delivered to Slack/);
  expect(result.log).toMatchObject({ level: 'error', msg: 'not delivered to slack' });
  expect(result.log.error).toMatch(/webhook secret unavailable: .*client-secrets-manager/);
});

describe('Slack app mode, as deployed: the production handler export, in fresh node processes (cold containers)', () => {
  // Everything through the environment, as the construct configures the function: Secrets Manager
  // and DynamoDB are stand-ins reached through AWS_ENDPOINT_URL_<SERVICE>, Slack through
  // SLACK_API_URL. The SDK comes from this repository's node_modules, as the runtime provides it.
  const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/bot-AbCdEf';
  let stands: { slack: SlackWebApiStandIn; secrets: SecretsManagerStandIn; dynamo: Dynalite; table: string };
  beforeAll(async () => {
    const dynamo = await startDynalite();
    stands = {
      slack: await startSlackWebApi(),
      secrets: await startSecretsManagerStandIn({ [TOKEN_ARN]: JSON.stringify({ botToken: 'xoxb-test-token' }) }),
      dynamo,
      table: await createIncidentTable(dynamo.endpoint),
    };
  });
  afterAll(async () => {
    await stands.slack.close();
    await stands.secrets.close();
    await stands.dynamo.close();
  });

  function coldInvoke(message: Record<string, unknown>, messageId: string): Promise<any> {
    const script = `
      const { handler } = require('./app/index.js');
      const logs = [];
      console.log = (line) => logs.push(JSON.parse(line));
      const event = { Records: [{ Sns: { MessageId: ${JSON.stringify(messageId)}, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: ${JSON.stringify(JSON.stringify(message))} } }] };
      handler(event, { getRemainingTimeInMillis: () => 10000, awsRequestId: 'r' })
        .then((out) => process.stdout.write(JSON.stringify({ out, logs }) + '\\n'))
        .catch((e) => process.stdout.write(JSON.stringify({ error: e.message, logs }) + '\\n'));
    `;
    fs.writeFileSync(path.join(dir, 'app-probe.js'), script);
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_PATH: path.join(ROOT, 'node_modules'),
      ...awsEnvironment(stands.dynamo.endpoint),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: stands.secrets.url,
      SLACK_BOT_TOKEN_SECRET_ARN: TOKEN_ARN,
      SLACK_CHANNEL: 'C0ALERTS',
      INCIDENT_TABLE_NAME: stands.table,
      SLACK_API_URL: stands.slack.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    return new Promise((resolve, reject) => execFile(process.execPath, ['app-probe.js'], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 }, (err, stdout) => {
      if (err) return reject(err);
      resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    }));
  }

  test('ALARM in one container posts the parent; OK in another replies and updates it; the token never reaches a log', async () => {
    const base = { AlarmName: 'db', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:db', AlarmDescription: 'Severity: SEV1\nRunbook: https://x.example/rb\nFirst move: fail over' };
    const first = await coldInvoke({ ...base, NewStateValue: 'ALARM', StateChangeTime: '2026-11-23T02:14:00.000+0000' }, 'a');
    expect(first).toMatchObject({ out: { delivered: 1, duplicates: 0 } });
    const second = await coldInvoke({ ...base, NewStateValue: 'OK', StateChangeTime: '2026-11-23T02:20:00.000+0000' }, 'b');
    expect(second.out).toEqual({ delivered: 1, duplicates: 0 });
    const again = await coldInvoke({ ...base, NewStateValue: 'OK', StateChangeTime: '2026-11-23T02:20:00.000+0000' }, 'b');
    expect(again.out).toEqual({ delivered: 0, duplicates: 1 });
    const [parent] = stands.slack.parents('C0ALERTS');
    expect(stands.slack.parents('C0ALERTS')).toHaveLength(1);
    expect(parent.text).toBe('[SEV1] RESOLVED after 6 min: db — postmortem due by 2026-11-25 02:20:00 UTC');
    expect(stands.slack.replies('C0ALERTS', parent.ts).map((m) => m.text)).toEqual(['[SEV1] RESOLVED after 6 min: db — postmortem due by 2026-11-25 02:20:00 UTC']);
    // Once per container that posted; the duplicate was known from the table before any Slack call.
    expect(stands.secrets.requests.map((r) => r.body.SecretId)).toEqual([TOKEN_ARN, TOKEN_ARN]);
    expect(JSON.stringify([first.logs, second.logs])).not.toContain('xoxb-test-token');
  });
});
