// `runbook-alarms postmortem new|status` through the real CLI: the incident read from the incident
// table (dynalite, reached through AWS_ENDPOINT_URL_DYNAMODB as the AWS SDK reaches DynamoDB, with
// the user's credentials) or from an export, the draft written in the template and judged by the
// lint; the follow-through listed overdue first, in text and JSON.
import * as fs from 'fs';
import * as path from 'path';
import { DynamoDbIncidentStore } from '../../lib/functions/shared/dynamodb-incident-store';
import { Dynalite, awsEnvironment, createIncidentTable, startDynalite } from '../support/dynalite';
import { postmortemRecord, record } from '../support/incident';
import { REPO, lintJson, runCli, runCliAsync, tempDir } from './helpers';

const FIRED = Date.UTC(2026, 10, 20, 14, 2, 0);
const MIN = 60_000;
const DESCRIPTION = 'Payment webhooks are piling up.\n\nSeverity: SEV2\nRunbook: https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md\nFirst move: Scale out the webhook consumer\nOwner: payments';
const INCIDENT = record({
  alarmKey: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Payments/WebhookBacklog', incidentId: '4f1c2d3e-8a7b-4c6d-9e0f-1a2b3c4d5e6f',
  alarmName: 'Payments/WebhookBacklog', ts: '1795183320.000100', state: 'OK', stateAt: FIRED + 41 * MIN, firedAt: FIRED, resolvedAt: FIRED + 41 * MIN,
  escalatedLevel: 1, escalatedAt: FIRED + 2 * MIN, acknowledgedAt: FIRED + 3 * MIN, acknowledgedBy: 'U0DANA', mttaSeconds: 180, mttrSeconds: 2460,
  notification: JSON.stringify({ alarmName: 'Payments/WebhookBacklog', newState: 'OK', alarmDescription: DESCRIPTION }),
});
const POSTMORTEM = postmortemRecord(INCIDENT, { dueAt: Date.UTC(2026, 10, 24, 14, 43), timeZone: 'Europe/Berlin', escalatedTo: 'secondary_oncall' });

let dynamo: Dynalite;
let table: string;
let dir: string;
const saved = { ...process.env };
beforeAll(async () => {
  dynamo = await startDynalite();
  Object.assign(process.env, awsEnvironment(dynamo.endpoint));
  table = await createIncidentTable(dynamo.endpoint);
  const store = new DynamoDbIncidentStore(table);
  await store.putPostmortem(POSTMORTEM, undefined);
  // A SEV3 incident of another alarm: no postmortem was asked for; the alarm's current incident.
  await store.put(record({ alarmKey: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Search/Latency', incidentId: 'sev3-incident', alarmName: 'Search/Latency', severity: 'SEV3',
    state: 'OK', firedAt: FIRED, resolvedAt: FIRED + 10 * MIN, notification: JSON.stringify({ alarmName: 'Search/Latency', newState: 'OK', alarmDescription: 'Slow.\n\nSeverity: SEV3' }) }), undefined);
});
afterAll(async () => {
  process.env = saved;
  await dynamo.close();
});
beforeEach(() => {
  dir = tempDir('postmortem');
  fs.mkdirSync(path.join(dir, 'runbooks'));
  fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'postmortems', 'runbooks', 'payment-webhook-backlog.md'), path.join(dir, 'runbooks', 'payment-webhook-backlog.md'));
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } }));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = () => ({ ...awsEnvironment(dynamo.endpoint) });
const FILE = 'postmortems/2026-11-20-payment-webhook-backlog.md';

test('new --incident --table: the draft from the table, in the template, pre-filled; the lint names what is left to write', async () => {
  const r = await runCliAsync(['postmortem', 'new', '--incident', INCIDENT.incidentId, '--table', table, '--author', 'Dana Whitfield'], { cwd: dir, env: env() });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).toContain(`created ${FILE} (SEV2, incident ${INCIDENT.incidentId}, status Draft)`);
  const text = fs.readFileSync(path.join(dir, FILE), 'utf8');
  expect(text.split('---\n')[1]).toBe([
    `incident: ${INCIDENT.incidentId}`, 'severity: SEV2', 'status: Draft', 'author: Dana Whitfield', 'runbook: runbooks/payment-webhook-backlog.md', 'date: 2026-11-20', 'due: 2026-11-24', '',
  ].join('\n'));
  expect(text).toContain('# Postmortem: Payment webhook backlog (SEV2)'); // the runbook's title
  expect(text).toContain('- Duration: 15:02 – 15:43 Europe/Berlin (41 min)');
  expect(text).toContain([
    'All times Europe/Berlin, from the incident\'s Slack thread.',
    '- 2026-11-20 15:02 Alarm `Payments/WebhookBacklog` fired (automatic detection); first move: Scale out the webhook consumer',
    '- 15:04 Escalated to secondary_oncall (level 1): not acknowledged in time',
    '- 15:05 Acknowledged by Slack user `U0DANA` (MTTA 3 min)',
    '- 15:43 Resolved: the alarm went back to OK (MTTR 41 min)',
  ].join('\n'));
  expect(text).toContain('| 2 | Update the runbook (runbooks/payment-webhook-backlog.md) with what this incident taught | process |');
  // The front matter is complete; what is left is what people write.
  const report = lintJson([FILE, '--now', '2026-11-23'], { cwd: dir }).report;
  expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(new Set(['Postmortem-Sections', 'Postmortem-ActionItem']));
  // Never overwritten.
  const again = await runCliAsync(['postmortem', 'new', '--incident', INCIDENT.incidentId, '--table', table], { cwd: dir, env: env() });
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('already exists; not overwritten');
});

