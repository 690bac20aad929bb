// The SlackNotifier with acknowledgement and escalation (slackApp.escalation): what it creates,
// the least privilege of each role, what it refuses at synth, and the nag pack on all of it.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlertRouting } from '../../lib/constructs/alert-routing';
import { SlackEscalationProps, SlackNotifier } from '../../lib/constructs/slack-notifier';
import { Severity } from '../../lib/core/severity';
import { parseEscalationPolicy } from '../../lib/policy/policy';
import { BOT_TOKEN_ARN, ESCALATION_ARN, POLICY_YAML, SCHEDULER_ROLE_ARN, SCHEDULE_GROUP, SIGNING_SECRET_ARN, TOPICS, functionEnvironments } from '../support/escalation-setup';
import { newStack, resourcesOf, synthCapturing } from '../support/cdk';

const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/bot-XyZ123';
const SIGNING_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/signing-AbC456';

function build(escalation: Partial<SlackEscalationProps> = {}, policyText: string | null = POLICY_YAML, stack: Stack = newStack()) {
  const routing = new AlertRouting(stack, 'Routing', policyText ? { escalationPolicy: parseEscalationPolicy(policyText, 'escalation-policy.yaml') } : {});
  const notifier = new SlackNotifier(stack, 'Slack', {
    slackApp: {
      botTokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Bot', TOKEN_ARN),
      channel: 'C0ALERTS',
      escalation: { signingSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Signing', SIGNING_ARN), ...escalation },
    },
    routing,
  });
  // The template only when asked for: synthesizing here would come before a test's validation plugins.
  return { stack, notifier, get template() { return Template.fromStack(stack); } };
}

const fnById = (template: Template, prefix: string) => resourcesOf(template, 'AWS::Lambda::Function').find((f) => f.id.startsWith(prefix))!;
const roleStatements = (template: Template, rolePrefix: string) =>
  resourcesOf(template, 'AWS::IAM::Policy').filter((p) => p.props.Roles.some((r: any) => r.Ref.startsWith(rolePrefix))).flatMap((p) => p.props.PolicyDocument.Statement);
const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat());

test('the functions get exactly the environments the function tests run with (test/support/escalation-setup.ts)', () => {
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
  const group = fns.find((f) => f.id.startsWith('SlackEscalationFunction'))!.props.Environment.Variables.ESCALATION_SCHEDULE_GROUP;
  // Tokens become the tests' own table, functions and role; the generated group name the tests' group.
  const fill = (vars: Record<string, unknown>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => {
    if (k === 'INCIDENT_TABLE_NAME') return [k, 'incidents'];
    if (k === 'ESCALATION_FUNCTION_ARN') return [k, ESCALATION_ARN];
    if (k === 'ESCALATION_SCHEDULER_ROLE_ARN') return [k, SCHEDULER_ROLE_ARN];
    if (k === 'ESCALATION_SCHEDULE_GROUP' && v === group) return [k, SCHEDULE_GROUP];
    if (typeof v !== 'string') throw new Error(`unexpected token in ${k}: ${JSON.stringify(v)}`);
    return [k, v];
  }).concat([['SLACK_API_URL', 'http://127.0.0.1:1/api/']]));
  const env = (prefix: string) => fill(fns.find((f) => f.id.startsWith(prefix))!.props.Environment.Variables);
  const expected = functionEnvironments('incidents', 'http://127.0.0.1:1/api/');
  expect(env('SlackFunction')).toEqual(expected.notifier);
  expect(env('SlackInteractivityFunction')).toEqual(expected.interactivity);
  expect(env('SlackEscalationFunction')).toEqual(expected.escalation);
});

