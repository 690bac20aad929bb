// The one configuration between the SlackNotifier construct and its functions: the construct
// encodes it into each function's environment (encodeConfig), each function decodes it once per
// container (decodeConfig). Every variable is declared once, in a section's FIELDS. It holds secret ARNs,
// channels, mentions and topic ARNs, never a secret. No CDK: both sides import it.
import type { PostmortemSettings } from '../../core/postmortem';
import { SEVERITIES, Severity } from '../../core/severity';
import { SeverityEscalation, SeverityMention, isSlackMention } from '../../notification/slack-message';
import type { EscalationPlan } from './escalation-plan';
import { ContactPlan, isContactPlan } from './contacts';

/** A value per severity (`SEV1`…`SEV4`), each optional. */
export type BySeverity<T> = Partial<Record<Severity, T>>;

/** The routes a notifier's topics can be (AlertRouting's page, notify and ticket topics). */
export const ROUTE_NAMES = ['PAGE', 'NOTIFY', 'TICKET'] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

/** What the construct tells a function. Unset fields are unset variables. */
export interface FunctionConfig {
  // Webhook mode.
  /** The secret holding the default incoming-webhook URL. */
  readonly webhookSecretArn?: string;
  /** Secrets holding other webhooks, per severity. */
  readonly severityWebhookSecretArns?: BySeverity<string>;

  // Both modes: what a message says.
  /** Mentions added when an alarm of a severity fires (`<!subteam^S0123>`, `<@U0123>`). */
  readonly mentions?: BySeverity<string[]>;
  /** The escalation policy's line per severity (`pages …; unacknowledged after 5 min → …`). */
  readonly escalationLines?: BySeverity<string>;
  /** The policy's `service`: named in messages, pages and metrics. */
  readonly service?: string;
  /** Who the policy tells when an alarm opens, and how each contact is reached (rotations resolved at the moment). */
  readonly contactPlan?: ContactPlan;

  // Slack app mode.
  /** The secret holding the bot token (xoxb-…). */
  readonly botTokenSecretArn?: string;
  /** The channel (ID) for notifications no other channel takes. */
  readonly channel?: string;
  /** A channel per severity. */
  readonly severityChannels?: BySeverity<string>;
  /** A channel per route, for notifications from that route's topic (routeTopics). */
  readonly routeChannels?: Partial<Record<RouteName, string>>;
  /** The routes' topic ARNs. */
  readonly routeTopics?: Partial<Record<RouteName, string>>;
  /** The incident table's name. */
  readonly incidentTable?: string;
  /** Which incidents need a postmortem, and by when (the policy's `postmortem:` section). Unset: the guide's defaults. */
  readonly postmortem?: PostmortemSettings;
  /** An ALARM this many minutes after a resolution reopens the incident. */
  readonly reopenWindowMinutes?: number;
  /** Days an incident is kept after its last change (TTL). */
  readonly retentionDays?: number;
  /** Seconds a container holds a transition before another may take it over (the function timeout and some). */
  readonly leaseSeconds?: number;
  /** The Slack Web API base URL, when not https://slack.com/api/ (GovSlack). */
  readonly apiUrl?: string;

  // Acknowledgement and escalation (Slack app mode with `escalation`).
  /** Page severities and their levels (the contacts are the contact plan's). */
  readonly escalationPlan?: EscalationPlan;
  /** The escalation function (the notifier asks it to keep timers; timers invoke it). */
  readonly escalationFunctionArn?: string;
  /** CloudWatch namespace of the MTTA and MTTR metrics. */
  readonly metricsNamespace?: string;
  /** The schedule group the escalation timers live in. */
  readonly scheduleGroup?: string;
  /** The role EventBridge Scheduler invokes the escalation function with. */
  readonly schedulerRoleArn?: string;
  /** The secret holding the Slack app's signing secret (the interactivity function). */
  readonly signingSecretArn?: string;
}

/** How a field is written into variables: one variable, or one per severity or route (name + suffix). */
type Kind = 'text' | 'number' | 'plan' | 'postmortem' | 'contacts' | 'severity' | 'severityList' | 'route';
/** A field's declaration: the config field, its variable (or prefix) and its kind. */
type Field = readonly [keyof FunctionConfig, string, Kind];

