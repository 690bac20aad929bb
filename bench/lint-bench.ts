// Benchmark: `runbook-alarms lint` on 10,000 generated runbooks in one process, side by side with
// markdownlint-cli2 checking the same files with only MD043 (required headings) enabled, the
// closest thing it offers; then on 10,000 generated postmortems (every postmortem rule, their
// runbooks' dates read). Wall time of the real CLIs, several runs each, median reported.
//   npm run bench:lint     (RUNBOOKS=10000 POSTMORTEMS=10000 RUNS=3 by default, 0 skips either; CLI=<path> for another build)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
// CLI=<path> times another build of the binary (e.g. an older checkout's) the same way.
const CLI = process.env.CLI ? path.resolve(process.env.CLI) : path.join(REPO, 'dist', 'bin', 'runbook-alarms.js');
const { bin: MARKDOWNLINT, version: MARKDOWNLINT_VERSION } = markdownlint();
const COUNT = Number(process.env.RUNBOOKS ?? 10000);
const POSTMORTEMS = Number(process.env.POSTMORTEMS ?? 10000);
const RUNS = Number(process.env.RUNS ?? 3);
const NOW = '2026-11-23';
const GOAL_SECONDS = 2;
const GOAL_RATIO = 10;

/** markdownlint-cli2's binary as its package.json names it, and its version (whichever is installed). */
function markdownlint(): { bin: string; version: string } {
  const dir = path.join(REPO, 'node_modules', 'markdownlint-cli2');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string; bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['markdownlint-cli2'] ?? Object.values(pkg.bin)[0];
  return { bin: path.join(dir, bin), version: pkg.version };
}

const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];
const SERVICES = ['payments', 'orders', 'checkout', 'search', 'identity', 'billing', 'shipping', 'catalog'];

/** One realistic runbook (front matter, code blocks, checklists, a never-do warning, a relative link), ~45 lines. */
function runbook(i: number): string {
  const service = SERVICES[i % SERVICES.length];
  const severity = SEVERITIES[i % SEVERITIES.length];
  const day = String(1 + (i % 20)).padStart(2, '0');
  return `---
title: ${service} scenario ${i}
owner: ${service}
last_updated: 2026-11-${day}
severity: ${severity}
---
# Runbook: ${service} scenario ${i}

## Symptom
Requests to \`${service}\` fail or slow down; users see errors on scenario ${i}.
Support tickets follow within 15 minutes.

## Detect
- Alarm \`${service}/Scenario${i}\` (${severity}): error rate above 5% for 3 of 5 minutes.
- Dashboard: CloudWatch → Dashboards → \`${service}-overview\`.

## Triage
1. How big is it?
   \`\`\`bash
   aws cloudwatch get-metric-statistics --namespace ${service} --metric-name Errors \\
     --statistics Sum --period 60 --start-time "$(date -u -d '-15 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)"
   \`\`\`
2. Did a deploy just happen? \`aws ecs describe-services --cluster ${service} --services api\`
3. See the [shared escalation contacts](shared/contacts.txt).

### Known causes
- A bad deploy (roll back), a dependency outage (fail over), a traffic spike (scale out).

## Mitigate
- [ ] Roll back to the previous task definition: \`aws ecs update-service --cluster ${service} --service api --task-definition api:PREVIOUS\`
- [ ] If traffic is the cause, scale out: \`aws ecs update-service --cluster ${service} --service api --desired-count 12\`
- ⚠️ Never delete the \`${service}\` queue to clear a backlog: every message in it is an unprocessed request.

## Verify
- [ ] Error rate under 1% for 10 minutes.
- [ ] The alarm is back to OK.

## Comms
- Post in \`#incidents\`: "${severity} ${service}: errors on scenario ${i}. Mitigating. Next update in 30 min."

## Postmortem
- ${severity === 'SEV1' || severity === 'SEV2' ? 'Postmortem within 5 business days.' : 'Note it in the weekly ops review.'}
`;
}

