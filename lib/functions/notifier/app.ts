// The SlackNotifier's function in Slack app mode: the bot token from Secrets Manager, the Web API,
// the incident table, and one IncidentNotifier per container. Like the webhook mode (./webhook), it
// fails the invocation when a notification was not delivered, so Lambda's retries and the
// on-failure queue keep it.
import { createAppRuntime } from '../shared/app-runtime';
import { DynamoDbIncidentStore } from '../shared/dynamodb-incident-store';
import type { FunctionDeps } from '../shared/deps';
import { APP_FIELDS, FunctionConfig, ROUTE_NAMES, variableOf } from '../shared/config';
import { ChannelRouting, IncidentNotifier } from './incident-notifier';
import { slackFailure } from '../shared/slack-failure';
import { LambdaContext, deliverEach } from '../shared/runtime';
import { SlackApiError, isTokenError } from '../shared/slack-api';
import { EscalationFunctionRequests } from '../shared/timer-request';
import { SnsPagePublisher } from '../shared/sns-publish';

// The bundle's entry point exports `handler` and `createHandler` (and types) only: every other
// exported value would be kept in the bundle for nobody.
export type { LambdaContext, LogEntry, SecretSource } from '../shared/runtime';
export type { FunctionDeps } from '../shared/deps';

/** The channels the construct configured. */
export function channelsOf(config: FunctionConfig): ChannelRouting {
  const defaultChannel = config.channel;
  if (!defaultChannel) throw new Error(`${variableOf('channel', APP_FIELDS)} is not set`);
  const topicChannels: Record<string, string> = {};
  for (const route of ROUTE_NAMES) {
    const topic = config.routeTopics?.[route];
    const channel = config.routeChannels?.[route];
    if (topic && channel) topicChannels[topic] = channel;
  }
  return { defaultChannel, severityChannels: { ...config.severityChannels }, topicChannels };
}

/** Builds the app-mode Lambda handler. */
export function createHandler(deps: FunctionDeps = {}) {
  const rt = createAppRuntime(deps, (table) => new DynamoDbIncidentStore(table));
  const { log, redactor, store, chat } = rt;
  let notifier: IncidentNotifier | undefined;
  const setup = (): IncidentNotifier => {
    if (!store) throw new Error(`${variableOf('incidentTable', APP_FIELDS)} is not set`);
    notifier ??= new IncidentNotifier({
      chat,
      store,
      channels: channelsOf(rt.config),
      policy: rt.policy,
      now: rt.now,
      escalation: rt.plan ? { plan: rt.plan, timers: deps.timers ?? new EscalationFunctionRequests(rt.config.escalationFunctionArn ?? '') } : undefined,
      metricsNamespace: rt.metricsNamespace,
      contacts: rt.contacts,
      service: rt.config.service,
      publisher: deps.publisher ?? new SnsPagePublisher(),
      messages: rt.messages,
      log,
      dedupeCapacity: deps.dedupeCapacity,
    });
    return notifier;
  };

  return (event: unknown, context?: LambdaContext) => deliverEach(event, context, rt.delivery.safetyMarginMs, log, redactor,
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
