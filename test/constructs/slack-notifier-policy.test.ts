// Every word of the policy in the synthesized template: the guide's policy, completed as a team
// completes it, behind a SlackNotifier in Slack app mode with escalation. Who may publish to which
// topic, which function is told which contacts, where each severity's incidents open, the handoff
// schedule of the rotation; and cdk-nag on all of it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as snsLib from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlertRouting } from '../../lib/constructs/alert-routing';
import { SlackNotifier } from '../../lib/constructs/slack-notifier';
import { compileRotation } from '../../lib/core/rotation';
import { parseEscalationPolicy } from '../../lib/policy/policy';
import { newStack, resourcesOf, synthCapturing } from '../support/cdk';
import { CAROL_PAGER, SECONDARY_PAGER, STATUS_PAGE, completedGuidePolicy } from '../support/guide-policy';

const TOKEN_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:slack/bot-XyZ123';
const SIGNING_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:slack/signing-AbC456';

function build(policyText: string, stack: Stack = newStack()) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'escalation-policy.yaml');
  fs.writeFileSync(file, policyText);
  const routing = AlertRouting.fromFile(stack, 'Routing', file);
  const notifier = new SlackNotifier(stack, 'Slack', {
    routing,
    slackApp: {
      botTokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Bot', TOKEN_ARN),
      channel: 'C0PAYMENTS',
      escalation: { signingSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Signing', SIGNING_ARN) },
    },
  });
  return { stack, notifier, file, get template() { return Template.fromStack(stack); } };
}

const fnEnv = (t: Template, prefix: string) => resourcesOf(t, 'AWS::Lambda::Function').find((f) => f.id.startsWith(prefix))!.props.Environment.Variables;
const statementsOf = (t: Template, rolePrefix: string) =>
  resourcesOf(t, 'AWS::IAM::Policy').filter((p) => p.props.Roles.some((r: any) => r.Ref.startsWith(rolePrefix))).flatMap((p) => p.props.PolicyDocument.Statement);
const publishes = (t: Template, rolePrefix: string) => statementsOf(t, rolePrefix).filter((s) => [s.Action].flat().includes('sns:Publish')).flatMap((s) => [s.Resource].flat());

