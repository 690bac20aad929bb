// The handler's configuration contract with the SlackNotifier construct, and its readers. No CDK:
// both sides import it.
import { SEVERITIES } from '../../core/severity';
import { SeverityEscalation, SeverityMention, isSlackMention } from '../../notification/slack-message';

/** Environment variables the construct sets. They hold secret ARNs and mentions, never the webhook URL. */
export const HANDLER_ENV = {
  /** ARN of the secret holding the default webhook URL. */
  webhookSecretArn: 'SLACK_WEBHOOK_SECRET_ARN',
  /** Prefix of per-severity secret ARNs: `SLACK_WEBHOOK_SECRET_ARN_SEV1`. */
  severitySecretArnPrefix: 'SLACK_WEBHOOK_SECRET_ARN_',
  /** Prefix of per-severity mentions: `SLACK_MENTION_SEV1=<!subteam^S0123>`. */
  mentionPrefix: 'SLACK_MENTION_',
  /** Prefix of per-severity escalation lines from the escalation policy: `SLACK_ESCALATION_SEV1`. */
  escalationPrefix: 'SLACK_ESCALATION_',

  // Slack app mode (bot token, threads, incidents). Set: the function runs in this mode.
  /** ARN of the secret holding the bot token (xoxb-…). */
  botTokenSecretArn: 'SLACK_BOT_TOKEN_SECRET_ARN',
  /** The channel (ID) for notifications no other channel takes. */
  channel: 'SLACK_CHANNEL',
  /** Prefix of per-severity channels: `SLACK_CHANNEL_SEV1=C0123`. */
  severityChannelPrefix: 'SLACK_CHANNEL_',
  /** Prefix of per-route channels: `SLACK_ROUTE_CHANNEL_PAGE=C0123`, for notifications from that route's topic. */
  routeChannelPrefix: 'SLACK_ROUTE_CHANNEL_',
  /** Prefix of the routes' topic ARNs: `SLACK_ROUTE_TOPIC_PAGE=arn:aws:sns:…`. */
  routeTopicPrefix: 'SLACK_ROUTE_TOPIC_',
  /** The incident table's name. */
  incidentTable: 'INCIDENT_TABLE_NAME',
  /** Hours after a SEV1/SEV2 resolution that its postmortem is due. */
  postmortemDueHours: 'SLACK_POSTMORTEM_DUE_HOURS',
  /** An ALARM this many minutes after a resolution reopens the incident. */
  reopenWindowMinutes: 'INCIDENT_REOPEN_WINDOW_MINUTES',
  /** Days an incident is kept after its last change (TTL). */
  retentionDays: 'INCIDENT_RETENTION_DAYS',
  /** Seconds a container holds a transition before another may take it over (the function timeout and some). */
  leaseSeconds: 'INCIDENT_LEASE_SECONDS',
  /** The Slack Web API base URL, when not https://slack.com/api/ (GovSlack). */
  apiUrl: 'SLACK_API_URL',

  // Acknowledgement and escalation (Slack app mode with `escalation`). Set: pages get an Acknowledge button and escalate.
  /** The escalation plan (JSON): page severities, their levels and the contacts' mentions and topic ARNs. */
  escalationPlan: 'ESCALATION_PLAN',
  /** The escalation function (the notifier asks it to keep timers; the escalation function uses its own ARN from the context). */
  escalationFunctionArn: 'ESCALATION_FUNCTION_ARN',
  /** CloudWatch namespace of the MTTA and MTTR metrics. */
  metricsNamespace: 'INCIDENT_METRICS_NAMESPACE',
} as const;

/** What only the interactivity and escalation functions read (apart, so the notifier's bundle does not carry it). */
export const TIMER_ENV = {
  /** The schedule group the escalation timers live in. */
  scheduleGroup: 'ESCALATION_SCHEDULE_GROUP',
  /** The role EventBridge Scheduler invokes the escalation function with. */
  schedulerRoleArn: 'ESCALATION_SCHEDULER_ROLE_ARN',
  /** ARN of the secret holding the Slack app's signing secret (the interactivity function). */
  signingSecretArn: 'SLACK_SIGNING_SECRET_ARN',
} as const;

/** The incident table the construct creates: one string partition key, `pk`; the TTL attribute is `expiresAt`. */
export const INCIDENT_TABLE = { partitionKey: 'pk', ttlAttribute: 'expiresAt' } as const;

type Env = Record<string, string | undefined>;

/** The per-severity mentions (malformed ones are ignored: the construct refuses them at synth). */
export function mentionsFromEnv(env: Env): SeverityMention[] {
  return SEVERITIES.flatMap((severity) => {
    const raw = env[`${HANDLER_ENV.mentionPrefix}${severity}`];
    return (raw ?? '').split(/\s+/).filter(isSlackMention).map((mention) => ({ severity, mention }));
  });
}

/** The per-severity escalation lines. */
export function escalationsFromEnv(env: Env): SeverityEscalation[] {
  return SEVERITIES.flatMap((severity) => {
    const text = env[`${HANDLER_ENV.escalationPrefix}${severity}`];
    return text ? [{ severity, text }] : [];
  });
}

/** A positive number from the environment, or the default. */
export function numberFromEnv(env: Env, name: string, dflt: number): number {
  const v = Number(env[name]);
  return env[name] !== undefined && env[name] !== '' && Number.isFinite(v) && v > 0 ? v : dflt;
}
