// Property: whatever the function is invoked with (arbitrary JSON, hostile SNS events, on-failure
// records nested past the bound), every notification reaches the Slack stand-in as a payload within
// Block Kit's limits, with no live mention, link or lone surrogate; or the invocation fails, so
// Lambda keeps it. Never a silent drop. `npm run bench:slack` runs the same generators at scale.
import fc from 'fast-check';
import { LogEntry, createHandler } from '../../../lib/functions/notifier/webhook';
import { hostileEvent } from '../../support/hostile';
import { messageViolations } from '../../support/slack';
import { SlackStandIn, startSlackStandIn } from '../../support/slack-stand-in';

const MENTION = '<!subteam^S0INCIDENT>';
const WEBHOOK_PATH = '/services/T000FUZZ00/B000FUZZ00/fuzzFUZZfuzzFUZZfuzzFUZZ';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startSlackStandIn();
});
afterAll(() => slack.close());

test('every notification is posted within Block Kit limits and inert, or the invocation fails (property)', async () => {
  await fc.assert(
    fc.asyncProperty(hostileEvent, async ({ event, notifications, tooDeep }) => {
      const logs: LogEntry[] = [];
      // A fresh container per case: no case is a duplicate of another.
      const handler = createHandler({
        env: { SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:fuzz', SLACK_MENTION_SEV1: MENTION },
        secrets: { getSecretString: async () => `${slack.url}${WEBHOOK_PATH}` },
        delivery: { maxAttempts: 1, attemptTimeoutMs: 5000 },
        log: (e) => logs.push(e),
      });
      slack.received.length = 0;
      slack.script([], 'ok');
      let failed: Error | undefined;
      let result: { delivered: number } | undefined;
      try {
        result = await handler(event, { getRemainingTimeInMillis: () => 30_000 });
      } catch (err) {
        failed = err as Error;
      }
      const posts = slack.received.map((r) => r.body);
      for (const p of posts) expect(messageViolations(p, [MENTION])).toEqual([]);
      if (failed) {
        // Allowed by the promise (Lambda keeps the event), but with Slack answering 200 it means
        // something could not be shown: the failure must say so.
        expect(failed.message).toMatch(/not delivered to Slack/);
      } else {
        // Never a silent drop: one post per notification the event holds.
        expect(posts).toHaveLength(result!.delivered);
        if (notifications !== undefined) expect(posts).toHaveLength(notifications);
      }
      if (tooDeep) for (const p of posts) expect(p.text).toMatch(/unreadable notification/);
      // Rendering is total and within limits as designed: the renderer's own guard never had to
      // fall back, and no invocation failed.
      expect(logs.filter((l) => l.msg === 'notification rendered in a fallback form')).toEqual([]);
      expect(failed).toBeUndefined();
      expect(JSON.stringify(logs)).not.toContain('fuzzFUZZ');
    }),
    { numRuns: 300 },
  );
});
