// What the SlackNotifier tells its functions, built from its props and checked at synth: the typed
// config (lib/functions/shared/config.ts) for webhook or Slack app mode, the mentions and the
// escalation lines a message carries, and the secrets the functions read. Every problem names the
// prop and the construct path.
import { Duration, Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { PostmortemSettings, postmortemSettings, postmortemSettingsProblems } from '../../core/postmortem';
import { Route, Severity } from '../../core/severity';
import { BySeverity, FunctionConfig, RouteName } from '../../functions/shared/config';
import { escalationsOf } from '../../notification/escalation';
import { SeverityMention, isSlackMention } from '../../notification/slack-message';
import { EscalationPolicy } from '../../policy/policy';
import { AlertRouting, IAlertRouting } from '../alert-routing';
import type { SeverityWebhook, SlackAppProps, SlackPostmortemProps } from '../slack-notifier';

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

/** The postmortem criteria, checked at synth (each problem names its prop). */
function postmortemConfig(where: string, props: SlackPostmortemProps | undefined, policy: PostmortemSettings | undefined): PostmortemSettings {
  if (policy) {
    // The policy file is what happens: one place says it.
    if (props) throw new Error(`SlackNotifier '${where}': the escalation policy has a postmortem section and slackApp.postmortem is given too; keep one (the policy file's, docs/postmortems.md)`);
    return policy;
  }
  const given: Partial<PostmortemSettings> = {
    ...(props?.requiredFor !== undefined ? { requiredFor: [...props.requiredFor] } : {}),
    ...(props?.longerThan !== undefined ? { longerThanMinutes: whole(where, props.longerThan, 1, 'minutes', 'postmortem.longerThan') } : {}),
    ...(props?.dueBusinessDays !== undefined ? { dueBusinessDays: props.dueBusinessDays } : {}),
    ...(props?.limitBusinessDays !== undefined ? { limitBusinessDays: props.limitBusinessDays } : {}),
    ...(props?.timeZone !== undefined ? { timeZone: props.timeZone } : {}),
  };
  const settings = postmortemSettings(given);
  // A due date past the default limit moves the limit with it, unless a limit is given.
  const complete = props?.limitBusinessDays === undefined && settings.dueBusinessDays > settings.limitBusinessDays ? { ...settings, limitBusinessDays: settings.dueBusinessDays } : settings;
  const names: Record<string, string> = { required_for: 'requiredFor', longer_than: 'longerThan', due: 'dueBusinessDays', limit: 'limitBusinessDays', time_zone: 'timeZone' };
  const problems = postmortemSettingsProblems(complete).map((p) => p.replace(/^(required_for|longer_than|due|limit|time_zone)\b/, (k) => `postmortem.${names[k]}`)
    .replace(/ (due|limit)\b/, (_m, k: string) => ` postmortem.${names[k]}`));
  if (problems.length > 0) throw new Error(`SlackNotifier '${where}': slackApp.${problems.join('; slackApp.')}`);
  return complete;
}

/** The topic a route's notifications come through. */
function routeTopicArn(where: string, routing: IAlertRouting | undefined, route: Route): string {
  if (routing && AlertRouting.isAlertRouting(routing)) return routing.topicFor(route).topicArn;
  if (routing && route === Route.PAGE) return routing.pageTopic.topicArn;
  throw new Error(`SlackNotifier '${where}': routeChannels (${route}) needs the notifier's routing to be an AlertRouting ` +
    '(it knows which topic is which route); use severityChannels otherwise');
}

/**
 * Slack app mode: the token secret, the channels (by severity, and by route through its topic's ARN)
 * and the incident policy. A severity without a channel of its own opens its incidents in the
 * policy's first `notify` channel for it (`policyChannels`), when it has one.
 */
export function slackAppConfig(where: string, app: SlackAppProps, routing: IAlertRouting | undefined, timeout: Duration,
  policyChannels: BySeverity<string> = {}, policyPostmortem?: PostmortemSettings): BuiltConfig {
  const token = requireSecret(where, 'slackApp.botTokenSecret', app.botTokenSecret);
  if (typeof app.channel !== 'string') throw new Error(`SlackNotifier '${where}': slackApp.channel is required: a channel ID (C0123ABCD) or #name the app is in`);
  const severityChannels: BySeverity<string> = {};
  for (const c of app.severityChannels ?? []) {
    if (severityChannels[c.severity]) throw new Error(`SlackNotifier '${where}': two severityChannels for ${c.severity}`);
    severityChannels[c.severity] = channelId(where, c.channel, `severityChannels (${c.severity})`);
  }
  for (const [severity, channel] of Object.entries(policyChannels) as Array<[Severity, string]>) severityChannels[severity] ??= channel;
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
    postmortem: postmortemConfig(where, app.postmortem, policyPostmortem),
    reopenWindowMinutes: whole(where, app.reopenWindow, 60, 'minutes', 'reopenWindow'),
    retentionDays: whole(where, app.incidentRetention, 90, 'days', 'incidentRetention'),
    // A container holds a state change for its whole run: the function timeout, and some.
    leaseSeconds: timeout.toSeconds() + 15,
    ...(app.apiUrl !== undefined ? { apiUrl: app.apiUrl } : {}),
  };
  return { config, secrets: [token] };
}

/**
 * What every message carries: the mentions per severity (the `mentions` prop; the policy's
 * contacts are mentioned through the contact plan, a rotation's on call at the alarm's time), the
 * escalation policy's line per severity and its service.
 */
export function messageConfig(where: string, mentions: readonly SeverityMention[], policy: EscalationPolicy | undefined): FunctionConfig {
  const bySeverity: BySeverity<string[]> = {};
  for (const m of mentions ?? []) {
    if (!m || typeof m !== 'object' || !isSlackMention(m.mention)) {
      throw new Error(`SlackNotifier '${where}': mention "${m?.mention}" for ${m?.severity} is not a Slack mention; ` +
        'use <!subteam^S0123ABCD> (user group), <@U0123ABCD> (user), <!here> or <!channel>');
    }
    (bySeverity[m.severity] ??= []).push(m.mention);
  }
  const escalationLines: BySeverity<string> = {};
  for (const e of escalationsOf(policy?.routing ?? [])) escalationLines[e.severity as Severity] = e.text;
  return {
    ...(Object.keys(bySeverity).length ? { mentions: bySeverity } : {}),
    ...(Object.keys(escalationLines).length ? { escalationLines } : {}),
    ...(policy?.service ? { service: policy.service } : {}),
  };
}
