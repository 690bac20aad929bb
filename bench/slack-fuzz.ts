// The notifier fuzzed at scale, black-box: the built bundle (dist/functions/notifier-webhook/index.js) in this process,
// its createHandler with production delivery settings, a local Slack stand-in over HTTP, and
// hostile events from the same generators as the property test (test/slack/hostile.ts), checked
// with the same independent oracle (messageViolations). Run by `npm run bench:slack`; alone:
//   npx ts-node --transpile-only bench/slack-fuzz.ts [--cases 3000] [--seed 11]
// Prints one JSON line: cases, notifications, posts, crashes, violations, fallbacks, slowest case.
import fc from 'fast-check';
import * as path from 'path';
import { hostileEvent } from '../test/support/hostile';
import { messageViolations } from '../test/support/slack';
import { startSlackStandIn } from '../test/support/slack-stand-in';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const CASES = flag('--cases', 3000);
const SEED = flag('--seed', 11);
const MENTION = '<!subteam^S0INCIDENT>';
const WEBHOOK_PATH = '/services/T0FUZZBENCH/B0FUZZBENCH/fuzzBENCHfuzzBENCHfuzzBENC';

async function main() {
  const { createHandler } = require(path.join(__dirname, '..', 'dist', 'functions', 'notifier-webhook', 'index.js'));
  const slack = await startSlackStandIn();
  const secretPieces = Array.from({ length: WEBHOOK_PATH.length - 16 }, (_, i) => WEBHOOK_PATH.slice(9 + i, 17 + i));
  const totals = { cases: 0, notifications: 0, posts: 0, crashes: 0, violations: 0, fallbacks: 0, dropped: 0, secretsLogged: 0, slowestMs: 0 };
  const examples: string[] = [];
  for (const { event, notifications } of fc.sample(hostileEvent, { numRuns: CASES, seed: SEED })) {
    const logs: Array<Record<string, unknown>> = [];
    const handler = createHandler({
      env: { SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:fuzz', SLACK_MENTION_SEV1: MENTION },
      secrets: { getSecretString: async () => `${slack.url}${WEBHOOK_PATH}` },
      log: (e: Record<string, unknown>) => logs.push(e),
    });
    slack.received.length = 0;
    const started = process.hrtime.bigint();
    let delivered = 0;
    try {
      delivered = (await handler(event, { getRemainingTimeInMillis: () => 60_000 })).delivered;
    } catch (err) {
      totals.crashes++;
      if (examples.length < 5) examples.push(`crash: ${(err as Error).message.slice(0, 200)}`);
    }
    totals.slowestMs = Math.max(totals.slowestMs, Number(process.hrtime.bigint() - started) / 1e6);
    totals.cases++;
    totals.notifications += logs.filter((l) => /^(delivered to slack|not delivered to slack|duplicate SNS delivery skipped)$/.test(String(l.msg))).length;
    totals.posts += slack.received.length;
    if (notifications !== undefined && slack.received.length !== notifications) totals.dropped++;
    if (slack.received.length !== delivered) totals.dropped++;
    totals.fallbacks += logs.filter((l) => l.msg === 'notification rendered in a fallback form').length;
    for (const r of slack.received) {
      const v = messageViolations(r.body, [MENTION]);
      if (v.length > 0) {
        totals.violations++;
        if (examples.length < 5) examples.push(`violation: ${v.slice(0, 3).join('; ')}`);
      }
    }
    const logged = JSON.stringify(logs);
    if (secretPieces.some((p) => logged.includes(p))) totals.secretsLogged++;
  }
  await slack.close();
  console.log(JSON.stringify({ ...totals, slowestMs: +totals.slowestMs.toFixed(1), seed: SEED, examples }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
