// Alarms whose names or summaries hold tokens: findings still name the alarm, the contract is
// still read, and a summary that could outgrow 1024 characters at deploy time is refused.
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { AlertRouting, RunbookAlarm, RunbookPolicy, Runbook, Severity } from '../../lib';
import { checkAlarm } from '../../lib/alarm-rules';
import { views } from '../alarm-rules/alarm-builders';
import { metric, newApp, policyFindings } from '../support/gate';

describe('tokens in alarm names and summaries', () => {
  test('a finding on an unnamed L2 alarm names it by its logical id, never a token placeholder', () => {
    const app = newApp();
    RunbookPolicy.applyTo(app);
    const stack = new Stack(app, 'S');
    new cloudwatch.Alarm(stack, 'Unnamed', { metric, threshold: 1, evaluationPeriods: 3, alarmDescription: 'CPU\n\nSeverity: SEV1' });
    app.synth();
    const pageRunbook = policyFindings(app).find((f) => f.ruleId === 'IncidentReadiness-PageRunbook');
    expect(pageRunbook?.text).toMatch(/alarm "Unnamed[0-9A-F]{8}" is a page/);
    expect(policyFindings(app).map((f) => f.text).join('\n')).not.toMatch(/Token\[/);
  });

  test('a RunbookAlarm whose summary holds a reference passes the gate: the contract is read from the literal end', () => {
    const app = newApp();
    RunbookPolicy.applyTo(app, { runbookUrlPrefixes: ['https://wiki.example'] });
    const stack = new Stack(app, 'S');
    const queue = new sqs.Queue(stack, 'Q', { enforceSSL: true });
    const routing = new AlertRouting(stack, 'Routing');
    new RunbookAlarm(stack, 'Backlog', {
      severity: Severity.SEV2,
      runbook: Runbook.fromUrl('https://wiki.example/backlog', { firstMove: 'Scale out', owner: 'payments' }),
      summary: `Queue ${queue.queueName} is backing up.`,
      metric: queue.metricApproximateNumberOfMessagesVisible(),
      threshold: 100,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      routing,
    });
    const template = Template.fromStack(stack).toJSON();
    const [logicalId] = Object.entries(template.Resources).find(([, r]: [string, any]) => r.Type === 'AWS::CloudWatch::Alarm')!;
    expect(template.Resources[logicalId].Properties.AlarmDescription['Fn::Join']).toBeDefined();
    expect(policyFindings(app)).toEqual([]);
    // The engine's view of the synthesized properties (what the CLI's --assembly reads) holds the same contract.
    const resource = template.Resources[logicalId];
    const [view, ...others] = views(resource.Type, resource.Properties);
    expect(others).toEqual([]);
    expect(view.descriptionUnresolved).toBe(false);
    expect(view.contract).toMatchObject({ severity: Severity.SEV2, runbookUrl: 'https://wiki.example/backlog', firstMove: 'Scale out' });
    expect(checkAlarm(view, {}).filter((f) => f.level === 'error')).toEqual([]);
  });

  test('a summary whose references could push the description past 1024 characters is refused at construction', () => {
    const stack = new Stack(newApp(), 'S');
    const queue = new sqs.Queue(stack, 'Q');
    const summary = `${'Webhooks pile up. '.repeat(40)}Queue ${queue.queueName}, ${queue.queueArn}, ${queue.queueUrl}.`;
    expect(() => new RunbookAlarm(stack, 'Wordy', {
      severity: Severity.SEV3,
      summary,
      metric: queue.metricApproximateNumberOfMessagesVisible(),
      threshold: 100,
      evaluationPeriods: 3,
    })).toThrow(/RunbookAlarm 'S\/Wordy': the summary holds 3 tokens \(values known only at deploy time, budgeted at 128 characters each\) and may need \d+ characters where \d+ are left beside the contract/);
  });
});
