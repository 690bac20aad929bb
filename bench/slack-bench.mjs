/* global Buffer, console, process, setInterval, clearInterval */
// Benchmarks of the Slack notifier (run `npm run bench:slack`, which builds first):
//  1. bundle sizes of dist/functions/*/index.js (goals: the webhook notifier ≤ 32 KB, the Slack app's
//     functions ≤ 54 KB minified; the AWS SDK comes from the runtime). With --baseline <bundle.js>
//     (another build's notifier, e.g. an older release's), its size is printed beside them; with
//     --baseline <dir> (another build's dist/functions), every bundle's, and each cold init below
//     is interleaved with the same function's of that build.
//  2. cold module init: require() of the webhook notifier's bundle in a fresh node process (goal
//     ≤ 50 ms median); with --baseline, interleaved run by run with the baseline bundle's.
//  3. render time per notification over 10,000 (goal ≤ 0.2 ms)
//  4. parsing + rendering the worst 256 KB messages we know of (goal ≤ 50 ms each: linear time)
//  5. fuzz: hostile events through the built handler and a local Slack stand-in (bench/slack-fuzz.ts;
//     goal: 0 crashes, 0 violations, 0 dropped, 0 secrets logged)
//  6. a storm of notifications against a local stand-in that allows 1 message/s with small bursts,
//     through the real handler with its production retry settings (goal: 0 lost).
//  7. then the Slack app mode's benchmarks (bench/slack-app-bench.ts: cold start, a 300-alarm storm
//     against a Web API stand-in and dynalite), with the same --storm, --skip-storm, --init-runs;
//  8. and the escalation path's (bench/escalation-bench.ts: cold init of the interactivity and
//     escalation bundles, the time to answer an Acknowledge click in a cold and a warm container).
// Flags: --storm <n> (default 300), --skip-storm, --init-runs <n> (default 21), --fuzz <n> (default 3000), --skip-fuzz,
// --webhook-only (no app mode), --baseline <bundle.js | another build's dist/functions>.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const { drainAsLambda } = require('./lambda-retries.js');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'functions', 'notifier-webhook', 'index.js');
const args = process.argv.slice(2);
const baselineArg = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
// A directory: another build's dist/functions, each function's bundle compared with its own.
const baselineDir = baselineArg && statSync(baselineArg).isDirectory() ? baselineArg : undefined;
const baseline = baselineDir ? join(baselineDir, 'notifier-webhook', 'index.js') : baselineArg;
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const stormSize = flag('--storm', 300);
const fuzzCases = flag('--fuzz', 3000);
const initRuns = flag('--init-runs', 21);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};

// 1. Bundle sizes: each function's own asset (the construct deploys one notifier bundle, by mode).
const BUNDLE_GOALS_KB = { 'notifier-webhook': 32, 'notifier-app': 54, interactivity: 54, escalation: 54, handoff: 54 };
const sizeOf = (file) => {
  const bytes = statSync(file).size;
  return { bytes, kb: +(bytes / 1024).toFixed(1), gzipKb: +(gzipSync(readFileSync(file)).length / 1024).toFixed(1) };
};
results.bundles = {};
for (const [name, goalKb] of Object.entries(BUNDLE_GOALS_KB)) {
  results.bundles[name] = { ...sizeOf(join(root, 'dist', 'functions', name, 'index.js')), goalKb };
  const b = results.bundles[name];
  console.log(`bundle dist/functions/${name}/index.js: ${b.bytes} bytes = ${b.kb} KB minified (${b.gzipKb} KB gzip), goal ≤ ${goalKb} KB`);
  if (baselineDir) {
    const base = (results.baselineBundles ??= {})[name] = sizeOf(join(baselineDir, name, 'index.js'));
    console.log(`  baseline: ${base.bytes} bytes = ${base.kb} KB (${base.gzipKb} KB gzip); ${b.bytes - base.bytes >= 0 ? '+' : ''}${b.bytes - base.bytes} bytes`);
  }
}
if (baseline && !baselineDir) {
  results.baselineBundle = sizeOf(baseline);
  console.log(`baseline bundle ${baseline}: ${results.baselineBundle.bytes} bytes = ${results.baselineBundle.kb} KB minified (${results.baselineBundle.gzipKb} KB gzip)`);
}
results.bundle = results.bundles['notifier-webhook'];

