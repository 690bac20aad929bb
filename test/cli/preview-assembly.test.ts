// `runbook-alarms preview --assembly cdk.out <alarm>`: the ALARM and OK messages an alarm of the
// synthesized app would produce, with the escalation line and buttons its notifier was deployed
// with. Against the example app's assembly (Slack app mode with escalation), and a hand-written
// webhook-mode assembly in an environment.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleSynth } from '../support/synth';
import { REPO, runCli } from './helpers';

const example = () => {
  const synth = exampleSynth();
  if (synth.code !== 0) throw new Error(`the example app did not synthesize:\n${synth.output}`);
  return synth.outdir;
};
const preview = (...args: string[]) => runCli(['preview', ...args]);
const json = (...args: string[]) => {
  const r = preview(...args, '--json');
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as { alarm: Record<string, string>; notifier: Record<string, unknown> | null; notes: string[]; messages: Array<{ state: string; as: string; message: { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: { text: string } }> }> } }> };
};
const texts = (m: { blocks: Array<{ text?: { text: string } }> }) => m.blocks.map((b) => b.text?.text ?? '');
const buttons = (m: { blocks: Array<{ type: string; elements?: Array<{ text: { text: string } }> }> }) => m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!.map((e) => e.text.text));

describe('the example app (Slack app mode, acknowledgement and escalation on)', () => {
  test('a SEV1 page: the parent as posted, with the mention, first move, never-do warning, response target, escalation line and Acknowledge', () => {
    const r = json('--assembly', example(), 'Payments/DbConnectionsExhausted');
    expect(r.alarm).toMatchObject({ name: 'Payments/DbConnectionsExhausted', path: 'Payments/DbConnectionsExhausted', stack: 'Payments' });
    expect(r.notifier).toEqual({ path: 'Payments/SlackNotifier/Function', mode: 'app', escalation: true });
    expect(r.messages.map((m) => [m.state, m.as])).toEqual([
      ['ALARM', 'the incident\'s parent message, as posted'], ['OK', 'the parent, updated in place'], ['OK', 'the reply in its thread'],
    ]);
    const [parent, resolved, reply] = r.messages.map((m) => m.message);
    // primary_oncall is a rotation: its member on call at the alarm's time (Bob, the week of 2026-11-23).
    expect(parent.text).toMatch(/^<!subteam\^S0PAYMENTSIC> <@U0PAYBOB01> \[SEV1\] ALARM: Payments\/DbConnectionsExhausted — Cap the API fleet .* · Never: reboot the writer: a failover drops every in-flight payment transaction\.$/);
    expect(texts(parent)).toEqual(expect.arrayContaining([
      ':no_entry: *Never*\n>reboot the writer: a failover drops every in-flight payment transaction.',
      // escalation-policy.yaml: SEV1 respond_within 5m, escalation to secondary_oncall then team_lead.
      ':stopwatch: *Respond* within 5 min\n:alarm_clock: *Escalation:* pages primary_oncall; unacknowledged after 5 min → secondary_oncall, after 10 min → team_lead; notify #incidents',
    ]));
    expect(texts(parent).find((t) => t.startsWith('*Metric:*'))).toBe('*Metric:* `AWS/RDS DatabaseConnections` (DBClusterIdentifier=payments-db)\n*Condition:* MAXIMUM &gt; 900 over 3 × 1 min');
    expect(buttons(parent)).toEqual(['Acknowledge', 'Open runbook', 'View alarm']);
    expect(resolved.blocks[0].text!.text).toBe('✅ SEV1 · RESOLVED after 23 min · Payments/DbConnectionsExhausted');
    expect(buttons(resolved)).toEqual(['Open runbook', 'View alarm']);
    expect(reply.text).toMatch(/^\[SEV1\] RESOLVED after 23 min: Payments\/DbConnectionsExhausted — postmortem due by /);
    expect(r.notes).toEqual([expect.stringContaining('environment-agnostic')]);
  });

  test('a SEV3 notification: no Acknowledge (only pages escalate), the target of the severity table for business hours', () => {
    const [parent] = json('--assembly', example(), 'Payments/WebhookDeadLetters').messages.map((m) => m.message);
    expect(texts(parent)).toContain(':stopwatch: *Respond* during business hours\n:alarm_clock: *Escalation:* notify #payments-alerts');
    expect(buttons(parent)).toEqual(['Open runbook', 'View alarm']);
  });

  test('an alarm is found by AlarmName, construct path or logical id; one without an AlarmName is named as CloudFormation will', () => {
    expect(json('--assembly', example(), 'Payments/WebhookDeadLettersAlarm').alarm.name).toBe('Payments/WebhookDeadLetters');
    const failure = json('--assembly', example(), 'Payments/SlackNotifier/FailureAlarm');
    expect(failure.alarm.name).toMatch(/^Payments-SlackNotifierFailureAlarm[0-9A-F]{8}$/);
    expect(failure.notes).toContainEqual(expect.stringContaining('CloudFormation names it at deploy time'));
    expect(json('--assembly', example(), failure.alarm.logicalId).alarm.path).toBe('Payments/SlackNotifier/FailureAlarm');
  });

  test('the readable form names the notifier and each message', () => {
    const r = preview('--assembly', example(), 'Payments/WebhookBacklog');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Posted by: Payments/SlackNotifier/Function, Slack app mode (one thread per incident), acknowledgement and escalation on for SEV1, SEV2');
    expect(r.stdout).toContain('=== ALARM: the incident\'s parent message, as posted ===');
    expect(r.stdout).toContain(':stopwatch: *Respond* within 15 min');
    expect(r.stdout).toContain('*Metric:* `AWS/SQS ApproximateNumberOfMessagesVisible` (QueueName=payment-webhooks)');
  });

  test('an unknown alarm, a missing one, extra flags and a missing assembly are usage or input errors (exit 2)', () => {
    const unknown = preview('--assembly', example(), 'Payments/DbConnectionExhausted');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no alarm "Payments/DbConnectionExhausted"');
    expect(unknown.stderr).toContain('(did you mean "Payments/DbConnectionsExhausted"?)');
    expect(unknown.stderr).toContain('  Payments/WebhookBacklog');
    expect(preview('--assembly', example())).toMatchObject({ code: 2, stderr: expect.stringContaining('--assembly previews one alarm') });
    expect(preview('--assembly', example(), 'Payments/WebhookBacklog', '--policy', 'escalation-policy.yaml'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('--policy does not go with --assembly') });
    expect(preview('--assembly', path.join(os.tmpdir(), 'no-such-cdk-out'), 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('does not exist') });
  });
});