describe('the guide\'s policy, completed, in Slack app mode with escalation', () => {
  const built = build(completedGuidePolicy());
  const t = built.template;
  const policy = parseEscalationPolicy(completedGuidePolicy(), built.file);

  test('service: named in every function\'s messages and metrics', () => {
    for (const fn of ['SlackFunction', 'SlackInteractivityFunction', 'SlackEscalationFunction', 'SlackHandoffFunction']) expect(fnEnv(t, fn).SERVICE_NAME).toBe('payment-platform');
  });

  test('page and notify: every function knows who is told when an alarm opens; the rotation travels compiled, resolved when it fires', () => {
    const plan = {
      severities: { SEV1: { page: 'primary_oncall', notify: ['eng_manager', 'status_page'] }, SEV2: { page: 'primary_oncall' } },
      contacts: {
        primary_oncall: { rotation: compileRotation(policy.contacts![0].rotation!) },
        eng_manager: { mention: '<@U0MANAGER>' },
        status_page: { topicArn: STATUS_PAGE },
        secondary_oncall: { mention: '<!subteam^S0SECOND>', topicArn: SECONDARY_PAGER },
        team_lead: { mention: '<@U0LEAD>' },
      },
    };
    for (const fn of ['SlackFunction', 'SlackInteractivityFunction', 'SlackEscalationFunction', 'SlackHandoffFunction']) {
      expect(JSON.parse(fnEnv(t, fn).CONTACT_PLAN)).toEqual(plan);
      expect(fnEnv(t, fn).SLACK_MENTION_SEV1).toBeUndefined(); // the page contact is the rotation's on call, not a fixed mention
    }
  });

  test('who may publish to which topic: the notifier to the page and notify contacts\' (every rotation member\'s); the escalation function to the levels\'; nobody else', () => {
    expect(publishes(t, 'SlackRole')).toEqual([CAROL_PAGER, STATUS_PAGE]);
    expect(publishes(t, 'SlackEscalationRole')).toEqual([SECONDARY_PAGER]);
    expect(publishes(t, 'SlackInteractivityRole')).toEqual([]);
    expect(publishes(t, 'SlackHandoffRole')).toEqual([]);
  });

  test('escalate_after and then: the escalation plan, levels by name', () => {
    expect(JSON.parse(fnEnv(t, 'SlackEscalationFunction').ESCALATION_PLAN)).toEqual({
      severities: { SEV1: { afterMinutes: 5, levels: ['secondary_oncall', 'team_lead'] }, SEV2: { afterMinutes: 15, levels: ['secondary_oncall'] } },
    });
    expect(fnEnv(t, 'SlackFunction').SLACK_ESCALATION_SEV1).toBe('pages primary_oncall; unacknowledged after 5 min → secondary_oncall, after 10 min → team_lead; notify eng_manager, status_page');
  });

  test('notify "#channel": SEV3 incidents open in it; SEV4, left out, takes the table\'s route (ticket)', () => {
    expect(fnEnv(t, 'SlackFunction').SLACK_CHANNEL_SEV3).toBe('#payments-oncall');
    expect(fnEnv(t, 'SlackFunction').SLACK_ESCALATION_SEV4).toBe(undefined);
    expect(built.notifier.handoffFunction).toBeDefined();
  });

  test('the rotation\'s handoffs: a weekly schedule at Monday 10:00 Tokyo time, invoking the handoff function only, which reads the table and posts', () => {
    const [schedule] = resourcesOf(t, 'AWS::Scheduler::Schedule');
    expect(schedule.props).toMatchObject({
      ScheduleExpression: 'cron(0 10 ? * MON *)', ScheduleExpressionTimezone: 'Asia/Tokyo', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^SlackHandoffFunction/), 'Arn'] }, Input: '{"source":"cdk-runbook-alarms","kind":"handoff","rotation":"primary_oncall"}' },
    });
    expect(statementsOf(t, 'SlackHandoffSchedulerRole')).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SlackHandoffFunction/), 'Arn'] } }]);
    const handoff = statementsOf(t, 'SlackHandoffRole').flatMap((s) => [s.Action].flat());
    expect(handoff.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    expect(handoff.filter((a: string) => /^(sns|scheduler|iam|lambda):/.test(a))).toEqual([]);
  });
});

test('notify channels beyond the first: posted to by the notifier when an incident opens (the contact plan\'s channels)', () => {
  const t = build(completedGuidePolicy().replace('notify: [eng_manager, status_page]', 'notify: ["#incidents", eng_manager, "#exec"]')).template;
  expect(fnEnv(t, 'SlackFunction').SLACK_CHANNEL_SEV1).toBe('#incidents');
  expect(JSON.parse(fnEnv(t, 'SlackFunction').CONTACT_PLAN).severities.SEV1).toEqual({ page: 'primary_oncall', notify: ['eng_manager'], channels: ['#exec'] });
});

test('a contact whose topic the notifier is subscribed to is refused (its page would come back as a notification)', () => {
  const stack = newStack();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'escalation-policy.yaml');
  const pager = 'arn:aws:sns:eu-west-1:123456789012:oncall-pager';
  fs.writeFileSync(file, `contacts:\n  primary: { sns: "${pager}" }\nseverity_routing:\n  SEV1: { page: primary }\n`);
  const routing = AlertRouting.fromFile(stack, 'Routing', file, { pageTopic: snsLib.Topic.fromTopicArn(stack, 'Pager', pager) });
  expect(() => new SlackNotifier(stack, 'Slack', { webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hook', TOKEN_ARN), routing }))
    .toThrow(`${file}:2:19 contacts.primary pages through ${pager}, a topic this notifier is subscribed to`);
});

test('AwsSolutionsChecks passes on the policy\'s parts (the handoff function and schedule included)', () => {
  const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
  const stack = new Stack(app, 'NaggedPolicy');
  build(completedGuidePolicy(), stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  const { output } = synthCapturing(app);
  expect(output).not.toMatch(/AwsSolutions-\w+/);
});
