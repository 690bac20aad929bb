// `runbook-alarms oncall`: the real CLI in a subprocess, on the guide's policy completed by a team
// and on a rotation across a daylight-saving change with a swap.
import * as fs from 'fs';
import * as path from 'path';
import { CAROL_PAGER, GUIDE_POLICY_FILE, completedGuidePolicy } from '../support/guide-policy';
import { runCli, tempDir } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir('oncall');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const BERLIN = `contacts:
  primary:
    rotation:
      members: ["<@U0ALICE>", { slack: "<@U0BOB>", sns: arn:aws:sns:eu-central-1:123456789012:bob-pager }]
      every: weekly
      handoff: Mon 10:00
      time_zone: Europe/Berlin
      start: 2026-03-16
      overrides:
        - { from: 2026-03-25T18:00, to: 2026-03-26T09:00, slack: "<@U0CAROL>" }
  lead: "<@U0LEAD>"
severity_routing:
  SEV1: { page: primary, escalate_after: 10m, then: lead }
`;

test('JSON: one object per contact and shift; the swap in its place; the handoff after the clocks changed at 10:00 CEST', () => {
  const r = runCli(['oncall', '--policy', write('berlin.yaml', BERLIN), '--at', '2026-03-24T12:00Z', '--shifts', '4', '--format', 'json']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual([
    { contact: 'primary', from: '2026-03-23T10:00:00+01:00', to: '2026-03-25T18:00:00+01:00', slack: '<@U0BOB>', sns: 'arn:aws:sns:eu-central-1:123456789012:bob-pager', override: false },
    { contact: 'primary', from: '2026-03-25T18:00:00+01:00', to: '2026-03-26T09:00:00+01:00', slack: '<@U0CAROL>', sns: null, override: true },
    { contact: 'primary', from: '2026-03-26T09:00:00+01:00', to: '2026-03-30T10:00:00+02:00', slack: '<@U0BOB>', sns: 'arn:aws:sns:eu-central-1:123456789012:bob-pager', override: false },
    { contact: 'primary', from: '2026-03-30T10:00:00+02:00', to: '2026-04-06T10:00:00+02:00', slack: '<@U0ALICE>', sns: null, override: false },
    { contact: 'lead', from: null, to: null, slack: '<@U0LEAD>', sns: null, override: false },
  ]);
  // Without an offset, --at is read in the rotation's own zone: 09:59 CEST is still Bob's, 10:00 Alice's.
  const before = JSON.parse(runCli(['oncall', '--policy', path.join(dir, 'berlin.yaml'), '--at', '2026-03-30T09:59', '--shifts', '1', '--format', 'json']).stdout);
  const after = JSON.parse(runCli(['oncall', '--policy', path.join(dir, 'berlin.yaml'), '--at', '2026-03-30T10:00', '--shifts', '1', '--format', 'json']).stdout);
  expect([before[0].slack, after[0].slack]).toEqual(['<@U0BOB>', '<@U0ALICE>']);
});

test('text: the guide\'s policy as a team completes it, now (RUNBOOK_ALARMS_NOW) and the next shifts, with where each contact is used and the guide\'s oncall notes', () => {
  const r = runCli(['oncall', '--policy', write('guide.yaml', completedGuidePolicy()), '--shifts', '2'], { env: { RUNBOOK_ALARMS_NOW: '2026-01-14' } });
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')).toEqual([
    `${path.join(dir, 'guide.yaml')} (payment-platform): on call at 2026-01-14T12:00:00Z`,
    '',
    'primary_oncall: rotation of 3, every 7 days, handed off Mon 10:00 Asia/Tokyo (pages on SEV1, SEV2)',
    '  now   2026-01-12 10:00 +09:00 → 2026-01-19 10:00 +09:00  <@U0BOB>',
    `  next  2026-01-19 10:00 +09:00 → 2026-01-26 10:00 +09:00  <@U0CAROL>  sns ${CAROL_PAGER}`,
    '',
    'secondary_oncall: <!subteam^S0SECOND>  sns arn:aws:sns:ap-northeast-1:123456789012:secondary-pager  (always; escalated to on SEV1, SEV2)',
    '',
    'team_lead: <@U0LEAD>  (always; escalated to on SEV1)',
    '',
    'eng_manager: <@U0MANAGER>  (always; told on SEV1)',
    '',
    'status_page: (no Slack mention)  sns arn:aws:sns:ap-northeast-1:123456789012:status-page  (always; told on SEV1)',
    '',
    'oncall notes:',
    '  rotation: weekly',
    '  handoff: 毎週月曜 10:00、未解決インシデントとRunbook更新を引き継ぐ',
    '  compensation: time-off-in-lieu（公式準拠：当番を金銭/代休で補償）',
    '',
  ]);
});

test('the guide\'s policy verbatim: every name it leaves undefined, each at file:line:col, exit 2', () => {
  const r = runCli(['oncall', '--policy', GUIDE_POLICY_FILE]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`--policy ${GUIDE_POLICY_FILE} cannot be used:`);
  expect(r.stderr).toContain(`${GUIDE_POLICY_FILE}:7:12 SEV1.then "secondary_oncall" is not a contact; add \`secondary_oncall:\` under \`contacts:\``);
  expect(r.stderr.match(/escalation-policy\.yaml:\d+:\d+ /g)).toHaveLength(8);
});

test('usage errors exit 2 with what to write', () => {
  const policy = path.join(dir, 'berlin.yaml');
  expect(runCli(['oncall', '--policy', policy, '--at', 'tomorrow'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--at "tomorrow" is not a time') });
  expect(runCli(['oncall', '--policy', policy, '--shifts', '0'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--shifts "0"') });
  expect(runCli(['oncall', '--policy', policy, '--format', 'yaml'])).toMatchObject({ code: 2, stderr: expect.stringContaining('use text or json') });
  expect(runCli(['oncall', '--policy', path.join(dir, 'none.yaml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read --policy') });
  expect(runCli(['oncall', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: runbook-alarms oncall') });
});

test('its JSON is what `runbook-alarms report --shifts` reads: the rotation\'s shifts, the fixed contacts left out', () => {
  const shifts = write('shifts.json', runCli(['oncall', '--policy', path.join(dir, 'berlin.yaml'), '--at', '2026-03-24T12:00Z', '--shifts', '4', '--format', 'json']).stdout);
  const incidents = write('incidents.json', '[]');
  const r = runCli(['report', '--input', incidents, '--shifts', shifts, '--since', '2026-03-23T09:00Z', '--until', '2026-04-06T08:00Z', '--time-zone', 'Europe/Berlin', '--format', 'json']);
  expect(r.code).toBe(0);
  const people = JSON.parse(r.stdout).people.map((p: { who: string }) => p.who).sort();
  expect(people).toEqual(['<@U0ALICE>', '<@U0BOB>', '<@U0CAROL>']);
});