function generate(dir: string): void {
  const perDir = 1000;
  for (let d = 0; d * perDir < COUNT; d++) {
    const sub = path.join(dir, `team-${d}`);
    fs.mkdirSync(path.join(sub, 'shared'), { recursive: true });
    fs.writeFileSync(path.join(sub, 'shared', 'contacts.txt'), 'On-call rota: see the team calendar.\n');
    for (let i = d * perDir; i < Math.min(COUNT, (d + 1) * perDir); i++) fs.writeFileSync(path.join(sub, `scenario-${i}.md`), runbook(i));
  }
  // markdownlint-cli2: only the required-heading structure, the check it shares with ours.
  fs.writeFileSync(path.join(dir, '.markdownlint-cli2.jsonc'), JSON.stringify({
    config: {
      default: false,
      MD043: { headings: ['?', '## Symptom', '## Detect', '## Triage', '*', '## Mitigate', '## Verify', '## Comms', '## Postmortem'] },
    },
  }, null, 2));
}

const OWNERS = ['Dana Whitfield', 'Sam Okafor', 'Lee Chen', 'Ana Souza', 'Kenji Mori'];

/** One realistic Final postmortem (~50 lines: front matter, seven sections, a timeline, three action items), its runbook updated after it. */
function postmortem(i: number): string {
  const service = SERVICES[i % SERVICES.length];
  const severity = SEVERITIES[i % 2];
  const day = String(1 + (i % 20)).padStart(2, '0');
  const owner = OWNERS[i % OWNERS.length];
  const hex = i.toString(16).padStart(12, '0');
  return `---
incident: 4f1c2d3e-8a7b-4c6d-9e0f-${hex}
severity: ${severity}
status: ${i % 3 === 0 ? 'Draft' : 'Final'}
author: ${owner}
runbook: runbooks/${service}.md
date: 2026-10-${day}
---
# Postmortem: ${service} errors on scenario ${i} (${severity})

## Summary
Requests to \`${service}\` failed for 23 minutes on 2026-10-${day}; about ${100 + i % 900} users saw errors at checkout.
Nothing was lost. A rollback to the previous task definition ended it.

## Impact
- Duration: detected 14:02 – recovered 14:25 UTC (23 min)
- User impact: ${100 + i % 900} users, ${i % 50} failed payments retried automatically.
- Business impact: delayed orders; data consistency maintained.

## Timeline
All times UTC, from the incident's Slack thread.
- 14:02 Alarm \`${service}/Scenario${i}\` fired (automatic detection)
- 14:04 Acknowledged (MTTA 2 min)
- 14:11 Rollback started
- 14:25 Error rate back under 1%; alarm OK (MTTR 23 min)

## Root Cause
The release changed the connection pool size from 50 to 5 without a load test covering peak traffic.
The deploy pipeline had no canary stage for \`${service}\`, so every task got the change at once.

## Detection
The error-rate alarm paged after 3 of 5 minutes above 5%: automatic, within target.

## What went well / what went poorly
- Went well: the runbook's first move (roll back) worked at once.
- Went poorly: the rollback took 14 minutes because the previous task definition had to be looked up.
- Got lucky: the incident happened outside the evening peak.

## Action items
| # | Action | Type | Owner | Due | Ticket | Status |
| - | ------ | ---- | ----- | --- | ------ | ------ |
| 1 | Add a canary stage to the ${service} pipeline (5% for 10 min) | prevent | ${owner} | 2026-12-${day} | OPS-${1000 + i} | open |
| 2 | Load-test connection pool changes at peak traffic in CI | prevent | ${OWNERS[(i + 1) % OWNERS.length]} | 2026-11-${day} | OPS-${20000 + i} | done |
| 3 | Put the previous task definition's name in the deploy message | mitigate | ${OWNERS[(i + 2) % OWNERS.length]} | 2026-12-${day} | OPS-${40000 + i} | open |
`;
}

