// `runbook-alarms preview` through the real CLI binary (dist/bin/runbook-alarms.js, built by `npm run build`).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { alarmMessage, snsEvent, SNS_FIXTURES } from './slack-helpers';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'bin', 'runbook-alarms.js');
let dir: string;

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, 'preview', ...args], { cwd: ROOT, encoding: 'utf8', input, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('prints the readable message, the JSON payload and a Block Kit Builder link', () => {
  const file = path.join(dir, 'event.json');
  fs.writeFileSync(file, JSON.stringify(snsEvent(alarmMessage())));
  const r = cli([file]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('text: [SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog');
  expect(r.stdout).toContain('# 🔴 SEV2 · ALARM · Payments/WebhookBacklog');
  expect(r.stdout).toContain('[Open runbook] https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md');
  expect(r.stdout).toContain('*Time*: 2026-11-23 02:14:00 UTC');
  const link = /Block Kit Builder: (\S+)/.exec(r.stdout)![1];
  expect(link.startsWith('https://app.slack.com/block-kit-builder/#')).toBe(true);
  const blocks = JSON.parse(decodeURIComponent(link.split('#')[1])).blocks;
  expect(blocks[0].type).toBe('header');
  const payload = JSON.parse(r.stdout.slice(r.stdout.indexOf('Payload:\n') + 9, r.stdout.indexOf('\n\nBlock Kit Builder')));
  expect(payload.blocks).toEqual(blocks);
});

test('--json prints only the payload; --mention adds the mention; - reads standard input', () => {
  const r = cli(['--json', '--mention', 'SEV2=<!subteam^S0ONCALL>', '-'], JSON.stringify(alarmMessage()));
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).text).toMatch(/^<!subteam\^S0ONCALL> \[SEV2\] ALARM/);
});

test('every sample notification previews', () => {
  const files = ['lambda-cloudwatch-slack/sns-cloudwatch-event-metricmath.json', 'terraform-aws-notify-slack/events/cloudwatch_alarm.json'];
  for (const f of files) {
    const r = cli([path.join(SNS_FIXTURES, f), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).text).toMatch(/^\[NO SEVERITY\] ALARM: /);
  }
});

const POLICY = path.join(ROOT, 'test', 'fixtures', 'foundation', 'escalation-policy.yaml');

test('--example previews the shipped SEV2 sample; every shipped sample carries a contract and previews', () => {
  const r = cli(['--example']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('# 🔴 SEV2 · ALARM · Payments/WebhookBacklog');
  expect(r.stdout).toContain('>Scale out the webhook consumer to drain the backlog');
  const texts = ['alarm.json', 'ok.json', 'lambda-sns-event.json'].map((f) => JSON.parse(cli(['--json', path.join(ROOT, 'samples', f)]).stdout).text);
  expect(texts).toEqual([
    '[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog',
    expect.stringMatching(/^\[SEV2\] RESOLVED: Payments\/WebhookBacklog/),
    expect.stringMatching(/^\[SEV1\] ALARM: Payments\/DbConnectionsExhausted — Cap the API fleet/),
  ]);
});

test('--policy adds the escalation line the SlackNotifier configures for the same policy', () => {
  const r = cli(['--example', '--policy', POLICY]);
  expect(r.code).toBe(0);
  const line = /^:alarm_clock: \*Escalation:\* (.*)$/m.exec(r.stdout)?.[1];
  // What the construct puts in the function's environment (test/slack-notifier.test.ts) is this same text.
  expect(line).toBe('pages payments-primary; unacknowledged after 15 min → payments-secondary');
  expect(cli(['--example']).stdout).not.toContain('Escalation');
});

test('a --policy with problems is an input error listing each with file:line:col', () => {
  const bad = path.join(dir, 'escalation-policy.yaml');
  fs.writeFileSync(bad, fs.readFileSync(POLICY, 'utf8').replace('severity_routing:', 'severity_routng:'));
  const r = cli(['--example', '--policy', bad]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${bad}:2:1 unknown key "severity_routng"; did you mean "severity_routing"?`);
  expect(cli(['--example', '--policy', path.join(dir, 'none.yaml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read --policy') });
  expect(cli(['--example', path.join(ROOT, 'samples', 'ok.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('give no event file with it') });
});

test('--help exits 0; usage and I/O errors exit 2', () => {
  expect(cli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: runbook-alarms preview <event.json>') });
  expect(cli([])).toMatchObject({ code: 2, stderr: expect.stringContaining('give exactly one event file') });
  expect(cli([path.join(dir, 'missing.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{ not json');
  expect(cli([bad])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not JSON') });
  expect(cli(['--mention', 'P1=@here', bad])).toMatchObject({ code: 2, stderr: expect.stringContaining('--mention') });
  expect(cli(['--bogus', bad]).code).toBe(2);
});