// Every variable, declared once, in the section that reads it: a function decodes the sections it
// needs, so a bundle carries only their declarations (the webhook notifier's none of the app's).

/** Webhook mode. */
export const WEBHOOK_FIELDS: readonly Field[] = [
  ['webhookSecretArn', 'SLACK_WEBHOOK_SECRET_ARN', 'text'],
  ['severityWebhookSecretArns', 'SLACK_WEBHOOK_SECRET_ARN_', 'severity'],
];
/** What a message says, in both modes. */
export const MESSAGE_FIELDS: readonly Field[] = [
  ['mentions', 'SLACK_MENTION_', 'severityList'],
  ['escalationLines', 'SLACK_ESCALATION_', 'severity'],
  ['service', 'SERVICE_NAME', 'text'],
  ['contactPlan', 'CONTACT_PLAN', 'contacts'],
];
/** Slack app mode, with acknowledgement and escalation. */
export const APP_FIELDS: readonly Field[] = [
  ['botTokenSecretArn', 'SLACK_BOT_TOKEN_SECRET_ARN', 'text'],
  ['channel', 'SLACK_CHANNEL', 'text'],
  ['severityChannels', 'SLACK_CHANNEL_', 'severity'],
  ['routeChannels', 'SLACK_ROUTE_CHANNEL_', 'route'],
  ['routeTopics', 'SLACK_ROUTE_TOPIC_', 'route'],
  ['incidentTable', 'INCIDENT_TABLE_NAME', 'text'],
  ['postmortem', 'POSTMORTEM_POLICY', 'postmortem'],
  ['reopenWindowMinutes', 'INCIDENT_REOPEN_WINDOW_MINUTES', 'number'],
  ['retentionDays', 'INCIDENT_RETENTION_DAYS', 'number'],
  ['leaseSeconds', 'INCIDENT_LEASE_SECONDS', 'number'],
  ['apiUrl', 'SLACK_API_URL', 'text'],
  ['escalationPlan', 'ESCALATION_PLAN', 'plan'],
  ['escalationFunctionArn', 'ESCALATION_FUNCTION_ARN', 'text'],
  ['metricsNamespace', 'INCIDENT_METRICS_NAMESPACE', 'text'],
  ['scheduleGroup', 'ESCALATION_SCHEDULE_GROUP', 'text'],
  ['schedulerRoleArn', 'ESCALATION_SCHEDULER_ROLE_ARN', 'text'],
  ['signingSecretArn', 'SLACK_SIGNING_SECRET_ARN', 'text'],
];

/** The variable (or, for a map, its prefix) a field is written to, from its section: for messages that name it. */
export function variableOf(field: keyof FunctionConfig, fields: readonly Field[]): string {
  return fields.find(([f]) => f === field)![1];
}

/** The incident table the construct creates: one string partition key, `pk`; the TTL attribute is the record's `expiresAt`. */
export const INCIDENT_TABLE = { partitionKey: 'pk', ttlAttribute: 'expiresAt' } as const;

type Env = Record<string, string | undefined>;
type Mutable = Record<string, unknown>;

/** The keys a map field has: the severities or the routes. */
const keysOf = (kind: Kind): readonly string[] => (kind === 'route' ? ROUTE_NAMES : SEVERITIES);

/** The plan as a variable's value (JSON; no secrets: names and minutes). */
export function encodePlan(plan: EscalationPlan): string {
  return JSON.stringify({ severities: plan.severities });
}

/** The contact plan as a variable's value (JSON; no secrets: mentions, topic ARNs, rotations). */
export function encodeContactPlan(plan: ContactPlan): string {
  return JSON.stringify({ severities: plan.severities, contacts: plan.contacts });
}

