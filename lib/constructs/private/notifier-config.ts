// What the SlackNotifier tells its functions, built from its props and checked at synth: the typed
// config (lib/functions/shared/config.ts) for webhook or Slack app mode, the mentions and the
// escalation lines a message carries, and the secrets the functions read. Every problem names the
// prop and the construct path.
import { Duration, Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Route, Severity } from '../../core/severity';
import { BySeverity, FunctionConfig, RouteName } from '../../functions/shared/config';
import { escalationsOf } from '../../notification/escalation';
import { SeverityMention, isSlackMention } from '../../notification/slack-message';
import { EscalationPolicy } from '../../policy/policy';
import { AlertRouting, IAlertRouting } from '../alert-routing';
import type { SeverityWebhook, SlackAppProps } from '../slack-notifier';

/** A config and the secrets its function reads (each granted to the function's role). */
export interface BuiltConfig {
  readonly config: FunctionConfig;
  readonly secrets: secretsmanager.ISecret[];
}

/** A secret prop: given, and naming a secret (an empty name would grant `secret:-??????` and fail only at run time). */
export function requireSecret(where: string, prop: string, secret: secretsmanager.ISecret | undefined): secretsmanager.ISecret {
  if (!secret || typeof secret !== 'object' || typeof secret.secretArn !== 'string') {
    throw new Error(`SlackNotifier '${where}': ${prop} is required: a Secrets Manager secret, e.g. secretsmanager.Secret.fromSecretNameV2(this, 'SlackSecret', 'slack/…')`);
  }
  const name = Token.isUnresolved(secret.secretName) ? undefined : secret.secretName;
  if (name !== undefined && name.trim() === '') {
    throw new Error(`SlackNotifier '${where}': ${prop} names no secret (its name is empty); give the secret's name or complete ARN`);
  }
  return secret;
}

/** Webhook mode: the secret ARNs by severity. */
export function webhookConfig(where: string, webhookSecret: secretsmanager.ISecret, severityWebhooks: readonly SeverityWebhook[]): BuiltConfig {
  const secret = requireSecret(where, 'webhookSecret', webhookSecret);
  const bySeverity: BySeverity<string> = {};
  const secrets = [secret];
  for (const w of severityWebhooks) {
    if (bySeverity[w.severity]) throw new Error(`SlackNotifier '${where}': two severityWebhooks for ${w.severity}`);
    const s = requireSecret(where, `severityWebhooks (${w.severity}).secret`, w.secret);
    bySeverity[w.severity] = s.secretArn;
    secrets.push(s);
  }
  return { config: { webhookSecretArn: secret.secretArn, ...(severityWebhooks.length ? { severityWebhookSecretArns: bySeverity } : {}) }, secrets };
}

