// The escalation path's functions as the SlackNotifier configures them: the config each function
// gets (an escalation policy with contacts, SEV1 escalating twice), built without the CDK so the
// flow tests stay fast; test/constructs/slack-notifier-escalation.test.ts checks that the construct
// synthesizes exactly these environments. Plus Slack's side: block_actions payloads and their
// signatures, as Slack sends them.
import { buildPolicyPlan } from '../../lib/constructs/private/policy-plan';
import { DEFAULT_POSTMORTEM_SETTINGS } from '../../lib/core/postmortem';
import { FunctionConfig, encodeConfig } from '../../lib/functions/shared/config';
import { slackSignature } from '../../lib/functions/interactivity/slack-signature';
import { escalationsOf } from '../../lib/notification/escalation';
import { parseEscalationPolicy } from '../../lib/policy/policy';
import { StoredMessage } from './slack-web-api-stand-in';

export const POLICY_YAML = `# who is paged, and what happens when nobody answers
contacts:
  primary_oncall:
    slack: "<!subteam^S0PRIMARY>"
  secondary_oncall:
    slack: "<@U0SECOND>"
    sns: arn:aws:sns:eu-west-1:123456789012:secondary-pager
  team_lead:
    slack: "<@U0LEAD>"
    sns: arn:aws:sns:eu-west-1:123456789012:team-lead-sms
severity_routing:
  SEV1:
    page: primary_oncall
    escalate_after: 5m
    then: [secondary_oncall, team_lead]
  SEV2:
    page: primary_oncall
    escalate_after: 15m
    then: secondary_oncall
  SEV3:
    notify: "#alerts"
  SEV4:
    ticket: OPS
`;

export const TOPICS = ['arn:aws:sns:eu-west-1:123456789012:secondary-pager', 'arn:aws:sns:eu-west-1:123456789012:team-lead-sms'];
export const BOT_TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/bot-AbCdEf';
export const SIGNING_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/signing-GhIjKl';
export const ESCALATION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:escalation';
export const SCHEDULER_ROLE_ARN = 'arn:aws:iam::123456789012:role/escalation-scheduler';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TOKEN = 'xoxb-test-token';

export const SCHEDULE_GROUP = 'SlackEscalationSchedules-test';

export interface FunctionEnvironments {
  readonly notifier: Record<string, string>;
  readonly interactivity: Record<string, string>;
  readonly escalation: Record<string, string>;
  /** The handoff function's (a policy with rotations). */
  readonly handoff: Record<string, string>;
  readonly group: string;
}

/**
 * The functions' environments as the construct writes them for a policy (POLICY_YAML unless given;
 * app mode, default channel C0ALERTS, SEV1 in C0INCIDENTS), with the test's table, Slack and
 * escalation function.
 */
export function functionEnvironments(table: string, apiUrl: string, policyText = POLICY_YAML, extra: Partial<FunctionConfig> = {}): FunctionEnvironments {
  const policy = parseEscalationPolicy(policyText, 'escalation-policy.yaml');
  const built = buildPolicyPlan('Default/Slack', policy, { app: true, escalation: true, subscribedTopicArns: [], severityChannels: { SEV1: 'C0INCIDENTS' } });
  const app: FunctionConfig = {
    botTokenSecretArn: BOT_TOKEN_ARN,
    channel: 'C0ALERTS',
    // The construct's severityChannels, then the policy's first notify channel of the others.
    severityChannels: { ...built.incidentChannels, SEV1: 'C0INCIDENTS' },
    postmortem: DEFAULT_POSTMORTEM_SETTINGS,
    reopenWindowMinutes: 60,
    retentionDays: 90,
    leaseSeconds: 75,
    incidentTable: table,
    escalationLines: Object.fromEntries(escalationsOf(policy.routing).map((e) => [e.severity, e.text])),
    contactPlan: built.contacts,
    escalationPlan: built.escalation,
    ...(policy.service ? { service: policy.service } : {}),
    apiUrl,
    ...extra,
  };
  return {
    notifier: encodeConfig({ ...app, escalationFunctionArn: ESCALATION_ARN }),
    interactivity: encodeConfig({ ...app, signingSecretArn: SIGNING_SECRET_ARN, scheduleGroup: SCHEDULE_GROUP, escalationFunctionArn: ESCALATION_ARN }),
    escalation: encodeConfig({ ...app, scheduleGroup: SCHEDULE_GROUP, schedulerRoleArn: SCHEDULER_ROLE_ARN }),
    handoff: encodeConfig({ ...app, escalationPlan: undefined }),
    group: SCHEDULE_GROUP,
  };
}

/** The Acknowledge button of a parent message, if it has one. */
export function acknowledgeButton(parent: StoredMessage): { value: string; action_id: string } | undefined {
  for (const b of parent.blocks ?? []) {
    for (const e of b.elements ?? []) if (e.action_id === 'acknowledge') return e;
  }
  return undefined;
}

/** A block_actions payload as Slack sends it when `user` clicks `actionId` on `parent`. */
export function blockActions(parent: StoredMessage, user: string, actionId = 'acknowledge', value?: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: parent.ts, channel_id: parent.channel, is_ephemeral: false },
    trigger_id: '123.456.abc',
    team: { id: 'T0TEAM', domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: parent.channel, name: 'incidents' },
    message: { type: 'message', ts: parent.ts, text: parent.text, blocks: parent.blocks },
    state: { values: {} },
    response_url: 'https://hooks.slack.com/actions/T0TEAM/1234/abcdefghijkl',
    actions: [{ action_id: actionId, block_id: 'b1', text: { type: 'plain_text', text: 'Acknowledge', emoji: true },
      value: value ?? acknowledgeButton(parent)?.value, type: 'button', action_ts: '1795400460.000100' }],
  };
}

/** The function URL event of a Slack interactivity request: the form body, signed at `timestampS` with `secret`. */
export function signedRequest(payload: unknown, timestampS: number, options: { secret?: string; base64?: boolean; body?: string; signature?: string; headers?: Record<string, string> } = {}) {
  const body = options.body ?? new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const signature = options.signature ?? slackSignature(options.secret ?? SIGNING_SECRET, timestampS, body);
  return {
    version: '2.0',
    rawPath: '/',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestampS),
      'x-slack-signature': signature,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...options.headers,
    },
    requestContext: { http: { method: 'POST', path: '/', sourceIp: '192.0.2.10' } },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: !!options.base64,
  };
}

/** The button `actionId` among a message's buttons, if it has one. */
export function buttonOf(message: StoredMessage, actionId: string): { value: string; action_id: string; url?: string } | undefined {
  for (const b of message.blocks ?? []) {
    for (const e of b.elements ?? []) if (e.action_id === actionId) return e;
  }
  return undefined;
}

/** A view_submission payload as Slack sends it when `user` submits `view` (as opened) with `values` (block_id → the input's value). */
export function viewSubmission(view: any, user: string, values: Record<string, string>): Record<string, unknown> {
  const state: Record<string, Record<string, { type: string; value: string }>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== 'input' || !(block.block_id in values)) continue;
    state[block.block_id] = { [block.element.action_id]: { type: block.element.type, value: values[block.block_id] } };
  }
  return {
    type: 'view_submission',
    team: { id: 'T0TEAM', domain: 'acme' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'deprecated-verification-token',
    trigger_id: '123.789.def',
    view: { id: 'V00000001', team_id: 'T0TEAM', ...view, state: { values: state }, hash: '1795400460.abc', app_id: 'A0APP', bot_id: 'B0STANDIN' },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
