// `runbook-alarms preview` through the real CLI binary (dist/bin/runbook-alarms.js, built by `npm run build`).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { alarmMessage, snsEvent, SNS_FIXTURES } from '../support/slack';

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

test('--policy adds the escalation line the SlackNotifier configures for the same policy; a webhook message never promises escalation', () => {
  // The app mode's thread (with escalation): the levels, as the construct writes them (test/constructs/slack-notifier-escalation.test.ts).
  const thread = cli(['--thread', path.join(ROOT, 'samples', 'alarm.json'), '--policy', POLICY]);
  expect(thread.code).toBe(0);
  expect(/^:alarm_clock: \*Escalation:\* (.*)$/m.exec(thread.stdout)?.[1]).toBe('pages payments-primary; unacknowledged after 15 min → payments-secondary');
  // A single message is the webhook mode's: no escalation is deployed there, so none is promised, and the preview says why.
  const webhook = cli(['--example', '--policy', POLICY]);
  expect(webhook.code).toBe(0);
  expect(/^:alarm_clock: \*Escalation:\* (.*)$/m.exec(webhook.stdout)?.[1]).toBe('pages payments-primary');
  expect(webhook.stdout).not.toContain('unacknowledged');
  expect(webhook.stderr).toContain(`note: ${POLICY} escalates SEV1, SEV2 (escalate_after, then): only a SlackNotifier in Slack app mode with escalation does that`);
  expect(cli(['--example']).stdout).not.toContain('Escalation');
});

test('a --policy with problems is an input error listing each with file:line:col', () => {
  const bad = path.join(dir, 'escalation-policy.yaml');
  fs.writeFileSync(bad, fs.readFileSync(POLICY, 'utf8').replace('severity_routing:', 'severity_routng:'));
  const r = cli(['--example', '--policy', bad]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${bad}:8:1 unknown key "severity_routng"; did you mean "severity_routing"?`);
  expect(cli(['--example', '--policy', path.join(dir, 'none.yaml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read --policy') });
  expect(cli(['--example', path.join(ROOT, 'samples', 'ok.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('give no event file with it') });
});

test('--help exits 0; usage and I/O errors exit 2', () => {
  expect(cli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: runbook-alarms preview <event.json>') });
  expect(cli([])).toMatchObject({ code: 2, stderr: expect.stringContaining('give at least one event file') });
  expect(cli([path.join(dir, 'missing.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{ not json');
  expect(cli([bad])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not JSON') });
  expect(cli(['--mention', 'P1=@here', bad])).toMatchObject({ code: 2, stderr: expect.stringContaining('--mention') });
  expect(cli(['--bogus', bad]).code).toBe(2);
});

describe('a sequence of notifications: the Slack app mode\'s thread', () => {
  const change = (state: string, time: string, reason: string) =>
    alarmMessage({ NewStateValue: state, OldStateValue: state === 'OK' ? 'ALARM' : 'OK', StateChangeTime: time, NewStateReason: reason });
  const ALARM = change('ALARM', '2026-11-23T02:14:00.000+0000', 'Went over');
  const AGAIN = change('ALARM', '2026-11-23T02:20:00.000+0000', 'Still over');
  const OK = change('OK', '2026-11-23T02:37:00.000+0000', 'Back under');

  test('several files: the parent as it ends, the replies in order, one line per notification', () => {
    const files = [ALARM, AGAIN, OK].map((m, i) => {
      const f = path.join(dir, `step-${i}.json`);
      fs.writeFileSync(f, JSON.stringify(snsEvent(m)));
      return f;
    });
    const r = cli(files);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('=== Incident thread: Payments/WebhookBacklog ===');
    expect(r.stdout).toContain('Parent (posted by notification 1, updated in place 2 times), as it ends:');
    expect(r.stdout).toContain('# ✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
    expect(r.stdout).toContain('*Postmortem due by 2026-11-25 02:37:00 UTC.*');
    expect(r.stdout.indexOf('── reply 1 (notification 2) ──')).toBeLessThan(r.stdout.indexOf('── reply 2 (notification 3) ──'));
    expect(r.stdout).toContain('text: [SEV2] still in ALARM: Payments/WebhookBacklog');
    expect(r.stdout).toContain('  1. ALARM at 2026-11-23 02:14:00 UTC (Payments/WebhookBacklog): opened an incident: posted its parent message');
    expect(r.stdout).toContain('  3. OK at 2026-11-23 02:37:00 UTC (Payments/WebhookBacklog): replied in the thread, updated the parent');
  });

  test('an array, out of order and with a duplicate: posted once, the late one marked, the parent on the latest state; --json', () => {
    const file = path.join(dir, 'sequence.json');
    fs.writeFileSync(file, JSON.stringify([OK, ALARM, snsEvent(ALARM, 'dup'), snsEvent(ALARM, 'dup')]));
    const r = cli([file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# ✅ SEV2 · RESOLVED after 23 min · Payments/WebhookBacklog');
    expect(r.stdout).toContain('2. ALARM at 2026-11-23 02:14:00 UTC (Payments/WebhookBacklog): replied in the thread, updated the parent (delivered late: older than the state shown)');
    expect(r.stdout).toContain('4. ALARM at 2026-11-23 02:14:00 UTC (Payments/WebhookBacklog): a duplicate: nothing posted');
    const json = JSON.parse(cli(['--json', file]).stdout);
    expect(json.threads).toHaveLength(1);
    expect(json.threads[0].parent.text).toMatch(/^\[SEV2\] RESOLVED after 23 min/);
    expect(json.threads[0].replies.map((m: { text: string }) => m.text)).toEqual(['[SEV2] ALARM: Payments/WebhookBacklog (delivered late)']);
  });

  test('--webhook shows the messages one by one; --thread shows a single one as a parent; bad --postmortem-days is a usage error', () => {
    const file = path.join(dir, 'pair.json');
    fs.writeFileSync(file, JSON.stringify([ALARM, OK]));
    const webhook = cli(['--webhook', file]);
    expect(webhook.stdout).toContain('=== notification 2 of 2 ===');
    expect(webhook.stdout).toContain('text: [SEV2] RESOLVED: Payments/WebhookBacklog — postmortem due');
    const single = path.join(dir, 'single.json');
    fs.writeFileSync(single, JSON.stringify(OK));
    expect(cli(['--thread', '--postmortem-days', '1', single]).stdout).toContain('*Postmortem due by 2026-11-24 02:37:00 UTC.*');
    expect(cli(['--postmortem-days', '1.5', file])).toMatchObject({ code: 2, stderr: expect.stringContaining('--postmortem-days must be a whole number') });
    expect(cli(['--time-zone', 'Mars/Olympus', file])).toMatchObject({ code: 2, stderr: expect.stringContaining('--time-zone "Mars/Olympus" is not an IANA time zone') });
    expect(cli(['--thread', '--webhook', file]).code).toBe(2);
  });

  test('--example --thread: the shipped ALARM and then its OK, as one incident', () => {
    const r = cli(['--example', '--thread']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('=== Incident thread: Payments/WebhookBacklog ===');
    expect(r.stdout).toContain('# ✅ SEV2 · RESOLVED after 27 min · Payments/WebhookBacklog');
    expect(r.stdout).toContain('2. OK at 2026-11-23 02:41:00 UTC (Payments/WebhookBacklog): replied in the thread, updated the parent');
  });
});