test('new --incident: an incident no postmortem was asked for is found as the alarm\'s current incident', async () => {
  const r = await runCliAsync(['postmortem', 'new', '--incident', 'sev3-incident', '--table', table, '--author', 'Lee Chen', '--now', '2026-11-23'], { cwd: dir, env: env() });
  expect(r.code).toBe(0);
  const text = fs.readFileSync(path.join(dir, 'postmortems', '2026-11-20-search-latency.md'), 'utf8');
  expect(text).toMatch(/^severity: SEV3$/m);
  expect(text).toMatch(/^runbook: none$/m);
  expect(text).toContain('| 2 | Write a runbook for this failure');
});

test('new --from: an export (aws dynamodb get-item output, or the record as JSON) reads as the table does', () => {
  const item: Record<string, unknown> = { pk: { S: `postmortem#${POSTMORTEM.incidentId}` } };
  for (const [k, v] of Object.entries(POSTMORTEM)) item[k] = typeof v === 'number' ? { N: String(v) } : { S: v };
  fs.writeFileSync(path.join(dir, 'incident.json'), JSON.stringify({ Item: item }));
  expect(runCli(['postmortem', 'new', '--from', 'incident.json', '--author', 'Dana', '--time-zone', 'UTC'], { cwd: dir }).code).toBe(0);
  expect(fs.readFileSync(path.join(dir, FILE), 'utf8')).toContain('- 2026-11-20 14:02 Alarm');
  fs.writeFileSync(path.join(dir, 'record.json'), JSON.stringify(INCIDENT));
  expect(runCli(['postmortem', 'new', '--from', 'record.json', '--author', 'Dana', '--title', 'Backlog again'], { cwd: dir }).code).toBe(0);
  expect(fs.existsSync(path.join(dir, 'postmortems', '2026-11-20-backlog-again.md'))).toBe(true);
});

test.each([
  ['neither --incident nor --from', ['postmortem', 'new'], /give --incident <id> \(with --table\) or --from/],
  ['--incident without --table', ['postmortem', 'new', '--incident', 'x'], /--incident needs --table <name>/],
  ['an unknown time zone', ['postmortem', 'new', '--from', 'x.json', '--time-zone', 'Mars/Olympus'], /not an IANA time zone/],
  ['an unknown subcommand', ['postmortem', 'nwe'], /unknown subcommand "nwe"; did you mean "new"\?/],
])('%s is a usage error (exit 2)', (_what, args, message) => {
  const r = runCli(args, { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});

test('input errors say what to do: an incident not in the table, a table that does not exist, an export that is not an incident', async () => {
  const missing = await runCliAsync(['postmortem', 'new', '--incident', 'no-such-incident', '--table', table], { cwd: dir, env: env() });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/incident no-such-incident is not in .*: the table keeps the postmortems it asked for/);
  const noTable = await runCliAsync(['postmortem', 'new', '--incident', 'x', '--table', 'no-such-table'], { cwd: dir, env: env() });
  expect(noTable.stderr).toMatch(/reading incident table no-such-table: ResourceNotFoundException: .*; check the table name/);
  fs.writeFileSync(path.join(dir, 'x.json'), '{"hello": "world"}');
  expect(runCli(['postmortem', 'new', '--from', 'x.json'], { cwd: dir }).stderr).toMatch(/x\.json is not an incident of the SlackNotifier's table \(no incidentId, alarmName, notification\)/);
});

test('status: postmortems not Final and open action items, overdue first, by owner; text and JSON', () => {
  fs.mkdirSync(path.join(dir, 'postmortems'));
  const fixtures = path.join(REPO, 'test', 'fixtures', 'postmortems', 'rules');
  fs.copyFileSync(path.join(fixtures, 'pass.md'), path.join(dir, 'postmortems', '2026-11-16-backlog.md')); // Final; items 1 and 3 open
  fs.writeFileSync(path.join(dir, 'postmortems', '2026-11-19-checkout.md'), fs.readFileSync(path.join(fixtures, 'pass.md'), 'utf8')
    .replace('status: Final', 'status: In review').replace('date: 2026-11-16', 'date: 2026-11-19').replace('2026-11-30 | PAY-1434 | open', '2026-11-24 | PAY-1434 | open'));
  const json = runCli(['postmortem', 'status', '--format', 'json', '--now', '2026-11-28'], { cwd: dir });
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout);
  expect(report.today).toBe('2026-11-28');
  expect(report.postmortems).toEqual([expect.objectContaining({ file: 'postmortems/2026-11-19-checkout.md', status: 'In review', due: '2026-11-23', overdueDays: 5, severity: 'SEV2' })]);
  expect(report.actionItems.map((i: any) => [i.file.slice(12, 22), i.label, i.owner, i.due, i.overdueDays])).toEqual([
    ['2026-11-19', '3', 'Dana Whitfield', '2026-11-24', 4],
    ['2026-11-16', '1', 'Dana Whitfield', '2026-11-27', 1],
    ['2026-11-19', '1', 'Dana Whitfield', '2026-11-27', 1],
    ['2026-11-16', '3', 'Dana Whitfield', '2026-11-30', -2],
  ]);
  expect(report.owners).toEqual([{ owner: 'Dana Whitfield', open: 4, overdue: 3 }]);
  const text = runCli(['postmortem', 'status', '--now', '2026-11-28'], { cwd: dir }).stdout;
  expect(text).toContain('Postmortems not Final (1):\n  OVERDUE 5d   postmortems/2026-11-19-checkout.md  SEV2 In review, due 2026-11-23, author Dana Whitfield');
  expect(text).toMatch(/Open action items \(4\), overdue first:\n {2}OVERDUE 4d {3}Dana Whitfield {5}2026-11-24 PAY-1434 {3}Page at queue age/);
  expect(text).toContain('By owner: Dana Whitfield 4 (3 overdue)');
});
