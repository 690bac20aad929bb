// The SlackNotifier's function in Slack app mode: the bot token from Secrets Manager, the Web API,
// the incident table, and one IncidentNotifier per container. Like the webhook mode, it fails the
// invocation when a notification was not delivered, so Lambda's retries and the on-failure queue
// keep it.
import { notificationsFromEvent } from '../notification/sns-message';
import { parseAlarmContract } from '../core/contract';
import { Route } from '../core/severity';
import { createAppRuntime } from './app-runtime';
import type { HandlerDeps } from './index';
import { HANDLER_ENV } from './env';
import { ChannelRouting, IncidentNotifier, slackFailure } from './incident-notifier';
import { LambdaContext, describeNotification, notDelivered } from './runtime';
import { SlackApiError, isTokenError } from './slack-api';
import { LambdaTimerRequests } from './timer-request';

/** What the app-mode handler can be given: the handler's dependencies (index.ts), `store` among them. */
export type SlackAppDeps = HandlerDeps;

type Env = Record<string, string | undefined>;

/** The channels from the environment the construct wrote. */
export function channelsFromEnv(env: Env): ChannelRouting {
  const defaultChannel = env[HANDLER_ENV.channel];
  if (!defaultChannel) throw new Error(`${HANDLER_ENV.channel} is not set`);
  const severityChannels: Record<string, string> = {};
  for (const sev of ['SEV1', 'SEV2', 'SEV3', 'SEV4']) {
    const c = env[`${HANDLER_ENV.severityChannelPrefix}${sev}`];
    if (c) severityChannels[sev] = c;
  }
  const topicChannels: Record<string, string> = {};
  for (const route of [Route.PAGE, Route.NOTIFY, Route.TICKET]) {
    const topic = env[`${HANDLER_ENV.routeTopicPrefix}${route.toUpperCase()}`];
    const channel = env[`${HANDLER_ENV.routeChannelPrefix}${route.toUpperCase()}`];
    if (topic && channel) topicChannels[topic] = channel;
  }
  return { defaultChannel, severityChannels, topicChannels };
}

/** Builds the app-mode Lambda handler. */
export function createSlackAppHandler(deps: SlackAppDeps = {}) {
  const rt = createAppRuntime(deps);
  const { env, log, redactor, store, chat } = rt;
  const config = rt.delivery;
  let notifier: IncidentNotifier | undefined;
  const setup = (): IncidentNotifier => {
    if (!store) throw new Error(`${HANDLER_ENV.incidentTable} is not set`);
    notifier ??= new IncidentNotifier({
      chat,
      store,
      channels: channelsFromEnv(env),
      policy: rt.policy,
      now: rt.now,
      escalation: rt.plan ? { plan: rt.plan, timers: deps.timers ?? new LambdaTimerRequests(env[HANDLER_ENV.escalationFunctionArn] ?? '') } : undefined,
      metricsNamespace: rt.metricsNamespace,
      messages: rt.messages,
      log,
      dedupeCapacity: deps.dedupeCapacity,
    });
    return notifier;
  };

  return async function handler(event: unknown, context?: LambdaContext): Promise<{ delivered: number; duplicates: number }> {
    const started = Date.now();
    const budget = context ? context.getRemainingTimeInMillis() : 30_000;
    const deadline = started + budget - config.safetyMarginMs;
    const notifications = notificationsFromEvent(event);
    let delivered = 0;
    let duplicates = 0;
    const failures: string[] = [];
    // One record at a time, each in its own try: whatever one does, the next is still delivered.
    for (const n of notifications) {
      let about: Record<string, unknown> = { requestId: context?.awsRequestId };
      try {
        about = describeNotification(n, parseAlarmContract(n.alarmDescription).severity, context?.awsRequestId);
        rt.setRetryContext(about);
        const outcome = await setup().notify(n, deadline);
        if (outcome.kind === 'duplicate') {
          duplicates++;
          log({ level: 'info', msg: 'duplicate delivery skipped', ...about });
        } else {
          delivered++;
          log({ level: 'info', msg: 'delivered to slack', ...about, outcome: outcome.kind, ms: Date.now() - started });
        }
      } catch (err) {
        if (err instanceof SlackApiError && isTokenError(err.slackError)) rt.forgetToken();
        failures.push(String(about.messageId ?? about.alarmName ?? 'a notification'));
        log({ level: 'error', msg: 'not delivered to slack', ...about, ...slackFailure(err) });
      }
    }
    if (failures.length > 0) throw notDelivered(failures, notifications.length, redactor);
    return { delivered, duplicates };
  };
}