function generatePostmortems(dir: string): void {
  fs.mkdirSync(path.join(dir, 'runbooks'), { recursive: true });
  for (const [i, service] of SERVICES.entries()) fs.writeFileSync(path.join(dir, 'runbooks', `${service}.md`), runbook(i).replace(/last_updated: .*/, 'last_updated: 2026-11-20'));
  const perDir = 1000;
  for (let d = 0; d * perDir < POSTMORTEMS; d++) {
    const sub = path.join(dir, 'postmortems', `team-${d}`);
    fs.mkdirSync(sub, { recursive: true });
    for (let i = d * perDir; i < Math.min(POSTMORTEMS, (d + 1) * perDir); i++) fs.writeFileSync(path.join(sub, `2026-10-scenario-${i}.md`), postmortem(i));
  }
}

function time(command: string, args: string[], cwd: string): { seconds: number; code: number; output: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  // RUNBOOKS=0: the postmortems alone.
  if (COUNT <= 0) {
    process.exitCode = benchPostmortems() ? 0 : 1;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-alarms-bench-'));
  try {
    generate(dir);
    const ours = ['lint', '.', '--now', NOW];
    const theirs = ['**/*.md'];
    // Both must actually pass on the generated files, or we would be timing error paths.
    const check = time(process.execPath, [CLI, ...ours], dir);
    if (check.code !== 0 || !check.output.includes(`no problems in ${COUNT} runbooks`)) {
      throw new Error(`runbook-alarms did not lint the generated runbooks cleanly:\n${check.output.slice(0, 2000)}`);
    }
    const mdCheck = time(process.execPath, [MARKDOWNLINT, ...theirs], dir);
    if (mdCheck.code !== 0) throw new Error(`markdownlint-cli2 reported problems:\n${mdCheck.output.slice(0, 2000)}`);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so both see the same machine state (page cache, CPU frequency).
      a.push(time(process.execPath, [CLI, ...ours], dir).seconds);
      b.push(time(process.execPath, [MARKDOWNLINT, ...theirs], dir).seconds);
    }
    const ma = median(a);
    const mb = median(b);
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
    console.log(`${COUNT} runbooks, ${RUNS} runs each, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}, markdownlint-cli2 ${MARKDOWNLINT_VERSION}`);
    console.log(`runbook-alarms lint (all rules)     median ${ma.toFixed(2)} s   runs: ${fmt(a)}`);
    console.log(`markdownlint-cli2 (MD043 only)      median ${mb.toFixed(2)} s   runs: ${fmt(b)}`);
    console.log(`speed-up ${(mb / ma).toFixed(1)}x`);
    const met = ma <= GOAL_SECONDS && mb / ma >= GOAL_RATIO;
    console.log(`goal (<= ${GOAL_SECONDS} s and >= ${GOAL_RATIO}x faster): ${met ? 'met' : 'MISSED'}`);
    const pm = benchPostmortems();
    process.exitCode = met && pm ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** 10,000 postmortems through the real CLI (every postmortem rule; the runbooks' dates read once each). */
function benchPostmortems(): boolean {
  if (POSTMORTEMS <= 0) return true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-alarms-bench-pm-'));
  try {
    generatePostmortems(dir);
    const args = [CLI, 'lint', 'postmortems', '--now', NOW];
    const check = time(process.execPath, args, dir);
    if (check.code !== 0 || !check.output.includes(`no problems in ${POSTMORTEMS} postmortems`)) {
      throw new Error(`runbook-alarms did not lint the generated postmortems cleanly:\n${check.output.slice(0, 2000)}`);
    }
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(time(process.execPath, args, dir).seconds);
    const m = median(runs);
    console.log(`${POSTMORTEMS} postmortems, ${RUNS} runs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`runbook-alarms lint postmortems (all rules)   median ${m.toFixed(2)} s   runs: ${runs.map((x) => x.toFixed(2)).join(' ')}`);
    const met = m <= GOAL_SECONDS;
    console.log(`goal (<= ${GOAL_SECONDS} s): ${met ? 'met' : 'MISSED'}`);
    return met;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