/** A channel ID (`C0123ABCD`) or `#name`, checked at synth. */
function channelId(where: string, channel: string, what: string): string {
  if (Token.isUnresolved(channel)) return channel;
  if (!/^(?:[CGD][A-Z0-9]{6,}|#[a-z0-9][a-z0-9._-]{0,79})$/.test(channel ?? '')) {
    throw new Error(`SlackNotifier '${where}': ${what} "${channel}" is not a Slack channel ID (C0123ABCD, from the channel's details) or #name`);
  }
  return channel;
}

/** A duration in whole units, at least 1. */
function whole(where: string, d: Duration | undefined, dflt: number, unit: 'hours' | 'minutes' | 'days', what: string): number {
  const v = d ? (unit === 'hours' ? d.toHours({ integral: false }) : unit === 'minutes' ? d.toMinutes({ integral: false }) : d.toDays({ integral: false })) : dflt;
  if (!Number.isInteger(v) || v < 1) throw new Error(`SlackNotifier '${where}': ${what} must be whole ${unit}, at least 1 (got ${v}${unit === 'hours' ? ' h' : ''})`);
  return v;
}

/** The topic a route's notifications come through. */
function routeTopicArn(where: string, routing: IAlertRouting | undefined, route: Route): string {
  if (routing && AlertRouting.isAlertRouting(routing)) return routing.topicFor(route).topicArn;
  if (routing && route === Route.PAGE) return routing.pageTopic.topicArn;
  throw new Error(`SlackNotifier '${where}': routeChannels (${route}) needs the notifier's routing to be an AlertRouting ` +
    '(it knows which topic is which route); use severityChannels otherwise');
}

/** Slack app mode: the token secret, the channels (by severity, and by route through its topic's ARN) and the incident policy. */
export function slackAppConfig(where: string, app: SlackAppProps, routing: IAlertRouting | undefined, timeout: Duration): BuiltConfig {
  const token = requireSecret(where, 'slackApp.botTokenSecret', app.botTokenSecret);
  if (typeof app.channel !== 'string') throw new Error(`SlackNotifier '${where}': slackApp.channel is required: a channel ID (C0123ABCD) or #name the app is in`);
  const severityChannels: BySeverity<string> = {};
  for (const c of app.severityChannels ?? []) {
    if (severityChannels[c.severity]) throw new Error(`SlackNotifier '${where}': two severityChannels for ${c.severity}`);
    severityChannels[c.severity] = channelId(where, c.channel, `severityChannels (${c.severity})`);
  }
  const routeChannels: Partial<Record<RouteName, string>> = {};
  const routeTopics: Partial<Record<RouteName, string>> = {};
  for (const c of app.routeChannels ?? []) {
    const name = c.route.toUpperCase() as RouteName;
    if (routeChannels[name]) throw new Error(`SlackNotifier '${where}': two routeChannels for ${c.route}`);
    routeChannels[name] = channelId(where, c.channel, `routeChannels (${c.route})`);
    routeTopics[name] = routeTopicArn(where, routing, c.route);
  }
  if (app.apiUrl !== undefined && !/^https:\/\/[^/\s]+\/\S*$/.test(app.apiUrl)) {
    throw new Error(`SlackNotifier '${where}': apiUrl must be an https URL such as https://slack-gov.com/api/ (got "${app.apiUrl}")`);
  }
  const config: FunctionConfig = {
    botTokenSecretArn: token.secretArn,
    channel: channelId(where, app.channel, 'channel'),
    ...(Object.keys(severityChannels).length ? { severityChannels } : {}),
    ...(Object.keys(routeChannels).length ? { routeChannels, routeTopics } : {}),
    postmortemDueHours: whole(where, app.postmortemDue, 48, 'hours', 'postmortemDue'),
    reopenWindowMinutes: whole(where, app.reopenWindow, 60, 'minutes', 'reopenWindow'),
    retentionDays: whole(where, app.incidentRetention, 90, 'days', 'incidentRetention'),
    // A container holds a state change for its whole run: the function timeout, and some.
    leaseSeconds: timeout.toSeconds() + 15,
    ...(app.apiUrl !== undefined ? { apiUrl: app.apiUrl } : {}),
  };
  return { config, secrets: [token] };
}

/**
 * What every message carries: the mentions per severity (the `mentions` prop, then the paged
 * contacts' own, each once) and the escalation policy's line per severity.
 */
export function messageConfig(where: string, mentions: readonly SeverityMention[], pageMentions: readonly SeverityMention[],
  policy: EscalationPolicy | undefined): FunctionConfig {
  const bySeverity: BySeverity<string[]> = {};
  for (const m of mentions) {
    if (!isSlackMention(m.mention)) {
      throw new Error(`SlackNotifier '${where}': mention "${m.mention}" for ${m.severity} is not a Slack mention; ` +
        'use <!subteam^S0123ABCD> (user group), <@U0123ABCD> (user), <!here> or <!channel>');
    }
    (bySeverity[m.severity] ??= []).push(m.mention);
  }
  for (const m of pageMentions) {
    const list = (bySeverity[m.severity] ??= []);
    if (!list.includes(m.mention)) list.push(m.mention);
  }
  const escalationLines: BySeverity<string> = {};
  for (const e of escalationsOf(policy?.routing ?? [])) escalationLines[e.severity as Severity] = e.text;
  return {
    ...(Object.keys(bySeverity).length ? { mentions: bySeverity } : {}),
    ...(Object.keys(escalationLines).length ? { escalationLines } : {}),
  };
}