describe('a webhook-mode app in an environment', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-assembly-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '48.0.0',
      artifacts: { Orders: { type: 'aws:cloudformation:stack', environment: 'aws://123456789012/eu-west-1', properties: { templateFile: 'Orders.template.json' }, displayName: 'Orders' } },
    }));
    fs.writeFileSync(path.join(dir, 'Orders.template.json'), JSON.stringify({
      Parameters: { Env: { Type: 'String', Default: 'prod' } },
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'orders-pages' } },
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        Notifier: {
          Type: 'AWS::Lambda::Function',
          Metadata: { 'aws:cdk:path': 'Orders/Slack/Function/Resource' },
          Properties: { Environment: { Variables: {
            SLACK_WEBHOOK_SECRET_ARN: { Ref: 'Secret' },
            SLACK_MENTION_SEV2: '<!subteam^S0ORDERS>',
            SLACK_ESCALATION_SEV2: 'respond within 10 min; pages orders-primary',
          } } },
        },
        Sub: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: { Ref: 'Topic' }, Endpoint: { 'Fn::GetAtt': ['Notifier', 'Arn'] } } },
        Backlog: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmName: { 'Fn::Sub': 'orders-${Env}-backlog' },
            AlarmDescription: { 'Fn::Join': ['', ['Queue ', { 'Fn::GetAtt': ['Queue', 'QueueName'] }, ' in ', { Ref: 'AWS::Region' }, ' is backing up.\n\nSeverity: SEV2\nRunbook: https://wiki.example/orders\nFirst move: Scale out\nNever: purge the queue\nOwner: orders']] },
            AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:orders-pages'],
            Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['Queue', 'QueueName'] } }],
            Statistic: 'Maximum', Period: 60, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 100,
          },
        },
      },
    }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('separate ALARM and OK messages, as the incoming webhook posts them, with what the template resolves', () => {
    const r = json('--assembly', dir, 'Backlog');
    // The alarm name is not a literal: found by logical id, named from the parameter's default.
    expect(r.alarm.name).toBe('orders-prod-backlog');
    expect(r.notifier).toEqual({ path: 'Orders/Slack/Function', mode: 'webhook', escalation: false });
    expect(r.messages.map((m) => [m.state, m.as])).toEqual([['ALARM', 'the message'], ['OK', 'the message']]);
    const [alarm, ok] = r.messages.map((m) => m.message);
    expect(alarm.text).toBe('<!subteam^S0ORDERS> [SEV2] ALARM: orders-prod-backlog — Scale out · Never: purge the queue');
    expect(texts(alarm)).toEqual(expect.arrayContaining([
      'Queue ${Queue.QueueName} in eu-west-1 is backing up.',
      ':stopwatch: *Respond* within 10 min\n:alarm_clock: *Escalation:* pages orders-primary',
      '*Why:* Threshold Crossed: 3 out of the last 3 datapoints were greater than or equal to the threshold (100.0) (minimum 3 datapoints for OK -&gt; ALARM transition).',
    ]));
    expect(alarm.blocks.find((b) => b.type === 'actions')!.elements!.map((e) => (e as unknown as { url: string }).url)).toEqual([
      'https://wiki.example/orders', 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/orders-prod-backlog',
    ]);
    expect(ok.text).toBe('[SEV2] RESOLVED: orders-prod-backlog — postmortem due');
    expect(r.notes).toEqual(['parts of the description are known only at deploy time; they are shown as ${LogicalId}']);
  });
});

test('`preview --policy` shows the policy\'s response target too (escalation-policy.yaml: SEV2 respond_within 15m)', () => {
  // A webhook's message (nothing escalates there: the line names only who is paged).
  const r = preview('--example', '--policy', path.join(REPO, 'escalation-policy.yaml'));
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(':stopwatch: *Respond* within 15 min\n:alarm_clock: *Escalation:* pages primary_oncall\n');
  expect(preview('--example').stdout).toContain(':stopwatch: *Respond* within minutes (30 min at most)');
});
