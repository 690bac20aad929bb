// `runbook-alarms report`, the built CLI in a subprocess: the incidents kept the way the functions
// keep them (each alarm's current incident, the ones it replaced under their own key, claims beside
// them) in dynalite, read with the SDK as a user's credentials would; the numbers exactly as worked
// out by hand (test/health/health.test.ts); the pictures opened as XML and rendered to PNG.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DynamoDbIncidentStore } from '../../lib/functions/shared/dynamodb-incident-store';
import { CLI, REPO, tempDir } from './helpers';
import { Dynalite, awsEnvironment, createIncidentTable, startDynalite } from '../support/dynalite';
import { PERIOD, SHIFTS, TZ, healthFixture } from '../support/health-fixture';

/** The CLI without blocking this process (dynalite answers from it). */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'report', ...args], { cwd: REPO, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const period = ['--since', new Date(PERIOD.from).toISOString(), '--until', new Date(PERIOD.to).toISOString(), '--now', new Date(PERIOD.to).toISOString()];
let dynamo: Dynalite;
let table: string;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dynamo = await startDynalite();
  table = await createIncidentTable(dynamo.endpoint);
  env = awsEnvironment(dynamo.endpoint);
  Object.assign(process.env, env);
  const store = new DynamoDbIncidentStore(table);
  // The newest incident of each alarm is its current one; the older ones were replaced and kept.
  const records = healthFixture();
  const newest = new Map(records.map((r) => [r.alarmKey, r]));
  for (const r of records) {
    if (newest.get(r.alarmKey) === r) expect(await store.put(r, undefined)).toBe(true);
    else await store.keep(r);
  }
  await store.claim('some-transition', 'owner', Date.now(), 1000, 2_000_000_000);
  dir = tempDir('report');
  fs.writeFileSync(path.join(dir, 'shifts.json'), JSON.stringify([
    ...SHIFTS.map((s) => ({ contact: 'payments_oncall', from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString(), slack: s.who })),
    { contact: 'other_team', from: new Date(PERIOD.from).toISOString(), to: new Date(PERIOD.to).toISOString(), slack: '<@U0OTHER>' },
  ]));
});