// 2. Cold module init, each in a fresh node process; with a baseline, the two interleaved run by run
// (so load on the machine falls on both alike).
const probeOf = (file) => `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
const initOnce = (file) => Number(execFileSync(process.execPath, ['-e', probeOf(file)], { encoding: 'utf8' }));
const inits = [];
const baselineInits = [];
for (let i = 0; i < initRuns; i++) {
  inits.push(initOnce(bundle));
  if (baseline) baselineInits.push(initOnce(baseline));
}
results.coldInit = { medianMs: +median(inits).toFixed(2), maxMs: +Math.max(...inits).toFixed(2), runs: initRuns, goalMs: 50 };
console.log(`cold init (webhook notifier): median ${results.coldInit.medianMs} ms, max ${results.coldInit.maxMs} ms over ${initRuns} fresh processes, goal ≤ 50 ms`);
if (baseline) {
  results.baselineColdInit = { medianMs: +median(baselineInits).toFixed(2), maxMs: +Math.max(...baselineInits).toFixed(2), runs: initRuns };
  console.log(`cold init (baseline, interleaved): median ${results.baselineColdInit.medianMs} ms, max ${results.baselineColdInit.maxMs} ms`);
}

// 3. Render time: the samples and crafted notifications, 10,000 renders.
const slack = {
  ...require(join(root, 'dist', 'lib', 'notification', 'sns-message.js')),
  ...require(join(root, 'dist', 'lib', 'notification', 'slack-message.js')),
};
const fixtures = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name));
    else if (e.name.endsWith('.json')) fixtures.push(JSON.parse(readFileSync(join(dir, e.name), 'utf8')));
  }
};
walk(join(root, 'test', 'fixtures', 'cloudwatch-sns'));
const contract = (sev) => `Payment webhooks are piling up.\n\nSeverity: ${sev}\nRunbook: https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md\nFirst move: Scale out the webhook consumer\nOwner: payments`;
const crafted = ['SEV1', 'SEV2', 'SEV3', 'SEV4'].flatMap((sev) => ['ALARM', 'OK', 'INSUFFICIENT_DATA'].map((state) => ({
  AlarmName: `Payments/${sev}-${state} <!here> & co`, AlarmDescription: contract(sev), NewStateValue: state, OldStateValue: 'OK',
  NewStateReason: 'Threshold Crossed: 3 datapoints [1200.0, 1500.0, 1800.0] were greater than the threshold (1000.0).'.repeat(3),
  StateChangeTime: '2026-11-23T02:14:00.123+0000', AWSAccountId: '123456789012', Region: 'EU (Ireland)',
  AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x',
  Trigger: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Statistic: 'MAXIMUM', Dimensions: [{ name: 'QueueName', value: 'q' }], Period: 60, EvaluationPeriods: 5, ComparisonOperator: 'GreaterThanThreshold', Threshold: 1000 },
})));
const notifications = [...fixtures, ...crafted].flatMap((e) => slack.notificationsFromEvent(e));
const N = 10_000;
for (let i = 0; i < 2000; i++) slack.renderSlackMessage(notifications[i % notifications.length]); // warm-up
let t = process.hrtime.bigint();
for (let i = 0; i < N; i++) slack.renderSlackMessage(notifications[i % notifications.length]);
const renderMs = Number(process.hrtime.bigint() - t) / 1e6 / N;
const events = [...fixtures, ...crafted.map((m) => ({ Records: [{ Sns: { MessageId: 'x', Message: JSON.stringify(m) } }] }))];
t = process.hrtime.bigint();
for (let i = 0; i < N; i++) for (const n of slack.notificationsFromEvent(events[i % events.length])) JSON.stringify(slack.renderSlackMessage(n));
const fullMs = Number(process.hrtime.bigint() - t) / 1e6 / N;
results.render = { perNotificationMs: +renderMs.toFixed(4), parseRenderSerializeMs: +fullMs.toFixed(4), notifications: N, kinds: notifications.length, goalMs: 0.2 };
console.log(`render: ${results.render.perNotificationMs} ms per notification (${results.render.parseRenderSerializeMs} ms with parse + JSON) over ${N}, goal ≤ 0.2 ms`);

// 4. 256 KB messages (SNS's limit on a message, in UTF-8 bytes), the worst shapes we know: each
// parsed from the SNS event's JSON text, read, rendered and serialized; median of 5 after a warm-up.
const KB256 = 256 * 1024;
// As many `unit`s as fit `bytes` of UTF-8, leaving room for the rest of the message.
const fill = (unit, bytes = KB256 - 300) => unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)));
const big = {
  'description: Severity: SEV2 + spaces + x': { AlarmName: 'x', NewStateValue: 'ALARM', AlarmDescription: `Severity: SEV2${fill(' ')}x` },
  'description: sev + spaces + x (a severity-first line)': { AlarmName: 'x', NewStateValue: 'ALARM', AlarmDescription: `sev${fill(' ')}x` },
  'description: Severity: sev + spaces, U+2028, spaces + 1': { AlarmName: 'x', NewStateValue: 'ALARM', AlarmDescription: `Severity: sev${fill(' ', KB256 / 2 - 200)}\u2028${fill(' ', KB256 / 2 - 200)}1` },
  'reason: & < > and mentions': { AlarmName: 'x', NewStateValue: 'ALARM', NewStateReason: fill('&<>@here <!channel> ') },
  'name: ZWJ emoji families': { AlarmName: fill('👨‍👩‍👧‍👦'), NewStateValue: 'ALARM' },
  'description: 9,000 contract key lines': { AlarmName: 'x', NewStateValue: 'ALARM', AlarmDescription: fill('Runbook: https://x.example/\n', (KB256 - 400) * 28 / 29) + 'Severity: SEV1' }, // \n is 2 bytes in JSON
  'metric math: 4,000 queries': { AlarmName: 'x', NewStateValue: 'ALARM', Trigger: { Metrics: Array.from({ length: 4000 }, (_, i) => ({ Id: `m${i}`, Expression: 'SUM(METRICS())', Label: 'l' })) } },
  'composite: 2,100 children': { AlarmName: 'x', NewStateValue: 'ALARM', AlarmRule: 'ALARM(a)', TriggeringChildren: Array.from({ length: 2100 }, (_, i) => ({ Arn: `arn:aws:cloudwatch:eu-west-1:1:alarm:child-${i}-${'c'.repeat(40)}`, State: { Value: 'ALARM' } })) },
  'runbook: a URL of 128,000 é': { AlarmName: 'x', NewStateValue: 'ALARM', AlarmDescription: `Severity: SEV2\nRunbook: https://x.example/${fill('é')}` },
};
const bigEvents = Object.entries(big).map(([what, message]) => {
  const text = JSON.stringify(message);
  return [what, Buffer.byteLength(text), JSON.stringify({ Records: [{ Sns: { MessageId: 'big', Message: text } }] })];
});
// On-failure records 12,000 deep (229 KB of JSON), as the issue found them.
const deep = `${'{"requestPayload":'.repeat(12_000)}${JSON.stringify({ Records: [{ Sns: { MessageId: 'deep', Message: JSON.stringify(crafted[0]) } }] })}${'}'.repeat(12_000)}`;
bigEvents.push(['12,000 nested on-failure records', Buffer.byteLength(deep), deep]);
results.big = {};
for (const [what, bytes, json] of bigEvents) {
  const once = () => {
    const t0 = process.hrtime.bigint();
    for (const n of slack.notificationsFromEvent(JSON.parse(json))) JSON.stringify(slack.renderNotification(n).message);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  once();
  const ms = median(Array.from({ length: 5 }, once));
  results.big[what] = { kb: +(bytes / 1024).toFixed(0), ms: +ms.toFixed(1) };
  console.log(`256 KB: ${what} (${results.big[what].kb} KB): ${results.big[what].ms} ms, goal ≤ 50 ms`);
}

// 5. Fuzz: the built handler against hostile events (bench/slack-fuzz.ts, with the property test's generators).
if (!args.includes('--skip-fuzz')) {
  const out = execFileSync(process.execPath, [join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', join(root, 'bench', 'slack-fuzz.ts'), '--cases', String(fuzzCases)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  results.fuzz = JSON.parse(out.trim().split('\n').pop());
  const f = results.fuzz;
  console.log(`fuzz: ${f.cases} cases, ${f.notifications} notifications, ${f.posts} posted; ${f.crashes} crashes, ${f.violations} violations, ` +
    `${f.dropped} dropped, ${f.fallbacks} fallback renders, ${f.secretsLogged} with a secret logged; slowest case ${f.slowestMs} ms (seed ${f.seed})`);
  for (const e of f.examples) console.log(`  ${e}`);
}

// 6. The storm: Slack stand-in with a token bucket (1 message/s, bursts of 3), answering 429 with
// Retry-After when empty. Two containers (the default reserved concurrency) run the real handler
// with production delivery settings and a 60 s budget; a failed invocation is retried by "Lambda"
// up to 2 more times (the construct's retryAttempts), as the async invoke queue would.
if (!args.includes('--skip-storm')) {
  const RATE = 1;
  const BURST = 3;
  let tokens = BURST;
  let last = Date.now();
  let accepted = 0;
  let rejected = 0;
  const seen = new Map();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const now = Date.now();
      tokens = Math.min(BURST, tokens + ((now - last) / 1000) * RATE);
      last = now;
      if (tokens < 1) {
        rejected++;
        res.writeHead(429, { 'retry-after': '1' });
        return res.end('rate_limited');
      }
      tokens -= 1;
      accepted++;
      const text = JSON.parse(body).text;
      seen.set(text, (seen.get(text) ?? 0) + 1);
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/services/T/B/X`;
  const { createHandler } = require(bundle);
  let retriesLogged = 0;
  const container = () => createHandler({
    env: { SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:bench' },
    secrets: { getSecretString: async () => url },
    log: (e) => { if (e.msg === 'slack attempt failed, retrying') retriesLogged++; },
  });
  const queue = Array.from({ length: stormSize }, (_, i) => ({
    attempt: 0,
    event: { Records: [{ Sns: { MessageId: `storm-${i}`, Message: JSON.stringify({ ...crafted[i % crafted.length], AlarmName: `storm-${i}` }) } }] },
  }));
  const started = Date.now();
  const progress = setInterval(() => console.log(`  storm: ${accepted}/${stormSize} delivered after ${((Date.now() - started) / 1000).toFixed(0)} s`), 30_000);
  const { lambdaRetries, lost } = await drainAsLambda(queue, container);
  clearInterval(progress);
  server.close();
  const missing = Array.from({ length: stormSize }, (_, i) => i).filter((i) => ![...seen.keys()].some((k) => k.includes(`storm-${i} `) || k.endsWith(`storm-${i}`))).length;
  const duplicates = [...seen.values()].filter((c) => c > 1).length;
  results.storm = {
    notifications: stormSize, delivered: accepted, lost, missingInSlack: missing, duplicates,
    totalSeconds: +((Date.now() - started) / 1000).toFixed(1), http429: rejected, handlerRetries: retriesLogged, lambdaRetries,
  };
  console.log(`storm: ${stormSize} notifications, ${accepted} delivered, ${lost} lost, ${missing} missing in Slack, ${duplicates} duplicated; ` +
    `${results.storm.totalSeconds} s; ${rejected} HTTP 429s, ${retriesLogged} handler retries, ${lambdaRetries} Lambda retries`);
}
console.log(JSON.stringify(results));

// 7. The Slack app mode (TypeScript: it shares the tests' Web API stand-in and dynalite helpers).
if (!args.includes('--webhook-only')) {
  const passed = args.filter((a, k) => a !== '--skip-fuzz' && a !== '--fuzz' && args[k - 1] !== '--fuzz');
  execFileSync(process.execPath, [join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', join(root, 'bench', 'slack-app-bench.ts'), ...passed.filter((a, k) => a !== '--baseline' && passed[k - 1] !== '--baseline'),
    ...(baselineDir ? ['--baseline', join(baselineDir, 'notifier-app', 'index.js')] : baseline ? ['--baseline', baseline] : [])], { stdio: 'inherit', cwd: root });
  // 8. Acknowledgement and escalation.
  const initRunsArg = args.includes('--init-runs') ? ['--init-runs', String(initRuns)] : [];
  execFileSync(process.execPath, [join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', join(root, 'bench', 'escalation-bench.ts'), ...initRunsArg,
    ...(baselineDir ? ['--baseline', baselineDir] : [])], { stdio: 'inherit', cwd: root });
}