describe('what escalation creates', () => {
  const { template, notifier } = build();

  test('three functions from three bundles, each its own role and log group; a schedule group for the timers', () => {
    const code = (prefix: string) => fnById(template, prefix).props;
    expect(code('SlackFunction').Handler).toBe('index.handler');
    expect(code('SlackInteractivityFunction')).toMatchObject({ Runtime: 'nodejs24.x', Timeout: 10, ReservedConcurrentExecutions: 2 });
    expect(code('SlackEscalationFunction')).toMatchObject({ Runtime: 'nodejs24.x', Timeout: 60 });
    const roles = new Set(['SlackFunction', 'SlackInteractivityFunction', 'SlackEscalationFunction'].map((p) => JSON.stringify(code(p).Role)));
    expect(roles.size).toBe(3);
    // And the weekly report's function, its own role and log group too (this policy pages no rotation).
    expect(JSON.stringify(code('SlackHandoffFunction').Role)).not.toMatch(/SlackRole|SlackInteractivity|SlackEscalation/);
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')).toHaveLength(4);
    expect(resourcesOf(template, 'AWS::Scheduler::ScheduleGroup')).toHaveLength(1);
    expect(notifier.escalationFunction).toBeDefined();
    expect(notifier.interactivityFunction).toBeDefined();
  });

  test('the interactivity Request URL: a function URL (NONE: the function checks Slack\'s signature), exposed as a prop and a stack output', () => {
    const [url] = resourcesOf(template, 'AWS::Lambda::Url');
    expect(url.props).toMatchObject({ AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [expect.stringMatching(/^SlackInteractivityFunction/), 'Arn'] } });
    expect(url.props.Cors).toBeUndefined();
    const outputs = template.toJSON().Outputs;
    const [out] = Object.values<any>(outputs).filter((o) => /Request URL/.test(o.Description));
    expect(out.Value).toEqual({ 'Fn::GetAtt': [url.id, 'FunctionUrl'] });
    expect(notifier.interactivityUrl).toBeDefined();
  });

  test('the escalation and contact plans reach the functions as configuration, never a secret; the paged contact is told through the contact plan', () => {
    const plan = JSON.parse(fnById(template, 'SlackFunction').props.Environment.Variables.ESCALATION_PLAN);
    expect(plan).toEqual({
      severities: { SEV1: { afterMinutes: 5, levels: ['secondary_oncall', 'team_lead'] }, SEV2: { afterMinutes: 15, levels: ['secondary_oncall'] } },
    });
    const contacts = JSON.parse(fnById(template, 'SlackFunction').props.Environment.Variables.CONTACT_PLAN);
    expect(contacts).toEqual({
      severities: { SEV1: { page: 'primary_oncall' }, SEV2: { page: 'primary_oncall' } },
      contacts: {
        primary_oncall: { mention: '<!subteam^S0PRIMARY>' },
        secondary_oncall: { mention: '<@U0SECOND>', topicArn: TOPICS[0] },
        team_lead: { mention: '<@U0LEAD>', topicArn: TOPICS[1] },
      },
    });
    for (const prefix of ['SlackFunction', 'SlackInteractivityFunction', 'SlackEscalationFunction']) {
      const env = fnById(template, prefix).props.Environment.Variables;
      expect(env.ESCALATION_PLAN).toBe(JSON.stringify(plan));
      expect(env.CONTACT_PLAN).toBe(JSON.stringify(contacts));
      expect(env.SLACK_MENTION_SEV1).toBeUndefined();
    }
    expect(fnById(template, 'SlackInteractivityFunction').props.Environment.Variables.SLACK_SIGNING_SECRET_ARN).toBe(SIGNING_ARN);
    expect(fnById(template, 'SlackFunction').props.Environment.Variables.SLACK_SIGNING_SECRET_ARN).toBeUndefined();
    expect(fnById(template, 'SlackFunction').props.Environment.Variables.ESCALATION_FUNCTION_ARN).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SlackEscalationFunction/), 'Arn'] });
    // Lambda's environment holds 4 KB in all.
    for (const prefix of ['SlackFunction', 'SlackInteractivityFunction', 'SlackEscalationFunction']) {
      expect(JSON.stringify(fnById(template, prefix).props.Environment.Variables).length).toBeLessThan(4096);
    }
  });

  test('MTTA and MTTR metrics per severity, named as the functions emit them', () => {
    const m = notifier.metricTimeToAcknowledge(Severity.SEV1);
    expect([m.namespace, m.metricName, m.dimensions, m.statistic, m.unit]).toEqual(['RunbookAlarms', 'MTTA', { Severity: 'SEV1' }, 'p50', 'Seconds']);
    expect(notifier.metricTimeToResolve(Severity.SEV2, { statistic: 'p90' }).toMetricConfig().metricStat).toMatchObject({ metricName: 'MTTR', statistic: 'p90' });
    const custom = build({ metricsNamespace: 'Payments/Incidents' }, POLICY_YAML);
    expect(fnById(custom.template, 'SlackFunction').props.Environment.Variables.INCIDENT_METRICS_NAMESPACE).toBe('Payments/Incidents');
    expect(custom.notifier.metricTimeToResolve(Severity.SEV1).namespace).toBe('Payments/Incidents');
  });
});