afterAll(async () => {
  await dynamo?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const args = () => ['--table', table, ...period, '--shifts', path.join(dir, 'shifts.json'), '--contact', 'payments_oncall', '--time-zone', TZ];

test('from the table: the numbers exactly (shifts across midnight and the daylight-saving change, a flapping alarm, an unacknowledged page)', async () => {
  const r = await run([...args(), '--format', 'json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.totals).toEqual({
    incidents: 7, pages: 6, alerts: 9, incidentGroups: 7, alertsPerIncident: 1.29, unresolved: 1, acknowledged: 5,
    escalated: 2, sleepPages: 3, offHoursPages: 5, shifts: 9, shiftsOverLimit: 1,
  });
  expect(report.shifts[4]).toEqual({ from: '2026-03-28T19:00:00.000Z', to: '2026-03-29T06:00:00.000Z', who: '<@U0ALICE>', pages: 3, sleepPages: 3, offHoursPages: 3, overLimit: true });
  expect(report.people.map((p: any) => [p.who, p.pages, p.shiftsOverLimit])).toEqual([['<@U0ALICE>', 3, 1], ['<@U0BOB>', 1, 0]]);
  expect(report.severities.map((s: any) => [s.severity, s.mtta.p50, s.mtta.p90, s.mttr.p50, s.mttr.p90, s.mttd.p50, s.metTarget, s.missedTarget])).toEqual([
    ['SEV1', 120, 600, 1200, 3600, 180, 1, 1],
    ['SEV2', 240, 600, 2400, 7200, 240, 2, 1],
    ['SEV3', 223_200, 223_200, 230_000, 230_000, undefined, 1, 0],
  ]);
  expect(report.alarms[0]).toMatchObject({ alarmName: 'Payments/Flappy', flaps: 1, realerts: 2, unacknowledged: 1, runbook: 'https://github.com/acme/ops/blob/main/runbooks/flappy.md' });
  // Deadlock's SEV2 before the period is still owed too.
  expect(report.postmortems.overdue.map((p: any) => p.alarmName)).toEqual(['Payments/Deadlock', 'Payments/Flappy']);
});

test('as text, with the pictures: valid SVG a browser opens, and PNG rendered from it', async () => {
  const pictures = path.join(dir, 'pictures');
  const r = await run([...args(), '--svg', pictures, '--png'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Load: 6 pages (7 incidents) in 9 12-hour shifts; 1 shift over the limit of 2 (most: 3, 2026-03-28 20:00 <@U0ALICE>)');
  expect(r.stdout).toMatch(/^SEV1 +2 +2 min +10 min +within 5 min +1 +1 +20 min +1 h +3 min +5 min$/m);
  expect(r.stdout).toContain('  Payments/Flappy (SEV2): 1 incident, 1 flap, 2 re-alerts, 1 unacknowledged — runbook: https://github.com/acme/ops/blob/main/runbooks/flappy.md');
  expect(r.stdout).toContain('  overdue: Payments/Flappy (SEV2) fired 2026-03-29 14:00, due 2026-03-30 14:00, Draft');
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  for (const name of ['pages-per-shift', 'mtta', 'mttr']) {
    const svg = fs.readFileSync(path.join(pictures, `${name}.svg`), 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parser.parse(svg).svg;
    expect(doc.xmlns).toBe('http://www.w3.org/2000/svg');
    const png = fs.readFileSync(path.join(pictures, `${name}.png`));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1920); // width, at zoom 2
  }
  const bars = [parser.parse(fs.readFileSync(path.join(pictures, 'pages-per-shift.svg'), 'utf8')).svg.rect].flat().filter((b: any) => b.title);
  // One bar per shift with pages; red for the one over the limit, named with who was on call.
  expect(bars.map((b: any) => [b.fill, b.title])).toEqual([
    ['#c62828', '2026-03-28 20:00–08:00 <@U0ALICE>: 3 pages, 3 in sleep hours'],
    ['#1565c0', '2026-03-29 08:00–20:00 <@U0BOB>: 1 page'],
    ['#1565c0', '2026-03-30 08:00–20:00: 1 page'],
    ['#1565c0', '2026-03-30 20:00–00:00: 1 page'],
  ]);
  const mtta = parser.parse(fs.readFileSync(path.join(pictures, 'mtta.svg'), 'utf8')).svg;
  expect([mtta.circle].flat().map((c: any) => c.title)).toContain('SEV1 MTTA p90 2026-03-29: 10 min (2 incidents)');
});

test('from an export (a DynamoDB export to S3: gzipped JSON lines) the same numbers', async () => {
  const { Items } = await scanAll();
  const file = path.join(dir, 'export.json.gz');
  fs.writeFileSync(file, gzipSync(Items.map((Item: unknown) => JSON.stringify({ Item })).join('\n')));
  const r = await run(['--input', file, ...period, '--shifts', path.join(dir, 'shifts.json'), '--contact', 'payments_oncall', '--time-zone', TZ, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout).totals).toMatchObject({ incidents: 7, pages: 6, shiftsOverLimit: 1 });
});

test('mistakes: a clear message and exit 2', async () => {
  const none = await run(period);
  expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('give --table <name> (the SlackNotifier\'s incident table) or --input <export file>')]);
  const zone = await run(['--table', table, '--time-zone', 'Mars/Olympus']);
  expect([zone.code, zone.stderr]).toEqual([2, expect.stringContaining('--time-zone "Mars/Olympus" is not an IANA time zone')]);
  const missing = await run(['--table', 'no-such-table', ...period], env);
  expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('reading the incident table no-such-table: ResourceNotFoundException')]);
  fs.writeFileSync(path.join(dir, 'bad-shifts.json'), JSON.stringify([{ from: 'soon', to: '2026-03-29T06:00:00Z', who: 'x' }, { from: '2026-03-29T06:00:00Z', to: '2026-03-28T06:00:00Z' }]));
  const shifts = await run(['--table', table, '--shifts', path.join(dir, 'bad-shifts.json')], env);
  expect(shifts.code).toBe(2);
  expect(shifts.stderr).toContain('shift 1 "from": "soon" is not a time');
  expect(shifts.stderr).toContain('shift 2 names nobody');
});

async function scanAll(): Promise<{ Items: any[] }> {
  const { DynamoDBClient, ScanCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1' });
  const out = await client.send(new ScanCommand({ TableName: table }));
  client.destroy();
  return { Items: out.Items ?? [] };
}
