// Benchmarks of the Slack app mode (run by `npm run bench:slack`, after the webhook benchmarks):
//  1. cold start of a container in app mode: require of the bundle and createHandler in a fresh
//     node process (with --baseline <bundle.js>, interleaved with that bundle's), and loading the
//     two SDK clients the first notification needs (the runtime ships them; here from node_modules);
//  2. the storm: 300 alarms at once (each opens an incident: a parent message) against a Slack
//     Web API stand-in enforcing 1 message per second per channel (429 + Retry-After beyond), with
//     dynalite as the incident table, through the built handler with its production retry
//     settings, in two containers (the default reserved concurrency) re-queueing a failed
//     invocation up to twice as Lambda's async retries would. Goal: 0 lost, 0 duplicated, no
//     retry storm (requests per second stay near the rate Slack allows).
// Flags: --storm <n> (default 300), --skip-storm, --init-runs <n> (default 21), --baseline <bundle.js>.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { median, numberFlag } from './args';
import { drainAsLambda } from './lambda-retries';
import { awsEnvironment, createIncidentTable, startDynalite } from '../test/support/dynalite';
import { startSlackWebApi } from '../test/support/slack-web-api-stand-in';

const ROOT = path.join(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'functions', 'notifier-app', 'index.js');
const args = process.argv.slice(2);
const baseline = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const flag = (name: string, dflt: number) => numberFlag(args, name, dflt);
const results: Record<string, unknown> = {};

async function main(): Promise<void> {
  // 1. Cold start, each in a fresh node process.
  const initRuns = flag('--init-runs', 21);
  const env = { SLACK_BOT_TOKEN_SECRET_ARN: 'arn', SLACK_CHANNEL: 'C0ALERTS', INCIDENT_TABLE_NAME: 't' };
  const probe = (file: string) => `const t=process.hrtime.bigint();const m=require(${JSON.stringify(file)});m.createHandler({env:${JSON.stringify(env)}});` +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const initOnce = (file: string) => Number(execFileSync(process.execPath, ['-e', probe(file)], { encoding: 'utf8' }));
  const inits: number[] = [];
  const baselineInits: number[] = [];
  for (let i = 0; i < initRuns; i++) {
    inits.push(initOnce(BUNDLE));
    if (baseline) baselineInits.push(initOnce(baseline));
  }
  const sdkProbe = 'const t=process.hrtime.bigint();require("@aws-sdk/client-dynamodb");require("@aws-sdk/client-secrets-manager");' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const sdk = Array.from({ length: Math.min(initRuns, 11) }, () => Number(execFileSync(process.execPath, ['-e', sdkProbe], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })));
  results.appColdInit = { medianMs: +median(inits).toFixed(2), maxMs: +Math.max(...inits).toFixed(2), runs: initRuns, sdkLoadMedianMs: +median(sdk).toFixed(1) };
  console.log(`app mode cold init: median ${median(inits).toFixed(2)} ms (max ${Math.max(...inits).toFixed(2)} ms) over ${initRuns} fresh processes; ` +
    `the two SDK clients load on first use in ${median(sdk).toFixed(1)} ms (median)`);
  if (baseline) {
    results.baselineAppColdInit = { medianMs: +median(baselineInits).toFixed(2), maxMs: +Math.max(...baselineInits).toFixed(2), runs: initRuns };
    console.log(`app mode cold init of the baseline (interleaved): median ${median(baselineInits).toFixed(2)} ms (max ${Math.max(...baselineInits).toFixed(2)} ms)`);
  }

  if (args.includes('--skip-storm')) {
    console.log(JSON.stringify(results));
    return;
  }

  // 2. The storm.
  const size = flag('--storm', 300);
  const dynamo = await startDynalite();
  Object.assign(process.env, awsEnvironment(dynamo.endpoint));
  const table = await createIncidentTable(dynamo.endpoint);
  const slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }], ratePerChannel: 1, burst: 1 });
  const { createHandler } = require(BUNDLE);
  let handlerRetries = 0;
  const container = () => createHandler({
    env: { ...env, INCIDENT_TABLE_NAME: table, SLACK_API_URL: slack.url },
    secrets: { getSecretString: async () => 'xoxb-test-token' },
    log: (e: { msg: string }) => { if (e.msg === 'slack attempt failed, retrying') handlerRetries++; },
  });
  const contract = 'Payment webhooks are piling up.\n\nSeverity: SEV2\nRunbook: https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md\nFirst move: Scale out the webhook consumer\nOwner: payments';
  const queue = Array.from({ length: size }, (_, i) => ({
    attempt: 0,
    event: { Records: [{ Sns: { MessageId: `storm-${i}`, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify({
      AlarmName: `storm-${i}`, AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:storm-${i}`, AlarmDescription: contract,
      NewStateValue: 'ALARM', OldStateValue: 'OK', NewStateReason: 'Threshold Crossed', StateChangeTime: new Date(Date.UTC(2026, 10, 23, 2, 14, 0, i)).toISOString(),
      AWSAccountId: '123456789012', Region: 'EU (Ireland)',
    }) } }] },
  }));
  const started = Date.now();
  const progress = setInterval(() => console.log(`  storm: ${slack.parents('C0ALERTS').length}/${size} parents posted after ${((Date.now() - started) / 1000).toFixed(0)} s`), 30_000);
  const { lambdaRetries, lost } = await drainAsLambda(queue, container);
  clearInterval(progress);
  const seconds = (Date.now() - started) / 1000;
  const parents = slack.parents('C0ALERTS');
  const names = parents.map((m) => /ALARM: (storm-\d+)/.exec(m.text)?.[1]);
  const distinct = new Set(names);
  const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
  // Requests per one-second window: a retry storm would show as many more than the 1/s Slack takes.
  const perSecond = new Map<number, number>();
  for (const c of posts) perSecond.set(Math.floor((c.at - started) / 1000), (perSecond.get(Math.floor((c.at - started) / 1000)) ?? 0) + 1);
  const storm = {
    alarms: size, parentsPosted: parents.length, lost: size - distinct.size + lost, duplicates: parents.length - distinct.size,
    totalSeconds: +seconds.toFixed(1), requests: posts.length, requestsPerMessage: +(posts.length / Math.max(1, parents.length)).toFixed(2),
    http429: slack.rateLimited.total, handlerRetries, lambdaRetries, maxRequestsInOneSecond: Math.max(...perSecond.values()),
  };
  results.appStorm = storm;
  console.log(`app storm: ${size} alarms → ${parents.length} parents, ${storm.lost} lost, ${storm.duplicates} duplicated; ${storm.totalSeconds} s; ` +
    `${posts.length} chat.postMessage calls (${storm.requestsPerMessage} per message, at most ${storm.maxRequestsInOneSecond} in one second), ` +
    `${storm.http429} HTTP 429s, ${handlerRetries} handler retries, ${lambdaRetries} Lambda retries`);
  await slack.close();
  await dynamo.close();
  console.log(JSON.stringify(results));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