describe('least privilege', () => {
  const { template } = build();
  const groupArn = (t: Template) => resourcesOf(t, 'AWS::Scheduler::ScheduleGroup')[0];

  test('the scheduler role: assumed by Scheduler for this account\'s group only; may invoke the escalation function only', () => {
    const [role] = resourcesOf(template, 'AWS::IAM::Role').filter((r) => r.id.startsWith('SlackSchedulerRole'));
    expect(role.props.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': { 'Fn::GetAtt': [groupArn(template).id, 'Arn'] } } },
    }]);
    expect(roleStatements(template, 'SlackSchedulerRole')).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SlackEscalationFunction/), 'Arn'] } },
    ]);
  });

  test('the notifier may invoke the escalation function and nothing of Scheduler, SNS or IAM', () => {
    const statements = roleStatements(template, 'SlackRole');
    expect(statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction')))
      .toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SlackEscalationFunction/), 'Arn'] } }]);
    expect(actionsOf(statements).filter((a) => /^(scheduler|sns|iam):/.test(a))).toEqual([]);
  });

  test('the escalation function: schedules in its group only, passes the scheduler role to Scheduler only, publishes to the contacts\' topics only, reads alarm states', () => {
    const statements = roleStatements(template, 'SlackEscalationRole');
    const scheduler = statements.find((s) => [s.Action].flat().includes('scheduler:CreateSchedule'));
    expect(scheduler.Action).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    expect(JSON.stringify(scheduler.Resource)).toMatch(new RegExp(`:schedule/${groupArn(template).props.Name}/\\*`));
    expect(statements.find((s) => s.Action === 'iam:PassRole')).toEqual({
      Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SlackSchedulerRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
    expect(statements.find((s) => s.Action === 'sns:Publish')).toEqual({ Effect: 'Allow', Action: 'sns:Publish', Resource: TOPICS });
    expect(actionsOf(statements).filter((a) => a.includes('*'))).toEqual([]);
    // The only grant on *: DescribeAlarms (read-only; composite alarms are described only to a grant on *).
    expect(statements.filter((s) => s.Resource === '*')).toEqual([{ Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' }]);
    expect(actionsOf(statements).filter((a) => a.startsWith('cloudwatch:'))).toEqual(['cloudwatch:DescribeAlarms']);
  });

  test('the interactivity function: reads the token and the signing secret, deletes timers of its group, hands a parent it cannot redraw to the escalation function; creates none, pages no one', () => {
    const statements = roleStatements(template, 'SlackInteractivityRole');
    expect(statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue')).map((s) => s.Resource)).toEqual([TOKEN_ARN, SIGNING_ARN]);
    expect(actionsOf(statements).filter((a) => /^(scheduler|sns|iam|lambda):/.test(a))).toEqual(['scheduler:DeleteSchedule', 'lambda:InvokeFunction']);
    expect(statements.find((s) => s.Action === 'lambda:InvokeFunction')!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SlackEscalationFunction/), 'Arn'] });
  });

  test('failed escalations retry and then land in the failure queue the failure alarm watches', () => {
    const configs = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig');
    const escalation = configs.find((c) => JSON.stringify(c.props.FunctionName).includes('SlackEscalationFunction'))!;
    expect(escalation.props).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^SlackFailureQueue/), 'Arn'] } } } });
  });
});

