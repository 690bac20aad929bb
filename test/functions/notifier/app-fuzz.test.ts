// Property, Slack app mode with escalation, real parts: whatever the function is invoked with
// (hostile SNS events, and sequences of hostile state changes of one alarm, prototype names as
// topics and states among them), every notification reaches the Web API stand-in as a message
// within Block Kit's limits with no live mention, link or lone surrogate, in a thread of its one
// incident; or the invocation fails, so Lambda keeps it. dynalite is the incident table.
import fc from 'fast-check';
import { LogEntry, createHandler } from '../../../lib/functions/notifier/app';
import { hostileAlarm, hostileEvent } from '../../support/hostile';
import { messageViolations } from '../../support/slack';
import { Dynalite, awsEnvironment, createIncidentTable, startDynalite } from '../../support/dynalite';
import { SlackWebApiStandIn, startSlackWebApi } from '../../support/slack-web-api-stand-in';

const MENTION = '<!subteam^S0INCIDENT>';
const CONTACT = '<@U0SECOND>';
const TOKEN = 'xoxb-fuzz-FUZZfuzzFUZZ';
const ARN = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Fuzz';
const PLAN = JSON.stringify({ severities: { SEV1: { afterMinutes: 5, levels: ['second'] }, SEV2: { afterMinutes: 15, levels: [] } }, contacts: { second: { mention: CONTACT } } });

let dynamo: Dynalite;
let slack: SlackWebApiStandIn;
const saved = { ...process.env };
beforeAll(async () => {
  dynamo = await startDynalite();
  slack = await startSlackWebApi({ tokens: [TOKEN], channels: [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }] });
  Object.assign(process.env, awsEnvironment(dynamo.endpoint));
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([slack.close(), dynamo.close()]);
});

/** One alarm's hostile state changes, in any order, through any topic (`constructor` among them). */
const changes = fc.array(fc.tuple(hostileAlarm, fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA', 'constructor', '__proto__'), fc.integer({ min: 0, max: 50 }),
  fc.constantFrom('SEV1', 'SEV2', 'SEV3', 'sev 9'), fc.constantFrom('arn:aws:sns:eu-west-1:123456789012:page', 'constructor', '__proto__')), { minLength: 1, maxLength: 6 })
  .map((xs) => ({
    oneAlarm: true,
    event: {
      Records: xs.map(([m, state, minute, sev, topic], i) => ({
        EventSource: 'aws:sns',
        Sns: { MessageId: `change-${i}`, TopicArn: topic, Message: JSON.stringify({
          ...m, AlarmArn: ARN, NewStateValue: state, StateChangeTime: new Date(Date.UTC(2026, 10, 23) + minute * 60_000).toISOString().replace('Z', '+0000'),
          AlarmDescription: `${typeof m.AlarmDescription === 'string' ? m.AlarmDescription.slice(0, 500) : ''}\nSeverity: ${sev}\nRunbook: https://example.com/rb`,
        }) },
      })),
    },
  }));

test('every notification is posted within Block Kit limits and inert, in its incident, or the invocation fails (property, app mode)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(hostileEvent, changes), async (drawn) => {
      const { event } = drawn;
      const logs: LogEntry[] = [];
      // A fresh table and container per case: no case is a duplicate of another.
      const table = await createIncidentTable(dynamo.endpoint);
      const handler = createHandler({
        env: {
          SLACK_BOT_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:bot', SLACK_CHANNEL: 'C0ALERTS', SLACK_CHANNEL_SEV1: 'C0INCIDENTS',
          SLACK_ROUTE_TOPIC_PAGE: 'arn:aws:sns:eu-west-1:123456789012:page', SLACK_ROUTE_CHANNEL_PAGE: 'C0INCIDENTS',
          INCIDENT_TABLE_NAME: table, SLACK_API_URL: slack.url, SLACK_MENTION_SEV1: MENTION, ESCALATION_PLAN: PLAN,
        },
        secrets: { getSecretString: async () => TOKEN },
        delivery: { maxAttempts: 1, attemptTimeoutMs: 5000 },
        timers: { request: async () => undefined },
        log: (e) => logs.push(e),
      });
      slack.reset();
      let failed: Error | undefined;
      try {
        await handler(event, { getRemainingTimeInMillis: () => 30_000 });
      } catch (err) {
        failed = err as Error;
      }
      const posted = slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
      for (const c of posted) expect(messageViolations(c.body, [MENTION, CONTACT])).toEqual([]);
      expect(JSON.stringify(slack.calls.map((c) => c.body))).not.toMatch(/\[native code\]|\[object Object\]/);
      // Every call was answered ok (channels routed to ones that exist), and no invocation failed.
      expect(slack.calls.filter((c) => c.answer?.ok !== true)).toEqual([]);
      expect(failed).toBeUndefined();
      // One alarm, one incident: its changes, all within the reopen window, open at most one thread.
      if ('oneAlarm' in drawn) {
        expect(slack.parents('C0INCIDENTS').length + slack.parents('C0ALERTS').length).toBeLessThanOrEqual(1);
      }
      expect(JSON.stringify(logs)).not.toContain('FUZZfuzz');
    }),
    { numRuns: 60 },
  );
});