/** The environment variables of a config (the construct sets exactly these). */
export function encodeConfig(config: FunctionConfig): Record<string, string> {
  const env: Record<string, string> = {};
  // Every section (a function reads the ones it needs).
  for (const [field, name, kind] of [...WEBHOOK_FIELDS, ...MESSAGE_FIELDS, ...APP_FIELDS]) {
    const value = config[field] as unknown;
    if (value === undefined) continue;
    if (kind === 'text') env[name] = value as string;
    else if (kind === 'number') env[name] = String(value);
    else if (kind === 'plan') env[name] = encodePlan(value as EscalationPlan);
    else if (kind === 'postmortem') env[name] = JSON.stringify(value);
    else if (kind === 'contacts') env[name] = encodeContactPlan(value as ContactPlan);
    else {
      for (const key of keysOf(kind)) {
        const v = (value as Record<string, string | string[] | undefined>)[key];
        if (v !== undefined && v.length > 0) env[name + key] = Array.isArray(v) ? v.join(' ') : v;
      }
    }
  }
  return env;
}

/** A plan as the functions need it, or undefined for anything else. */
function planOf(raw: string, kind: 'plan' | 'contacts'): EscalationPlan | ContactPlan | undefined {
  try {
    const p = JSON.parse(raw) as EscalationPlan;
    if (kind === 'contacts') return isContactPlan(p) ? p : undefined;
    if (typeof p?.severities === 'object' && p.severities) return p;
  } catch {
    // not JSON
  }
  return undefined;
}

/**
 * Postmortem settings as the functions need them, or undefined for anything else (the defaults then
 * apply). The construct checked them at synth; a time zone Intl does not know reads as UTC.
 */
function postmortemOf(raw: string): PostmortemSettings | undefined {
  try {
    const p = JSON.parse(raw) as PostmortemSettings;
    const whole = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
    if (Array.isArray(p?.requiredFor) && whole(p.dueBusinessDays) && whole(p.limitBusinessDays) && typeof p.timeZone === 'string' &&
      (p.longerThanMinutes === undefined || whole(p.longerThanMinutes))) return p;
  } catch {
    // not JSON
  }
  return undefined;
}

/**
 * The config a function's environment holds, of the sections given: unset and
 * empty variables are unset fields, as is a number that is not positive. A plan that does not read
 * (the escalation or the contact plan) is unset with `unreadablePlan` set, so the function can say
 * so (pages still go out, to the channel).
 */
export function decodeConfig(env: Env, fields: readonly Field[]): FunctionConfig & { readonly unreadablePlan?: boolean } {
  const config: Mutable = {};
  for (const [field, name, kind] of fields) {
    if (kind === 'text' || kind === 'number' || kind === 'plan' || kind === 'postmortem' || kind === 'contacts') {
      const raw = env[name];
      if (raw === undefined || raw === '') continue;
      if (kind === 'text') config[field] = raw;
      else if (kind === 'number') {
        const n = Number(raw);
        if (Number.isFinite(n) && n > 0) config[field] = n;
      } else if (kind === 'postmortem') {
        const settings = postmortemOf(raw);
        if (settings) config[field] = settings;
      } else {
        const plan = planOf(raw, kind);
        if (plan) config[field] = plan;
        else config.unreadablePlan = true;
      }
      continue;
    }
    const map: Mutable = {};
    for (const key of keysOf(kind)) {
      const raw = env[name + key];
      if (raw === undefined || raw === '') continue;
      map[key] = kind === 'severityList' ? raw.split(/\s+/).filter((m) => m !== '') : raw;
    }
    if (Object.keys(map).length > 0) config[field] = map;
  }
  return config as FunctionConfig;
}

/** The mentions a config holds, as the renderers take them (a malformed one is dropped: the construct refuses them at synth). */
export function mentionsOf(config: FunctionConfig): SeverityMention[] {
  return SEVERITIES.flatMap((severity) => (config.mentions?.[severity] ?? []).filter(isSlackMention).map((mention) => ({ severity, mention })));
}

/** The escalation lines a config holds, as the renderers take them. */
export function escalationLinesOf(config: FunctionConfig): SeverityEscalation[] {
  return SEVERITIES.flatMap((severity) => {
    const text = config.escalationLines?.[severity];
    return text ? [{ severity, text }] : [];
  });
}
