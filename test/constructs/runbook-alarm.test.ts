import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Template } from 'aws-cdk-lib/assertions';
import { pageTopicsOf } from '../../lib/constructs/private/page-topics';
import { AlertRouting, Runbook, RunbookAlarm, RunbookCompositeAlarm, Severity, parseAlarmContract } from '../../lib';
import { FOUNDATION_FIXTURES, newStack, resourcesOf, tagsOf } from '../support/cdk';

const metric = new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible' });
const alarmProps = { metric, threshold: 1000, evaluationPeriods: 3 };
const fileRunbook = () => Runbook.fromFile('runbooks/good.md', { projectRoot: FOUNDATION_FIXTURES });

describe('RunbookAlarm', () => {
  test('renders the contract into the description and mirrors it as tags', () => {
    const stack = newStack();
    new RunbookAlarm(stack, 'Backlog', { ...alarmProps, severity: Severity.SEV2, runbook: fileRunbook(), summary: 'Webhooks pile up.' });
    const [alarm] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm');
    const description: string = alarm.props.AlarmDescription;
    expect(description.split('\n')).toEqual([
      'Webhooks pile up.',
      '',
      'Severity: SEV2',
      'Runbook: https://github.com/acme/ops/blob/main/runbooks/good.md',
      expect.stringMatching(/^First move: Scale out the webhook consumer to drain the backlog/),
      'Owner: payments',
    ]);
    expect(tagsOf(alarm.props)).toEqual({
      Severity: 'SEV2',
      Runbook: 'https://github.com/acme/ops/blob/main/runbooks/good.md',
      Owner: 'payments',
    });
  });

  test('firstMove and owner props override the runbook', () => {
    const stack = newStack();
    const alarm = new RunbookAlarm(stack, 'A', { ...alarmProps, severity: Severity.SEV1, runbook: fileRunbook(), firstMove: 'Fail over', owner: 'sre' });
    const [res] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm');
    expect(parseAlarmContract(res.props.AlarmDescription)).toMatchObject({ firstMove: 'Fail over', owner: 'sre', severity: Severity.SEV1 });
    expect(alarm.isPage).toBe(true);
    // The runbook is written for SEV2: the mismatch is a warning on the alarm.
    const warnings = alarm.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.join('\n')).toMatch(/is SEV1 but its runbook is written for SEV2/);
  });

  test('cannot be built without a severity (JavaScript callers)', () => {
    const stack = newStack();
    expect(() => new RunbookAlarm(stack, 'NoSev', { ...alarmProps } as any)).toThrow(
      "RunbookAlarm 'TestStack/NoSev' needs a severity: pass severity: Severity.SEV1 (outage) to Severity.SEV4 (no user impact)",
    );
    expect(() => new RunbookAlarm(stack, 'BadSev', { ...alarmProps, severity: 'SEV9' } as any)).toThrow(/severity "SEV9" is not one of/);
  });

  test.each([Severity.SEV1, Severity.SEV2])('a %s without a runbook is refused at construction', (severity) => {
    const stack = newStack();
    expect(() => new RunbookAlarm(stack, 'Page', { ...alarmProps, severity })).toThrow(
      new RegExp(`RunbookAlarm 'TestStack/Page' is a page \\(${severity}\\) and has no runbook: pass runbook: Runbook.fromFile`),
    );
  });

  test('a SEV3 routed to the page topic is a page too', () => {
    const stack = newStack();
    const routing = AlertRouting.fromFile(stack, 'Routing', `${FOUNDATION_FIXTURES}/escalation-policy.yaml`);
    expect(() => new RunbookAlarm(stack, 'Sev3', { ...alarmProps, severity: Severity.SEV3, routing })).toThrow(
      /is a page \(SEV3, routed to the page topic\) and has no runbook/,
    );
  });

  test('SEV3 and SEV4 may go without a runbook', () => {
    const stack = newStack();
    new RunbookAlarm(stack, 'Sev4', { ...alarmProps, severity: Severity.SEV4, summary: 'Nightly export late' });
    const [res] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm');
    expect(res.props.AlarmDescription).toBe('Nightly export late\n\nSeverity: SEV4');
    expect(tagsOf(res.props)).toEqual({ Severity: 'SEV4' });
  });

  test('a contract too long for 1024 characters is an error naming the alarm', () => {
    const stack = newStack();
    expect(() => new RunbookAlarm(stack, 'Long', { ...alarmProps, severity: Severity.SEV1, runbook: fileRunbook(), firstMove: 'x'.repeat(1100) }))
      .toThrow(/RunbookAlarm 'TestStack\/Long': The alarm contract needs \d+ characters but an alarm description holds 1024/);
  });

  test('a long summary is shortened to fit', () => {
    const stack = newStack();
    new RunbookAlarm(stack, 'Wordy', { ...alarmProps, severity: Severity.SEV2, runbook: fileRunbook(), summary: 'word '.repeat(400) });
    const [res] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm');
    expect(res.props.AlarmDescription.length).toBeLessThanOrEqual(1024);
    expect(parseAlarmContract(res.props.AlarmDescription).summary).toMatch(/…$/);
  });

  test('an invalid tag value is skipped with a warning, the description keeps it', () => {
    const stack = newStack();
    const alarm = new RunbookAlarm(stack, 'Q', { ...alarmProps, severity: Severity.SEV2, runbook: Runbook.fromUrl('https://wiki.example/rb?id=42&v=2') });
    const [res] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm');
    expect(tagsOf(res.props).Runbook).toBeUndefined();
    expect(parseAlarmContract(res.props.AlarmDescription).runbookUrl).toBe('https://wiki.example/rb?id=42&v=2');
    expect(alarm.node.metadata.map((m) => String(m.data)).join('\n')).toMatch(/The Runbook tag was not set/);
  });
});

