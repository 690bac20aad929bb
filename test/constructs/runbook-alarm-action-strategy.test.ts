// cdk-monitoring-constructs (the real package, a dev dependency) with RunbookAlarmActionStrategy: a
// MonitoringFacade user gives each alarm a severity, runbook, first move and owner, keeps the
// generated description, and the synth gate passes; alarms left without it fail the gate.
import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { AlertRouting, Runbook, RunbookAlarmActionStrategy, RunbookPolicy, Severity, parseAlarmContract } from '../../lib';
import { BASE_URL, GATE_FIXTURES, errorsOf, newApp, policyFindings } from '../support/gate';
import { resourcesOf, tagsOf } from '../support/cdk';

const good = () => Runbook.fromFile('runbooks/good.md', { projectRoot: GATE_FIXTURES });

function facadeApp() {
  const app = newApp();
  RunbookPolicy.applyTo(app, { projectRoot: GATE_FIXTURES, runbookLint: { now: new Date('2026-11-23') } });
  const stack = new Stack(app, 'Payments');
  const routing = new AlertRouting(stack, 'Routing');
  const queue = new sqs.Queue(stack, 'Webhooks', { queueName: 'payment-webhooks' });
  const monitoring = new MonitoringFacade(stack, 'Monitoring', { alarmFactoryDefaults: { alarmNamePrefix: 'Payments', actionsEnabled: true } });
  return { app, stack, routing, queue, monitoring };
}

const alarmsOf = (stack: Stack) => resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm').map((a) => a.props);

