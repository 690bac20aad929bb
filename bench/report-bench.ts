// Benchmark: `runbook-alarms report` over 10,000 incidents read from dynalite (the incident table's
// stand-in, on 127.0.0.1) through the SDK, as a user runs it: the built CLI in a fresh process,
// wall time from spawn to exit, several runs, median reported. The table holds what the functions
// write: each alarm's current incident, the incidents they replaced (history#…), and transition
// claims, which the Scan reads and leaves out.
//   npm run bench:report          (INCIDENTS=10000 RUNS=5 by default; CLI=<path> for another build)
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { median } from './args';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const REPO = path.resolve(__dirname, '..');
const CLI = process.env.CLI ? path.resolve(process.env.CLI) : path.join(REPO, 'dist', 'bin', 'runbook-alarms.js');
const COUNT = Number(process.env.INCIDENTS ?? 10000);
const RUNS = Number(process.env.RUNS ?? 5);
const GOAL_SECONDS = 2;
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

type Attr = { S: string } | { N: string };

/** A random but repeatable number in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function items(): Record<string, Attr>[] {
  const r = rng(7);
  const out: Record<string, Attr>[] = [];
  const alarms = Array.from({ length: 150 }, (_, i) => ({ name: `svc-${i % 12}/Alarm${i}`, severity: `SEV${1 + (i % 4)}` }));
  const latest = new Map<string, number>();
  for (let i = 0; i < COUNT; i++) {
    const a = alarms[Math.floor(r() * alarms.length)];
    const firedAt = NOW - Math.floor(r() * 89 * DAY);
    const page = a.severity === 'SEV1' || a.severity === 'SEV2';
    const mtta = page && r() < 0.8 ? Math.floor(30 + r() * 1800) : undefined;
    const mttr = r() < 0.97 ? Math.floor(60 + r() * 14_400) : undefined;
    const description = `${a.name} is failing for a while; customers see errors.\n\nSeverity: ${a.severity}\n` +
      `Runbook: https://github.com/acme/ops/blob/main/runbooks/${a.name.replace('/', '-').toLowerCase()}.md\nFirst move: Roll back the last deploy\nOwner: ${a.name.split('/')[0]}`;
    const notification = JSON.stringify({ alarmName: a.name, alarmDescription: description, newState: mttr ? 'OK' : 'ALARM', oldState: 'ALARM',
      reason: 'Threshold Crossed: 3 datapoints [5.0 (23/11/26 02:13:00), 4.0 (23/11/26 02:12:00), 6.0 (23/11/26 02:11:00)] were greater than the threshold (3.0).',
      stateChangeTime: new Date(firedAt).toISOString(), accountId: '123456789012', regionName: 'EU (Ireland)',
      alarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${a.name}`, metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [], period: 60, evaluationPeriods: 3 } });
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const item: Record<string, Attr> = {
      alarmKey: { S: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${a.name}` }, incidentId: { S: id }, alarmName: { S: a.name }, severity: { S: a.severity },
      channel: { S: 'C0ALERTS' }, ts: { S: '1700000000.000100' }, openedBy: { S: 'k' }, openedAt: { N: String(firedAt) }, firedAt: { N: String(firedAt) },
      breachedAt: { N: String(firedAt - 180_000) }, state: { S: mttr ? 'OK' : 'ALARM' }, stateAt: { N: String(firedAt) }, reopened: { N: String(r() < 0.1 ? 1 : 0) },
      notification: { S: notification }, version: { N: '4' }, updatedAt: { N: String(firedAt) }, expiresAt: { N: String(Math.floor(firedAt / 1000) + 90 * 86400) },
      ...(mtta !== undefined ? { acknowledgedAt: { N: String(firedAt + mtta * 1000) }, acknowledgedBy: { S: 'U0ONCALL1' }, mttaSeconds: { N: String(mtta) } } : {}),
      ...(mttr !== undefined ? { resolvedAt: { N: String(firedAt + mttr * 1000) }, mttrSeconds: { N: String(mttr) } } : {}),
      ...(page && r() < 0.2 ? { escalatedLevel: { N: '1' }, escalatedAt: { N: String(firedAt + 300_000) } } : {}),
    };
    // The newest incident of an alarm is its current one; the rest were replaced and kept.
    const key = item.alarmKey as { S: string };
    const isLatest = (latest.get(key.S) ?? -1) < firedAt;
    if (isLatest) latest.set(key.S, firedAt);
    out.push({ pk: { S: `history#${id}` }, ...item });
  }
  for (const [key, firedAt] of latest) {
    const current = out.find((x) => (x.alarmKey as { S: string }).S === key && (x.firedAt as { N: string }).N === String(firedAt))!;
    current.pk = { S: `incident#${key}` };
  }
  // Transition claims of the last 15 days (three per incident): read by the Scan, left out by its filter.
  for (let i = 0; i < Math.floor(COUNT / 2); i++) {
    out.push({ pk: { S: `transition#arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x|ALARM|${i}` }, owner: { S: 'o' }, status: { S: 'done' }, claimedAt: { N: '1' }, expiresAt: { N: '2000000000' } });
  }
  return out;
}

/** One run: wall time, the CLI's CPU time (bash's `time`), and the CPU dynalite spent answering it (in this process). */
function run(args: string[], env: Record<string, string>): Promise<{ ms: number; cliCpuMs: number; tableCpuMs: number; stdout: string; stderr: string; code: number }> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const command = `TIMEFORMAT='%U %S' ; time ${[process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')}`;
  return new Promise((resolve) => execFile('bash', ['-c', command], { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const lines = stderr.trimEnd().split('\n');
    const [user, sys] = (lines.pop() ?? '0 0').split(' ').map(Number);
    resolve({ ms, cliCpuMs: (user + sys) * 1000, tableCpuMs: (used.user + used.system) / 1000, stdout, stderr: lines.join('\n'), code: err ? Number(err.code ?? 1) : 0 });
  }));
}