describe('RunbookAlarm with AlertRouting', () => {
  function routedStack() {
    const stack = newStack();
    const routing = new AlertRouting(stack, 'Routing');
    const sev = (severity: Severity, id: string) =>
      new RunbookAlarm(stack, id, { ...alarmProps, severity, runbook: fileRunbook(), routing });
    sev(Severity.SEV1, 'Sev1');
    sev(Severity.SEV2, 'Sev2');
    sev(Severity.SEV3, 'Sev3');
    sev(Severity.SEV4, 'Sev4');
    return { stack, template: Template.fromStack(stack) };
  }

  test('actions follow the severity: page, page, notify, ticket; OK actions on pages only', () => {
    const { template } = routedStack();
    const topics = resourcesOf(template, 'AWS::SNS::Topic');
    const topicByRoute = Object.fromEntries(topics.map((t) => [tagsOf(t.props)['RunbookAlarms:Route'], t.id]));
    expect(Object.keys(topicByRoute).sort()).toEqual(['notify', 'page', 'ticket']);
    const alarms = Object.fromEntries(resourcesOf(template, 'AWS::CloudWatch::Alarm').map((a) => [a.props.Tags.find((t: any) => t.Key === 'Severity').Value, a.props]));
    const ref = (route: string) => [{ Ref: topicByRoute[route] }];
    expect(alarms.SEV1.AlarmActions).toEqual(ref('page'));
    expect(alarms.SEV1.OKActions).toEqual(ref('page'));
    expect(alarms.SEV2.AlarmActions).toEqual(ref('page'));
    expect(alarms.SEV2.OKActions).toEqual(ref('page'));
    expect(alarms.SEV3.AlarmActions).toEqual(ref('notify'));
    expect(alarms.SEV3.OKActions).toBeUndefined();
    expect(alarms.SEV4.AlarmActions).toEqual(ref('ticket'));
    expect(alarms.SEV4.OKActions).toBeUndefined();
  });

  test('created topics are KMS-encrypted with a rotating key CloudWatch may use, and enforce TLS', () => {
    const { template } = routedStack();
    const [key] = resourcesOf(template, 'AWS::KMS::Key');
    expect(key.props.EnableKeyRotation).toBe(true);
    const cwStatement = key.props.KeyPolicy.Statement.find((s: any) => s.Sid === 'AllowCloudWatchAlarmsToPublish');
    expect(cwStatement.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(cwStatement.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    for (const topic of resourcesOf(template, 'AWS::SNS::Topic')) {
      expect(topic.props.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key.id, 'Arn'] });
    }
    const policies = resourcesOf(template, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(3);
    for (const p of policies) {
      expect(p.props.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
  });

  test('user-supplied topics are used as they are, and no key is created', () => {
    const stack = newStack();
    const page = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:eu-west-1:111122223333:pagerduty');
    const notify = sns.Topic.fromTopicArn(stack, 'Chat', 'arn:aws:sns:eu-west-1:111122223333:chat');
    const ticket = sns.Topic.fromTopicArn(stack, 'Jira', 'arn:aws:sns:eu-west-1:111122223333:jira');
    const routing = new AlertRouting(stack, 'Routing', { pageTopic: page, notifyTopic: notify, ticketTopic: ticket, okActionsOnPages: false });
    new RunbookAlarm(stack, 'A', { ...alarmProps, severity: Severity.SEV1, runbook: fileRunbook(), routing });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    const [alarm] = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    expect(alarm.props.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:111122223333:pagerduty']);
    expect(alarm.props.OKActions).toBeUndefined();
    // The gate learns the routing's page topic from the app's registry (it was isPageTopicArn/allIn).
    expect(routing.pageTopic.topicArn).toBe('arn:aws:sns:eu-west-1:111122223333:pagerduty');
    expect(pageTopicsOf(stack)).toEqual([routing.pageTopic]);
  });
});

describe('RunbookCompositeAlarm', () => {
  test('carries the contract, tags and routing like RunbookAlarm', () => {
    const stack = newStack();
    const routing = new AlertRouting(stack, 'Routing');
    const a = new cloudwatch.Alarm(stack, 'Child', { ...alarmProps });
    new RunbookCompositeAlarm(stack, 'Checkout', {
      alarmRule: cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM),
      severity: Severity.SEV1,
      runbook: fileRunbook(),
      summary: 'Checkout is down',
      routing,
    });
    const template = Template.fromStack(stack);
    const [composite] = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm');
    expect(parseAlarmContract(composite.props.AlarmDescription)).toMatchObject({
      summary: 'Checkout is down',
      severity: Severity.SEV1,
      runbookUrl: 'https://github.com/acme/ops/blob/main/runbooks/good.md',
      owner: 'payments',
    });
    expect(tagsOf(composite.props).Severity).toBe('SEV1');
    // Its EventBridge events carry no description: the contract tags travel in them instead.
    expect(composite.props.ActionConfiguration).toEqual({ AlarmTagsPropagation: { Enabled: true, IncludedTagKeys: ['Severity', 'Runbook', 'Owner'] } });
    expect(composite.props.AlarmActions).toHaveLength(1);
    expect(composite.props.OKActions).toHaveLength(1);
  });

  test('a composite page without a runbook is refused', () => {
    const stack = newStack();
    const a = new cloudwatch.Alarm(stack, 'Child', { ...alarmProps });
    expect(() => new RunbookCompositeAlarm(stack, 'C', { alarmRule: cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM), severity: Severity.SEV2 }))
      .toThrow(/RunbookCompositeAlarm 'TestStack\/C' is a page \(SEV2\) and has no runbook/);
  });
});