describe('RunbookAlarmActionStrategy with a MonitoringFacade', () => {
  test('keeps the generated description, appends the contract, mirrors tags, routes by severity, and the gate passes', () => {
    const { app, stack, routing, queue, monitoring } = facadeApp();
    monitoring.monitorSqsQueue({
      queue,
      addQueueMaxSizeAlarm: {
        Critical: {
          maxMessageCount: 1000,
          documentationLink: 'https://wiki.acme.dev/payments/webhooks',
          actionOverride: new RunbookAlarmActionStrategy({ severity: Severity.SEV2, runbook: good(), routing }),
        },
      },
      addQueueMaxMessageAgeAlarm: {
        Warning: {
          maxAgeInSeconds: 900,
          actionOverride: new RunbookAlarmActionStrategy({ severity: Severity.SEV3, firstMove: 'Look at the consumer logs', owner: 'payments', routing }),
        },
      },
    });
    app.synth();
    const [size, age] = alarmsOf(stack).sort((a, b) => a.AlarmName.localeCompare(b.AlarmName)).reverse();
    expect(size.AlarmName).toBe('Payments-payment-webhooks-Queue-Message-Count-Max-Critical');
    expect(size.AlarmDescription.split('\n')).toEqual([
      'Number of messages in the queue is too high.', // what cdk-monitoring-constructs generated
      // Text, not a contract line: written as generated, with no escape for a person to puzzle over.
      'Documentation: https://wiki.acme.dev/payments/webhooks',
      '',
      'Severity: SEV2',
      `Runbook: ${BASE_URL}/runbooks/good.md`,
      expect.stringMatching(/^First move: Scale out the webhook consumer/),
      'Owner: payments',
    ]);
    expect(parseAlarmContract(size.AlarmDescription).summary).toBe('Number of messages in the queue is too high.\nDocumentation: https://wiki.acme.dev/payments/webhooks');
    expect(tagsOf(size)).toEqual({ Severity: 'SEV2', Runbook: `${BASE_URL}/runbooks/good.md`, Owner: 'payments' });
    expect(size.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^RoutingPageTopic/) }]);
    expect(size.OKActions).toEqual([{ Ref: expect.stringMatching(/^RoutingPageTopic/) }]);
    expect(parseAlarmContract(age.AlarmDescription)).toMatchObject({ severity: Severity.SEV3, firstMove: 'Look at the consumer logs', owner: 'payments' });
    expect(age.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^RoutingNotifyTopic/) }]);
    expect(policyFindings(app).filter((f) => f.level === 'error')).toEqual([]);
  });

  test('an alarm cdk-monitoring-constructs made without the strategy fails IncidentReadiness-AlarmSeverity', () => {
    const { app, stack, queue, monitoring } = facadeApp();
    monitoring.monitorSqsQueue({ queue, addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 1000, runbookLink: 'https://wiki.acme.dev/backlog' } } });
    app.synth();
    expect(errorsOf(app)).toEqual(['Payments/Monitoring/Payments-payment-webhooks-Queue-Message-Count-Max-Critical/Resource IncidentReadiness-AlarmSeverity']);
    expect(alarmsOf(stack)[0].AlarmDescription).toBe('Number of messages in the queue is too high. \r\nRunbook: https://wiki.acme.dev/backlog');
    expect(policyFindings(app).find((f) => f.level === 'error')!.text).toMatch(/Fix: .*actionOverride: new RunbookAlarmActionStrategy\(/);
  });

  test('the alarm\'s own runbookLink serves as its runbook; a different runbook beside it is refused', () => {
    const { app, stack, routing, queue, monitoring } = facadeApp();
    monitoring.monitorSqsQueue({
      queue,
      addQueueMaxSizeAlarm: {
        Critical: {
          maxMessageCount: 1000,
          runbookLink: 'https://wiki.acme.dev/backlog',
          actionOverride: new RunbookAlarmActionStrategy({ severity: Severity.SEV1, firstMove: 'Scale out the consumer', owner: 'payments', routing }),
        },
      },
    });
    app.synth();
    expect(parseAlarmContract(alarmsOf(stack)[0].AlarmDescription)).toEqual({
      summary: 'Number of messages in the queue is too high.',
      severity: Severity.SEV1,
      severityText: 'SEV1',
      runbookUrl: 'https://wiki.acme.dev/backlog',
      firstMove: 'Scale out the consumer',
      owner: 'payments',
      dashboardUrl: undefined,
    });
    expect(errorsOf(app)).toEqual([]);

    const other = facadeApp();
    expect(() => other.monitoring.monitorSqsQueue({
      queue: other.queue,
      addQueueMaxSizeAlarm: {
        Critical: { maxMessageCount: 1, runbookLink: 'https://wiki.acme.dev/backlog', actionOverride: new RunbookAlarmActionStrategy({ severity: Severity.SEV2, runbook: good() }) },
      },
    })).toThrow(/'Payments\/Monitoring\/Payments-payment-webhooks-Queue-Message-Count-Max-Critical' has two runbooks: "Runbook: https:\/\/wiki\.acme\.dev\/backlog" from its runbookLink and "Runbook: https:\/\/github\.com\/acme\/ops\/blob\/main\/runbooks\/good\.md"/);
  });

  test('a severity written into the alarm\'s own description must agree with the strategy\'s', () => {
    const { routing, queue, monitoring } = facadeApp();
    expect(() => monitoring.monitorSqsQueue({
      queue,
      addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 1, alarmDescriptionOverride: 'SEV1: orders are not taken', actionOverride: new RunbookAlarmActionStrategy({ severity: Severity.SEV2, runbook: good(), routing }) } },
    })).toThrow(/has two severities: "SEV1" in its description and SEV2 from RunbookAlarmActionStrategy/);
  });

  test('a SEV1 without a runbook throws when the facade creates the alarm, naming it', () => {
    const { routing, queue, monitoring } = facadeApp();
    expect(() => monitoring.monitorSqsQueue({
      queue,
      addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 1000, actionOverride: new RunbookAlarmActionStrategy({ severity: Severity.SEV1, routing }) } },
    })).toThrow(/^cdk-monitoring-constructs alarm 'Payments\/Monitoring\/Payments-payment-webhooks-Queue-Message-Count-Max-Critical' is a page \(SEV1, routed to the page topic\) and has no runbook: pass runbook:/);
  });

  test('the summary is shortened to fit 1024 characters; the contract lines never are', () => {
    const { app, stack, routing, queue, monitoring } = facadeApp();
    monitoring.monitorSqsQueue({
      queue,
      addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 1000, alarmDescriptionOverride: 'Backlog. '.repeat(200), actionOverride: new RunbookAlarmActionStrategy({ severity: Severity.SEV2, runbook: good(), routing }) } },
    });
    app.synth();
    const description: string = alarmsOf(stack)[0].AlarmDescription;
    expect(description.length).toBeLessThanOrEqual(1024);
    expect(parseAlarmContract(description)).toMatchObject({ severity: Severity.SEV2, runbookUrl: `${BASE_URL}/runbooks/good.md`, owner: 'payments' });
    expect(parseAlarmContract(description).summary).toMatch(/^Backlog\. Backlog\..*…$/);
  });
});
