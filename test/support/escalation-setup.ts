// The escalation path's functions as the SlackNotifier configures them: their environments are
// read from a synthesized stack (an escalation policy with contacts, SEV1 escalating twice), so the
// tests run the handlers with exactly what the construct writes; tokens become the test's table
// and ARNs. Plus Slack's side: block_actions payloads and their signatures, as Slack sends them.
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AlertRouting } from '../../lib/constructs/alert-routing';
import { Severity } from '../../lib/core/severity';
import { SlackNotifier } from '../../lib/constructs/slack-notifier';
import { parseEscalationPolicy } from '../../lib/policy/policy';
import { slackSignature } from '../../lib/functions/interactivity/slack-signature';
import { newStack, resourcesOf } from './cdk';
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

export interface FunctionEnvironments {
  readonly notifier: Record<string, string>;
  readonly interactivity: Record<string, string>;
  readonly escalation: Record<string, string>;
  readonly group: string;
}

let synthesized: { notifier: any; interactivity: any; escalation: any } | undefined;

/** The three functions' environments as synthesized, with the table, the escalation function and the scheduler role filled in. */
export function functionEnvironments(table: string, apiUrl: string): FunctionEnvironments {
  if (!synthesized) {
    const stack = newStack();
    const routing = new AlertRouting(stack, 'Routing', { escalationPolicy: parseEscalationPolicy(POLICY_YAML, 'escalation-policy.yaml') });
    new SlackNotifier(stack, 'Slack', {
      routing,
      slackApp: {
        botTokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Token', BOT_TOKEN_ARN),
        channel: 'C0ALERTS',
        severityChannels: [{ severity: Severity.SEV1, channel: 'C0INCIDENTS' }],
        escalation: { signingSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Signing', SIGNING_SECRET_ARN) },
      },
    });
    const fns = resourcesOf(Template.fromStack(stack), 'AWS::Lambda::Function');
    const byId = (prefix: string) => fns.find((f) => f.id.startsWith(prefix))!.props.Environment.Variables;
    synthesized = { notifier: byId('SlackFunction'), interactivity: byId('SlackInteractivityFunction'), escalation: byId('SlackEscalationFunction') };
  }
  const fill = (vars: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(vars).map(([k, v]) => {
    if (typeof v === 'string') return [k, v];
    if (k === 'INCIDENT_TABLE_NAME') return [k, table];
    if (k === 'ESCALATION_FUNCTION_ARN') return [k, ESCALATION_ARN];
    if (k === 'ESCALATION_SCHEDULER_ROLE_ARN') return [k, SCHEDULER_ROLE_ARN];
    throw new Error(`unexpected token in ${k}: ${JSON.stringify(v)}`);
  }).concat([['SLACK_API_URL', apiUrl]]));
  return {
    notifier: fill(synthesized.notifier),
    interactivity: fill(synthesized.interactivity),
    escalation: fill(synthesized.escalation),
    group: synthesized.escalation.ESCALATION_SCHEDULE_GROUP,
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