async function main(): Promise<void> {
  const dynalite = require('dynalite') as (o: Record<string, unknown>) => import('http').Server;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: CREDENTIALS });
  const table = 'incidents-bench';
  await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  const all = items();
  const bytes = all.reduce((n, i) => n + JSON.stringify(i).length, 0);
  for (let i = 0; i < all.length; i += 25 * 8) {
    await Promise.all(Array.from({ length: 8 }, (_, k) => all.slice(i + k * 25, i + (k + 1) * 25)).filter((b) => b.length > 0)
      .map((batch) => client.send(new BatchWriteItemCommand({ RequestItems: { [table]: batch.map((Item) => ({ PutRequest: { Item } })) } }))));
  }
  client.destroy();
  const env = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'report-bench-'));
  const args = ['report', '--table', table, '--since', '90d', '--now', new Date(NOW).toISOString(), '--time-zone', 'Europe/Berlin', '--format', 'json', '--svg', out];
  const warm = await run(args, env);
  if (warm.code !== 0) throw new Error(`the report failed (exit ${warm.code}): ${warm.stderr}`);
  const report = JSON.parse(warm.stdout) as { totals: { incidents: number; pages: number; shifts: number } };
  if (report.totals.incidents !== COUNT) throw new Error(`the report counted ${report.totals.incidents} incidents, not ${COUNT}`);
  const times: number[] = [];
  const cliCpu: number[] = [];
  const tableCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run(args, env);
    times.push(r.ms);
    cliCpu.push(r.cliCpuMs);
    tableCpu.push(r.tableCpuMs);
  }
  const text = await run(args.filter((a) => a !== 'json' && a !== '--format'), env);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(out, { recursive: true, force: true });
  const m = median(times) / 1000;
  console.log(`runbook-alarms report: ${COUNT} incidents (${all.length} items, ${(bytes / 1e6).toFixed(1)} MB as JSON) over 90 days from dynalite, JSON + 3 SVGs`);
  console.log(`  wall time per run (ms): ${times.map((t) => t.toFixed(0)).join(', ')}; text format: ${text.ms.toFixed(0)} ms`);
  console.log(`  ${report.totals.pages} pages, ${report.totals.shifts} shifts`);
  console.log(`  CPU time (median): the CLI ${median(cliCpu).toFixed(0)} ms, dynalite answering its Scan ${median(tableCpu).toFixed(0)} ms`);
  console.log(`median ${m.toFixed(2)} s (goal ≤ ${GOAL_SECONDS} s): ${m <= GOAL_SECONDS ? 'met' : 'MISSED'}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (m > GOAL_SECONDS) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
