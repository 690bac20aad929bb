// SlackNotifier's alarmEvents: an EventBridge rule sending "CloudWatch Alarm State Change" events
// to the notifier (the shape the synth gate reads as a route: source aws.cloudwatch, that
// detail-type, the notifier function as target), what EventBridge cannot deliver parked in the
// failure queue, and for other accounts a bus policy that lets them put those events and no others.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlertRouting } from '../../lib/constructs/alert-routing';
import { AlarmEventsProps, SlackNotifier } from '../../lib/constructs/slack-notifier';
import { newStack, resourcesOf } from '../support/cdk';

function build(alarmEvents: AlarmEventsProps, stack: Stack = newStack(), app = false) {
  const bus = alarmEvents.eventBus;
  const notifier = new SlackNotifier(stack, 'Slack', {
    ...(app
      ? { slackApp: { botTokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Bot', 'slack/bot'), channel: 'C0ALERTS' } }
      : { webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Hook', 'slack/alerts') }),
    alarmEvents: { ...alarmEvents, eventBus: bus },
  });
  return { stack, notifier, template: Template.fromStack(stack) };
}

const ref = (id: string) => ({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${id}`)), 'Arn'] });

describe('on the account\'s default bus', () => {
  const { template, notifier } = build({});

  test('one rule: CloudWatch\'s alarm state changes, to the notifier function, undeliverable ones to the failure queue', () => {
    const rules = resourcesOf(template, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule.props.EventPattern).toEqual({ 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] });
    expect(rule.props.EventBusName).toBeUndefined();
    expect(rule.props.State).toBe('ENABLED');
    expect(rule.props.Targets).toEqual([{ Id: 'Target0', Arn: ref('SlackFunction'), DeadLetterConfig: { Arn: ref('SlackFailureQueue') } }]);
    expect(notifier.alarmEventsRule).toBeDefined();
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  test('EventBridge may invoke the function for this rule only, and send to the failure queue for this rule only', () => {
    const [rule] = resourcesOf(template, 'AWS::Events::Rule');
    const permissions = resourcesOf(template, 'AWS::Lambda::Permission').filter((p) => p.props.Principal === 'events.amazonaws.com');
    expect(permissions.map((p) => [p.props.Action, p.props.SourceArn])).toEqual([['lambda:InvokeFunction', { 'Fn::GetAtt': [rule.id, 'Arn'] }]]);
    const queueStatements = resourcesOf(template, 'AWS::SQS::QueuePolicy').flatMap((p) => p.props.PolicyDocument.Statement);
    expect(queueStatements.filter((s) => s.Principal?.Service === 'events.amazonaws.com')).toEqual([expect.objectContaining({
      Effect: 'Allow', Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule.id, 'Arn'] } } } })]);
  });
});

describe('on a central bus other accounts forward to', () => {
  const stack = newStack();
  const bus = new events.EventBus(stack, 'Alarms', { eventBusName: 'org-alarms' });
  const { template } = build({ eventBus: bus, sourceAccounts: ['210987654321', '345678901234'], sourceOrganizationId: 'o-a1b2c3d4e5' }, stack, true);

  test('the rule listens on that bus', () => {
    const [rule] = resourcesOf(template, 'AWS::Events::Rule');
    expect(rule.props.EventBusName).toEqual({ Ref: expect.stringMatching(/^Alarms/) });
  });

  test('a bus policy per source lets the accounts named, and the organisation\'s, put CloudWatch\'s alarm state changes and nothing else', () => {
    const policies = resourcesOf(template, 'AWS::Events::EventBusPolicy').map((p) => p.props);
    expect(policies).toHaveLength(2);
    const condition = (extra: Record<string, string> = {}) => ({ StringEquals: { 'events:source': 'aws.cloudwatch', 'events:detail-type': 'CloudWatch Alarm State Change', ...extra } });
    const busArn = { 'Fn::GetAtt': [expect.stringMatching(/^Alarms/), 'Arn'] };
    expect(policies[0]).toMatchObject({ EventBusName: { Ref: expect.stringMatching(/^Alarms/) }, Statement: {
      Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn, Condition: condition(),
      Principal: { AWS: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::210987654321:root']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::345678901234:root']] },
      ] },
    } });
    expect(policies[1].Statement).toEqual({ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn, Principal: '*', Condition: condition({ 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }) });
    expect(new Set(policies.map((p) => p.StatementId)).size).toBe(2);
    // CloudFormation's limit (the CDK's template validation checks it too).
    for (const p of policies) expect(p.StatementId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

test('source accounts and organisation ids are checked at synth, naming the prop and the construct', () => {
  expect(() => build({ sourceAccounts: ['12345'] })).toThrow("SlackNotifier 'TestStack/Slack': alarmEvents.sourceAccounts has \"12345\", which is not a 12-digit AWS account id");
  expect(() => build({ sourceOrganizationId: 'acme' })).toThrow(/alarmEvents\.sourceOrganizationId "acme" is not an AWS Organizations id/);
});

test('AwsSolutionsChecks passes with alarm events on a central bus, in Slack app mode', () => {
  const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
  const stack = new Stack(app, 'Nagged');
  new AlertRouting(stack, 'Routing');
  build({ eventBus: new events.EventBus(stack, 'Alarms'), sourceOrganizationId: 'o-a1b2c3d4e5' }, stack, true);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  const errors: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation((...args) => void errors.push(args.join(' ')));
  try {
    app.synth();
  } finally {
    spy.mockRestore();
    log.mockRestore();
  }
  expect(errors.join('\n')).not.toMatch(/AwsSolutions-\w+/);
});
