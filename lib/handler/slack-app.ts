// The SlackNotifier's function in Slack app mode: the bot token from Secrets Manager, the Web API,
// the incident table, and one IncidentNotifier per container. Like the webhook mode, it fails the
// invocation when a notification was not delivered, so Lambda's retries and the on-failure queue
// keep it.
import { notificationsFromEvent } from '../notification/sns-message';
import { parseAlarmContract } from '../core/contract';
import { Route } from '../core/severity';
import { shorten } from '../core/text';
import { DEFAULT_DELIVERY, DeliveryConfig, DeliveryEvent } from './delivery';
import type { HandlerDeps } from './index';
import { HANDLER_ENV, escalationsFromEnv, mentionsFromEnv, numberFromEnv } from './env';
import { ChannelRouting, IncidentNotifier, slackFailure } from './incident-notifier';
import { DEFAULT_INCIDENT_POLICY, DynamoDbIncidentStore, IncidentPolicy } from './incidents';
import { Redactor } from './redact';
import { LambdaContext, LogEntry, SecretsManagerSource, defaultLog, describeNotification } from './runtime';
import { SlackApiError, SlackWebApi, botTokenFromSecret, isTokenError } from './slack-api';
import { DEFAULT_POSTMORTEM_DUE_HOURS } from '../notification/incident-message';

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

/** The incident policy from the environment (defaults where unset). */
export function policyFromEnv(env: Env): IncidentPolicy {
  return {
    ...DEFAULT_INCIDENT_POLICY,
    reopenWindowMs: numberFromEnv(env, HANDLER_ENV.reopenWindowMinutes, DEFAULT_INCIDENT_POLICY.reopenWindowMs / 60_000) * 60_000,
    retentionMs: numberFromEnv(env, HANDLER_ENV.retentionDays, DEFAULT_INCIDENT_POLICY.retentionMs / 86400_000) * 86400_000,
    leaseMs: numberFromEnv(env, HANDLER_ENV.leaseSeconds, DEFAULT_INCIDENT_POLICY.leaseMs / 1000) * 1000,
  };
}

/** Builds the app-mode Lambda handler. */
export function createSlackAppHandler(deps: SlackAppDeps = {}) {
  const env = deps.env ?? process.env;
  const redactor = new Redactor();
  const rawLog = deps.log ?? defaultLog;
  // Whatever a field holds (Slack's answer, an error, alarm text), no secret reaches the log.
  const log = (entry: LogEntry) => rawLog(redactor.redactValue(entry));
  const secrets = deps.secrets ?? new SecretsManagerSource();
  const config: DeliveryConfig = { ...DEFAULT_DELIVERY, ...deps.delivery };
  const tokenArn = env[HANDLER_ENV.botTokenSecretArn];
  // Per container: the token is read once, and again after Slack says it is wrong (rotated, reinstalled).
  let token: Promise<string> | undefined;
  const readToken = (): Promise<string> => {
    if (!token) {
      if (!tokenArn) return Promise.reject(new Error(`${HANDLER_ENV.botTokenSecretArn} is not set`));
      token = secrets.getSecretString(tokenArn).then((value) => {
        redactor.addSecret(value.trim());
        const found = botTokenFromSecret(value);
        redactor.addSecret(found);
        return found;
      }).catch((err) => {
        token = undefined;
        throw new Error(`bot token unavailable: ${(err as Error)?.message ?? String(err)}`);
      });
    }
    return token;
  };
  const tableName = env[HANDLER_ENV.incidentTable];
  const store = deps.store ?? (tableName ? new DynamoDbIncidentStore(tableName) : undefined);
  let retryContext: Record<string, unknown> = {};
  const chat = new SlackWebApi({
    fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
    token: readToken,
    delivery: config,
    apiUrl: env[HANDLER_ENV.apiUrl],
    redactor,
    onRetry: (method: string, e: DeliveryEvent) => log({ level: 'warn', msg: 'slack attempt failed, retrying', method, ...retryContext, ...e }),
  });
  let notifier: IncidentNotifier | undefined;
  const setup = (): IncidentNotifier => {
    if (!store) throw new Error(`${HANDLER_ENV.incidentTable} is not set`);
    notifier ??= new IncidentNotifier({
      chat,
      store,
      channels: channelsFromEnv(env),
      policy: policyFromEnv(env),
      messages: {
        mentions: mentionsFromEnv(env),
        escalations: escalationsFromEnv(env),
        postmortemDueHours: numberFromEnv(env, HANDLER_ENV.postmortemDueHours, DEFAULT_POSTMORTEM_DUE_HOURS),
      },
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
        retryContext = about;
        const outcome = await setup().notify(n, deadline);
        if (outcome.kind === 'duplicate') {
          duplicates++;
          log({ level: 'info', msg: 'duplicate delivery skipped', ...about });
        } else {
          delivered++;
          log({ level: 'info', msg: 'delivered to slack', ...about, outcome: outcome.kind, ms: Date.now() - started });
        }
      } catch (err) {
        if (err instanceof SlackApiError && isTokenError(err.slackError)) token = undefined;
        failures.push(String(about.messageId ?? about.alarmName ?? 'a notification'));
        log({ level: 'error', msg: 'not delivered to slack', ...about, ...slackFailure(err) });
      }
    }
    if (failures.length > 0) {
      const listed = failures.slice(0, 20).map((f) => shorten(f, 100)).join(', ') + (failures.length > 20 ? `, and ${failures.length - 20} more` : '');
      // The error goes to Lambda's log and into the on-failure record: redacted like the log.
      throw new Error(redactor.redact(`${failures.length} of ${notifications.length} notification(s) not delivered to Slack ` +
        `(${listed}); failing the invocation so Lambda retries it and the on-failure queue keeps it`));
    }
    return { delivered, duplicates };
  };
}
