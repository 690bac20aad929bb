// Every word of the policy in the synthesized template: the guide's policy, completed as a team
// completes it, behind a SlackNotifier in Slack app mode with escalation. Who may publish to which
// topic, which function is told which contacts, where each severity's incidents open, the handoff
// schedule of the rotation; and cdk-nag on all of it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as snsLib from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlertRouting } from '../../lib/constructs/alert-routing';
import { SlackNotifier } from '../../lib/constructs/slack-notifier';
import { compileRotation } from '../../lib/core/rotation';
import { handoffNoteTime } from '../../lib/constructs/private/handoff';
import { parseEscalationPolicy } from '../../lib/policy/policy';
import { newStack, resourcesOf, synthCapturing } from '../support/cdk';
import { CAROL_PAGER, SECONDARY_PAGER, STATUS_PAGE, completedGuidePolicy } from '../support/guide-policy';

const TOKEN_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:slack/bot-XyZ123';
const SIGNING_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:slack/signing-AbC456';

function build(policyText: string, stack: Stack = newStack(), weeklyReport?: boolean) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'escalation-policy.yaml');
  fs.writeFileSync(file, policyText);
  const routing = AlertRouting.fromFile(stack, 'Routing', file);
  const notifier = new SlackNotifier(stack, 'Slack', {
    routing,
    slackApp: {
      botTokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Bot', TOKEN_ARN),
      channel: 'C0PAYMENTS',
      escalation: { signingSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Signing', SIGNING_ARN) },
      ...(weeklyReport !== undefined ? { weeklyReport } : {}),
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
    // The handoffs carry the numbers: no weekly report besides.
    expect(resourcesOf(t, 'AWS::Scheduler::Schedule')).toHaveLength(1);
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

// The guide's policy with a person, not a rotation, as the primary: a team without a rotation.
const withoutRotation = (text = completedGuidePolicy()) => text.replace(/ {2}primary_oncall:\n {4}rotation:\n[\s\S]*?start: 2026-01-05\n/, '  primary_oncall: "<@U0ALICE>"\n');

describe('the weekly report: a policy that pages no rotation', () => {
  const weekly = (t: Template) => resourcesOf(t, 'AWS::Scheduler::Schedule').map((x) => ({ id: x.id, cron: x.props.ScheduleExpression, zone: x.props.ScheduleExpressionTimezone, input: JSON.parse(x.props.Target.Input) }));

  test('the guide\'s oncall.handoff, "毎週月曜 10:00、…": the handoff function, one schedule every Monday at 10:00, in UTC (no postmortem time zone)', () => {
    const built = build(withoutRotation());
    expect(withoutRotation()).not.toMatch(/^ {4}rotation:/m); // the oncall note `rotation: weekly` is text for people
    const t = built.template;
    expect(built.notifier.handoffFunction).toBeDefined();
    expect(weekly(t)).toEqual([{ id: expect.stringMatching(/^SlackWeeklyReport/), cron: 'cron(0 10 ? * MON *)', zone: 'UTC', input: { source: 'cdk-runbook-alarms', kind: 'weekly', at: 'Mon 10:00', timeZone: 'UTC' } }]);
    expect(resourcesOf(t, 'AWS::Scheduler::Schedule')[0].props).toMatchObject({
      FlexibleTimeWindow: { Mode: 'OFF' }, State: 'ENABLED', Target: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^SlackHandoffFunction/), 'Arn'] } },
    });
    // The same least privilege as the handoffs': the table (Scan, GetItem, UpdateItem), its key through DynamoDB, the token; the schedule invokes this function only.
    expect(statementsOf(t, 'SlackHandoffSchedulerRole')).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SlackHandoffFunction/), 'Arn'] } }]);
    const actions = statementsOf(t, 'SlackHandoffRole').flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    expect(actions.filter((a: string) => /^(sns|scheduler|iam|lambda):/.test(a))).toEqual([]);
    expect(fnEnv(t, 'SlackHandoffFunction').ESCALATION_PLAN).toBeUndefined();
  });

  test('an English note, "Friday 16:30, hand over …", in the postmortem rules\' time zone', () => {
    const text = withoutRotation().replace(/handoff: ".*"/, 'handoff: "Friday 16:30, hand over unresolved incidents and runbook updates"') + 'postmortem:\n  time_zone: Europe/Berlin\n';
    expect(weekly(build(text).template)).toEqual([expect.objectContaining({ cron: 'cron(30 16 ? * FRI *)', zone: 'Europe/Berlin', input: expect.objectContaining({ at: 'Fri 16:30', timeZone: 'Europe/Berlin' }) })]);
  });

  test.each([
    ['Monday 10:00, hand over unresolved incidents and runbook updates', { weekday: 1, minutes: 600 }],
    ['Mon 10:00', { weekday: 1, minutes: 600 }],
    ['fri. 7:05 — the lead reads the numbers', { weekday: 5, minutes: 425 }],
    ['毎週月曜 10:00、未解決インシデントとRunbook更新を引き継ぐ', { weekday: 1, minutes: 600 }],
    ['金曜日 17:30', { weekday: 5, minutes: 1050 }],
    ['10:00 daily', undefined],
    ['Monday morning', undefined],
    ['Monday 25:00', undefined],
    ['Monday 10:000', undefined],
    ['Every Monday 10:00', { weekday: 1, minutes: 600 }],
    ['every day 10:00', undefined],
  ])('oncall.handoff "%s": the weekly report at %j', (note, expected) => {
    expect(handoffNoteTime(note)).toEqual(expected);
  });

  test('a note with no time: Monday 09:00, said at synth as an info', () => {
    const built = build(withoutRotation().replace(/handoff: ".*"/, 'handoff: "Monday morning, hand over unresolved incidents"'));
    expect(weekly(built.template)).toEqual([expect.objectContaining({ cron: 'cron(0 9 ? * MON *)', zone: 'UTC' })]);
    Annotations.fromStack(built.stack).hasInfo('/TestStack/Slack', Match.stringLikeRegexp('oncall.handoff "Monday morning, hand over unresolved incidents" does not start with a weekday and a time.*Mondays at 09:00 \\(UTC\\)'));
  });

  test('no policy at all (app mode alone): Monday 09:00 UTC; slackApp.weeklyReport: false turns it off', () => {
    const stack = newStack();
    const bot = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Bot', TOKEN_ARN);
    const on = new SlackNotifier(stack, 'On', { slackApp: { botTokenSecret: bot, channel: 'C0ALERTS' }, topics: [new snsLib.Topic(stack, 'T')] });
    const off = new SlackNotifier(stack, 'Off', { slackApp: { botTokenSecret: bot, channel: 'C0ALERTS', weeklyReport: false }, topics: [new snsLib.Topic(stack, 'U')] });
    expect(on.handoffFunction).toBeDefined();
    expect(off.handoffFunction).toBeUndefined();
    expect(weekly(Template.fromStack(stack))).toEqual([expect.objectContaining({ id: expect.stringMatching(/^OnWeeklyReport/), cron: 'cron(0 9 ? * MON *)', zone: 'UTC' })]);
  });

  test('weeklyReport: false leaves a rotation\'s handoffs as they are; webhook mode has no table and no report', () => {
    const rotation = build(completedGuidePolicy(), newStack(), false);
    expect(rotation.notifier.handoffFunction).toBeDefined();
    expect(weekly(rotation.template).map((s) => s.input.kind)).toEqual(['handoff']);
    const stack = newStack();
    const hook = new SlackNotifier(stack, 'Hook', { webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'H', TOKEN_ARN), topics: [new snsLib.Topic(stack, 'T')] });
    expect(hook.handoffFunction).toBeUndefined();
    expect(resourcesOf(Template.fromStack(stack), 'AWS::Scheduler::Schedule')).toEqual([]);
  });
});

test('AwsSolutionsChecks passes on the policy\'s parts (the handoff function and schedule included, and the weekly report\'s)', () => {
  const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
  const stack = new Stack(app, 'NaggedPolicy');
  build(completedGuidePolicy(), stack);
  build(withoutRotation(), new Stack(app, 'NaggedWeekly'));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  const { output } = synthCapturing(app);
  expect(output).not.toMatch(/AwsSolutions-\w+/);
});