describe('refused at synth', () => {
  test('escalation without an escalation policy', () => {
    expect(() => build({}, null)).toThrow(/slackApp\.escalation needs an escalation policy: give escalation\.policy, or a routing read from one/);
  });

  test('a policy built in code whose levels are not contacts: every name at once', () => {
    const stack = newStack();
    const policy = { ...parseEscalationPolicy(POLICY_YAML, 'escalation-policy.yaml'), contacts: [], locations: undefined };
    expect(() => new SlackNotifier(stack, 'Slack', {
      slackApp: { botTokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Bot', TOKEN_ARN), channel: 'C0ALERTS',
        escalation: { signingSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Signing', SIGNING_ARN), policy } },
    })).toThrow([
      'SlackNotifier \'TestStack/Slack\' cannot carry out escalation-policy.yaml as written (docs/escalation-policy.md); fix each line:',
      '  escalation-policy.yaml (SEV1.page) SEV1.page "primary_oncall" is not a contact; add `primary_oncall:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '  escalation-policy.yaml (SEV1.then[0]) SEV1.then "secondary_oncall" is not a contact; add `secondary_oncall:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
    ].join('\n'));
  });

  test('a plan too large for the functions\' environment', () => {
    const many = Array.from({ length: 40 }, (_, i) => `contact_number_${i}_with_a_long_name`);
    const text = `contacts:\n${many.map((n) => `  ${n}:\n    sns: arn:aws:sns:eu-west-1:123456789012:${n}-pager-topic\n`).join('')}severity_routing:\n` +
      `  SEV1:\n    page: ${many[0]}\n    escalate_after: 5m\n    then: [${many.slice(1).join(', ')}]\n  SEV2:\n    page: ${many[0]}\n  SEV3:\n    notify: "#a"\n  SEV4:\n    ticket: T\n`;
    expect(() => build({}, text)).toThrow(/^SlackNotifier 'TestStack\/Slack': the \w+'s environment would take about \d+ bytes, more than Lambda's 4096 \(CONTACT_PLAN \d+ bytes, .*\): use fewer or shorter contact names/);
  });

  test('a metrics namespace of AWS\'s', () => {
    expect(() => build({ metricsNamespace: 'AWS/Lambda' })).toThrow(/not a custom CloudWatch namespace/);
  });
});

test('AwsSolutionsChecks passes on everything escalation creates; each acknowledgement has a reason', () => {
  const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
  const stack = new Stack(app, 'NaggedEscalation');
  build({}, POLICY_YAML, stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  const { assembly, output } = synthCapturing(app);
  expect(output).not.toMatch(/AwsSolutions-\w+/);
  const template = assembly.getStackByName('NaggedEscalation').template;
  expect(Object.values<any>(template.Resources).some((r) => r.Type === 'AWS::Scheduler::ScheduleGroup')).toBe(true);
  const acks = Object.values<any>(template.Resources).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
  const wildcard = acks.filter((a) => /IAM5/.test(a.id));
  expect(wildcard.length).toBeGreaterThanOrEqual(3); // the escalation and interactivity roles' schedules/<group>/*, the escalation role's DescribeAlarms on *
  expect(wildcard.find((a) => a.id === 'AwsSolutions-IAM5[Resource::*]')?.reason).toMatch(/cloudwatch:DescribeAlarms/);
  for (const a of acks) expect(a.reason.length).toBeGreaterThan(40);
});
