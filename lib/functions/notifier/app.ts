// The SlackNotifier's function in Slack app mode: the bot token from Secrets Manager, the Web API,
// the incident table, and one IncidentNotifier per container. Like the webhook mode (./webhook), it
// fails the invocation when a notification was not delivered, so Lambda's retries and the
// on-failure queue keep it.
import { Route } from '../../core/severity';
import { createAppRuntime } from '../shared/app-runtime';
import type { FunctionDeps } from '../shared/deps';
import { HANDLER_ENV } from '../shared/config';
import { ChannelRouting, IncidentNotifier } from './incident-notifier';
import { slackFailure } from '../shared/slack-failure';
import { LambdaContext, deliverEach } from '../shared/runtime';
import { SlackApiError, isTokenError } from '../shared/slack-api';
import { LambdaTimerRequests } from '../shared/timer-request';

// The bundle's entry point exports `handler` and `createHandler` (and types) only: every other
// exported value would be kept in the bundle for nobody.
export type { LambdaContext, LogEntry, SecretSource } from '../shared/runtime';
export type { FunctionDeps } from '../shared/deps';

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
export function createHandler(deps: FunctionDeps = {}) {
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

  return (event: unknown, context?: LambdaContext) => deliverEach(event, context, config.safetyMarginMs, log, redactor,
    async (n, about, _severity, deadline, started) => {
      rt.setRetryContext(about);
      const outcome = await setup().notify(n, deadline);
      if (outcome.kind === 'duplicate') {
        log({ level: 'info', msg: 'duplicate delivery skipped', ...about });
        return 'duplicate';
      }
      log({ level: 'info', msg: 'delivered to slack', ...about, outcome: outcome.kind, ms: Date.now() - started });
      return 'delivered';
    },
    (err) => {
      if (err instanceof SlackApiError && isTokenError(err.slackError)) rt.forgetToken();
      return slackFailure(err);
    });
}

/** The Lambda entry point. */
export const handler = createHandler();
