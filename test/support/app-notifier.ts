// The Slack app mode's notifier as a test drives it: one Lambda container per call of
// notifierContainer (its own memory), configured as the construct configures it, posting to the
// Web API stand-in; SNS events of the backlog alarm; Lambda's invoke and async retries.
import { FunctionDeps, LogEntry, createHandler } from '../../lib/functions/notifier/app';
import { alarmMessage } from './slack';
import { SlackWebApiStandIn, StoredMessage } from './slack-web-api-stand-in';

export const FAST = { baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 1000, safetyMarginMs: 100, maxAttempts: 4 };
export const TOKEN = 'xoxb-test-token';
export const PAGE_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:page';
export const NOTIFY_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:notify';

export interface Container {
  handler: ReturnType<typeof createHandler>;
  logs: LogEntry[];
  secretReads: number;
}

/** One Lambda container of the notifier (its own memory), sharing Slack (and the store or table `deps` give) with the others. */
export function notifierContainer(slack: SlackWebApiStandIn, env: Record<string, string> = {}, deps: Partial<FunctionDeps> = {}): Container {
  const c: Container = { logs: [], secretReads: 0, handler: undefined as never };
  c.handler = createHandler({
    env: {
      SLACK_BOT_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/bot',
      SLACK_CHANNEL: 'C0ALERTS',
      INCIDENT_TABLE_NAME: 'incidents',
      SLACK_API_URL: slack.url,
      ...env,
    },
    secrets: { getSecretString: async () => { c.secretReads++; return JSON.stringify({ botToken: TOKEN }); } },
    delivery: FAST,
    log: (e) => c.logs.push(e),
    ...deps,
  });
  return c;
}

export const context = (ms = 8000) => ({ getRemainingTimeInMillis: () => ms, awsRequestId: 'req' });

let seq = 0;
/** An SNS event for a state change of the backlog alarm at `time`. */
export function event(state: string, time: string, over: { messageId?: string; topic?: string; message?: Record<string, unknown> } = {}) {
  const old = state === 'ALARM' ? 'OK' : 'ALARM';
  const message = alarmMessage({ NewStateValue: state, OldStateValue: old, StateChangeTime: time, NewStateReason: `Went to ${state} at ${time}`, ...over.message });
  return { Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', MessageId: over.messageId ?? `m-${++seq}`, TopicArn: over.topic ?? PAGE_TOPIC, Message: JSON.stringify(message) } }] };
}

export async function invoke(c: Container, e: unknown) {
  try {
    return { result: await c.handler(e, context()), error: undefined as Error | undefined };
  } catch (error) {
    return { result: undefined, error: error as Error };
  }
}

/** Lambda's async invoke: a failed invocation is retried (up to `retries` times). */
export async function deliver(c: Container, e: unknown, retries = 4) {
  for (let i = 0; ; i++) {
    const out = await invoke(c, e);
    if (!out.error || i >= retries) return out;
  }
}

export const header = (m: StoredMessage) => m.blocks?.[0]?.text?.text as string;
export const allText = (m: StoredMessage) => JSON.stringify(m.blocks);
export const T0 = '2026-11-23T02:14:00.000+0000';

export function expectNoSecret(logs: LogEntry[]) {
  expect(JSON.stringify(logs)).not.toContain(TOKEN);
}
