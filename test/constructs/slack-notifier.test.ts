import { execFileSync } from 'child_process';
import { INCIDENT_TABLE } from '../../lib/functions/shared/config';
import { incidentTableDefinition } from '../support/dynalite';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseAlarmContract } from '../../lib/core/contract';
import { AlertRouting } from '../../lib/constructs/alert-routing';
import { IncidentReadinessChecks } from '../../lib/checks/incident-readiness-checks';
import { Runbook, RunbookError } from '../../lib/constructs/runbook';
import { RunbookPolicy } from '../../lib/checks/runbook-policy';
import { Route, Severity } from '../../lib/core/severity';
import { handlerBundle } from '../../lib/constructs/private/handler-bundle';
import { SlackAppProps, SlackNotifier, SlackNotifierProps } from '../../lib/constructs/slack-notifier';
import { BASE_URL, newStack, resourcesOf, synthCapturing } from '../support/cdk';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/alerts-AbCdEf';
const SEV1_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/incidents-GhIjKl';

function build(props: Partial<SlackNotifierProps> = {}, stack: Stack = newStack()) {
  const routing = new AlertRouting(stack, 'Routing');
  const notifier = new SlackNotifier(stack, 'Slack', {
    webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hook', SECRET_ARN),
    routing,
    ...props,
  });
  return { stack, routing, notifier, template: Template.fromStack(stack) };
}

function rolePolicyStatements(template: Template): Array<Record<string, any>> {
  return resourcesOf(template, 'AWS::IAM::Policy').flatMap((p) => p.props.PolicyDocument.Statement);
}

describe('the function', () => {
  const { template } = build();

  test('runs on Node.js 22 or newer, from the prebuilt bundle, with a reserved (limited) concurrency', () => {
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(Number(/^nodejs(\d+)\.x$/.exec(fn.props.Runtime)![1])).toBeGreaterThanOrEqual(22);
    expect(fn.props.Handler).toBe('index.handler');
    expect(fn.props.ReservedConcurrentExecutions).toBe(2);
    expect(fn.props.Timeout).toBe(60);
  });

  test('its environment holds the secret ARN, never a webhook URL', () => {
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(fn.props.Environment.Variables).toEqual({ SLACK_WEBHOOK_SECRET_ARN: SECRET_ARN });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/hooks\.slack\.com/);
  });

  test('subscribes to the routing\'s topics, those the routing creates later (an alarm of their route binds) included', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    const later = newStack();
    const routing = new AlertRouting(later, 'Routing');
    new SlackNotifier(later, 'Slack', { webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(later, 'Hook', SECRET_ARN), routing });
    const metric = new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' });
    routing.bindAlarm(new cloudwatch.Alarm(later, 'Sev3', { metric, threshold: 1, evaluationPeriods: 2 }), Severity.SEV3);
    routing.bindAlarm(new cloudwatch.Alarm(later, 'Sev4', { metric, threshold: 1, evaluationPeriods: 2 }), Severity.SEV4);
    const subscriptions = resourcesOf(Template.fromStack(later), 'AWS::SNS::Subscription');
    expect(subscriptions.map((x) => x.props.TopicArn.Ref).sort()).toEqual([expect.stringMatching(/^RoutingNotifyTopic/), expect.stringMatching(/^RoutingPageTopic/), expect.stringMatching(/^RoutingTicketTopic/)]);
  });

  test('retries, keeps events for hours, and parks failures in an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('SlackFailureQueue'), 'Arn'] } } },
    });
    const [queue] = resourcesOf(template, 'AWS::SQS::Queue');
    expect(queue.props.SqsManagedSseEnabled ?? queue.props.KmsMasterKeyId).toBeTruthy();
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('keeps its logs for a month by default', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('least privilege', () => {
  test('reads that secret only; no managed policies, no wildcard resources, no KMS for a key-less secret', () => {
    const { template } = build();
    const statements = rolePolicyStatements(template);
    const secretStatements = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
    expect(secretStatements).toEqual([{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: SECRET_ARN }]);
    for (const s of statements) expect(s.Resource).not.toBe('*');
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContainEqual(expect.stringMatching(/^kms:/));
    const [role] = resourcesOf(template, 'AWS::IAM::Role');
    expect(role.props.ManagedPolicyArns).toBeUndefined();
  });

  test('decrypts with the secret\'s key only when the secret has one', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222');
    const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'Keyed', { secretCompleteArn: SECRET_ARN, encryptionKey: key });
    const { template } = build({ webhookSecret: secret }, stack);
    const kmsStatements = rolePolicyStatements(template).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kmsStatements).toHaveLength(1);
    expect(kmsStatements[0]).toMatchObject({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222' });
    expect(kmsStatements[0].Condition.StringEquals['kms:ViaService']).toBeDefined();
  });

  test('a per-severity secret is passed by ARN and readable too', () => {
    const stack = newStack();
    const sev1 = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Sev1', SEV1_SECRET_ARN);
    const { template } = build({ severityWebhooks: [{ severity: Severity.SEV1, secret: sev1 }] }, stack);
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(fn.props.Environment.Variables).toEqual({ SLACK_WEBHOOK_SECRET_ARN: SECRET_ARN, SLACK_WEBHOOK_SECRET_ARN_SEV1: SEV1_SECRET_ARN });
    const resources = rolePolicyStatements(template).filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue')).flatMap((s) => [s.Resource].flat());
    expect(resources.sort()).toEqual([SECRET_ARN, SEV1_SECRET_ARN].sort());
  });
});

describe('the notifier watches itself', () => {
  test('an alarm on the failure queue carries our contract and pages through the routing', () => {
    const { template } = build();
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter((a) => a.id.startsWith('SlackFailureAlarm'));
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0].props;
    expect(alarm.Namespace).toBe('AWS/SQS');
    expect(alarm.MetricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(alarm.Dimensions[0].Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SlackFailureQueue/), 'QueueName'] });
    const contract = parseAlarmContract(alarm.AlarmDescription);
    expect(contract.severity).toBe(Severity.SEV2);
    // The project's own copy of the shipped runbook (the jest cwd is this repository, which has it).
    expect(contract.runbookUrl).toBe(`${BASE_URL}/runbooks/slack-notifier-failures.md`);
    expect(contract.firstMove).toMatch(/^Look at the alarms named in the parked messages/);
    expect(contract.owner).toBe('on-call');
    expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^RoutingPageTopic/) }]);
    expect(alarm.TreatMissingData).toBe('notBreaching');
    expect(alarm.DatapointsToAlarm).toBeGreaterThan(1);
  });

  test('without runbooks/slack-notifier-failures.md in the project it fails, naming the command that writes it', () => {
    const cwd = process.cwd();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'notifier-project-'));
    try {
      process.chdir(empty);
      expect(() => build()).toThrow(RunbookError);
      expect(() => build()).toThrow(/^SlackNotifier 'TestStack\/Slack': its failure alarm is a page and links its runbook from your project\. Runbook file runbooks\/slack-notifier-failures\.md does not exist .*run `npx runbook-alarms new --from slack-notifier-failures`/s);
      // An explicit failure runbook needs no file.
      expect(() => build({ failureRunbook: Runbook.fromUrl('https://wiki.example.com/slack-down', { firstMove: 'Check the pager' }) })).not.toThrow();
    } finally {
      process.chdir(cwd);
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('its runbook, severity and routing can be overridden', () => {
    const stack = newStack();
    const other = new AlertRouting(stack, 'Pager');
    const { template } = build({
      failureRunbook: Runbook.fromUrl('https://wiki.example.com/slack-down', { firstMove: 'Check the pager instead' }),
      failureAlarmSeverity: Severity.SEV1,
      failureAlarmRouting: other,
      owner: 'platform',
    }, stack);
    const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm').find((a) => a.id.startsWith('SlackFailureAlarm'))!.props;
    expect(parseAlarmContract(alarm.AlarmDescription)).toMatchObject({
      severity: Severity.SEV1, runbookUrl: 'https://wiki.example.com/slack-down', firstMove: 'Check the pager instead', owner: 'platform',
    });
    expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^PagerPageTopic/) }]);
  });
});

describe('props', () => {
  test('topics without a routing; the same topic subscribed once', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Alerts');
    const notifier = new SlackNotifier(stack, 'Slack', {
      webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hook', SECRET_ARN),
      topics: [topic, topic],
      reservedConcurrentExecutions: 1,
      timeout: Duration.seconds(20),
      retryAttempts: 1,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1, Timeout: 20 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 1 });
    expect(notifier.failureAlarm.severity).toBe(Severity.SEV2);
  });

  test('mentions go into the environment; a malformed one is a construction error', () => {
    const { template } = build({ mentions: [{ severity: Severity.SEV1, mention: '<!subteam^S0INCIDENT>' }, { severity: Severity.SEV1, mention: '<@U0LEAD>' }] });
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(fn.props.Environment.Variables.SLACK_MENTION_SEV1).toBe('<!subteam^S0INCIDENT> <@U0LEAD>');
    expect(() => build({ mentions: [{ severity: Severity.SEV1, mention: '@oncall' }] })).toThrow(/"@oncall" for SEV1 is not a Slack mention/);
  });

  test.each([
    [{ retryAttempts: 3 }, /retryAttempts must be 0, 1 or 2/],
    [{ reservedConcurrentExecutions: 0 }, /reservedConcurrentExecutions must be a whole number ≥ 1/],
  ])('%j is refused', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

test('AwsSolutionsChecks passes on a stack with a SlackNotifier; each acknowledgement has a reason', () => {
  const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
  const stack = new Stack(app, 'Nagged');
  const routing = new AlertRouting(stack, 'Routing');
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222');
  new SlackNotifier(stack, 'Slack', {
    webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Hook', 'slack/alerts'),
    severityWebhooks: [{ severity: Severity.SEV1, secret: secretsmanager.Secret.fromSecretAttributes(stack, 'Sev1', { secretCompleteArn: SEV1_SECRET_ARN, encryptionKey: key }) }],
    routing,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  const errors: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation((...args) => void errors.push(args.join(' ')));
  try {
    expect(() => app.synth()).not.toThrow();
  } finally {
    spy.mockRestore();
    log.mockRestore();
  }
  expect(errors.join('\n')).not.toMatch(/AwsSolutions-\w+/);
  const template = app.synth().getStackByName('Nagged').template;
  const acks = Object.values<any>(template.Resources).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
  expect(acks.length).toBeGreaterThan(0);
  for (const a of acks) expect(a.reason.length).toBeGreaterThan(40);
});

describe('the prebuilt bundle', () => {
  test('a missing bundle is a clear error telling to build', () => {
    const bare = fs.mkdtempSync(path.join(require('os').tmpdir(), 'no-bundle-'));
    try {
      expect(() => handlerBundle('notifier-webhook', bare)).toThrow(/Lambda bundle .*dist\/functions\/notifier-webhook\/index\.js is missing; run `npm run build` in /);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  test('found from the compiled library too (dist/lib), as consumers load it', () => {
    const root = path.join(__dirname, '..', '..');
    if (!fs.existsSync(path.join(root, 'dist', 'lib', 'constructs', 'slack-notifier.js'))) throw new Error('run `npm run build` first (npm test does)');
    const script = `
      const { App, Stack } = require('aws-cdk-lib');
      const sm = require('aws-cdk-lib/aws-secretsmanager');
      const { SlackNotifier } = require(${JSON.stringify(path.join(root, 'dist', 'lib'))});
      const app = new App({ outdir: require('os').tmpdir() + '/slack-dist-' + process.pid, context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
      const stack = new Stack(app, 'S');
      new SlackNotifier(stack, 'N', { webhookSecret: sm.Secret.fromSecretNameV2(stack, 'H', 'x') });
      app.synth();
      const fs = require('fs');
      const dirs = fs.readdirSync(app.outdir).filter((d) => d.startsWith('asset.') && fs.existsSync(app.outdir + '/' + d + '/index.js'));
      const same = dirs.some((d) => fs.readFileSync(app.outdir + '/' + d + '/index.js', 'utf8') === fs.readFileSync(${JSON.stringify(path.join(root, 'dist', 'functions', 'notifier-webhook', 'index.js'))}, 'utf8'));
      fs.rmSync(app.outdir, { recursive: true, force: true });
      process.stdout.write(JSON.stringify(same ? 'zip-asset' : 'none'));
    `;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }))).toBe('zip-asset');
  });
});

describe('with the synth gate', () => {
  test.each([
    ['a routing', (stack: Stack) => ({ routing: new AlertRouting(stack, 'Routing') })],
    ['topics only', (stack: Stack) => ({ topics: [new sns.Topic(stack, 'Alerts')] })],
    ['a routing, in Slack app mode', (stack: Stack) => ({
      webhookSecret: undefined,
      slackApp: { botTokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Bot', 'slack/bot'), channel: 'C0ALERTS' },
      routing: new AlertRouting(stack, 'Routing'),
    })],
  ])('the notifier\'s own alarm passes RunbookPolicy and IncidentReadinessChecks with %s', (_what, wiring: (stack: Stack) => Partial<SlackNotifierProps>) => {
    const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
    const stack = new Stack(app, 'Gated');
    RunbookPolicy.applyTo(app);
    Validations.of(app).addPlugins(new IncidentReadinessChecks(app));
    const notifier = new SlackNotifier(stack, 'Slack', { webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Hook', 'slack/alerts'), ...wiring(stack) });
    const out: string[] = [];
    const spies = [jest.spyOn(console, 'error'), jest.spyOn(console, 'log')].map((s) => s.mockImplementation((...a) => void out.push(a.join(' '))));
    try {
      expect(() => app.synth()).not.toThrow();
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(out.join('\n')).not.toMatch(/IncidentReadiness-\w+/);
    const errors = Annotations.fromStack(stack).findError('*', Match.anyValue());
    expect(errors).toEqual([]);
    expect(notifier.failureAlarm.isPage).toBe(true);
  });

  test('with neither routing nor topics the failure alarm warns that it reaches no one', () => {
    const stack = newStack();
    new SlackNotifier(stack, 'Slack', { webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Hook', 'slack/alerts') });
    Annotations.fromStack(stack).hasWarning('/TestStack/Slack', Match.stringLikeRegexp('failure alarm reaches no one'));
  });
});

describe('webhook mode and the escalation policy', () => {
  const write = (text: string): string => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'escalation-policy.yaml');
    fs.writeFileSync(file, text);
    return file;
  };

  test('the page and notify contacts: mentioned and paged by the notifier (it may publish to their topics, no other); the message learns the plan', () => {
    const stack = newStack();
    const file = write(`service: payments
contacts:
  primary: { slack: "<!subteam^S0PRIMARY>", sns: "arn:aws:sns:eu-west-1:123456789012:primary-pager" }
  manager: { sns: "arn:aws:sns:eu-west-1:123456789012:manager-sms" }
  unused: { sns: "arn:aws:sns:eu-west-1:123456789012:unused" }
severity_routing:
  SEV1: { page: primary, notify: manager }
  SEV2: { page: primary }
`);
    const routing = AlertRouting.fromFile(stack, 'Routing', file);
    new SlackNotifier(stack, 'Slack', { webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hook', SECRET_ARN), routing });
    const template = Template.fromStack(stack);
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function');
    const env = fn.props.Environment.Variables;
    expect(env.SLACK_ESCALATION_SEV1).toBe('pages primary; notify manager');
    expect(env.SERVICE_NAME).toBe('payments');
    expect(JSON.parse(env.CONTACT_PLAN)).toEqual({
      severities: { SEV1: { page: 'primary', notify: ['manager'] }, SEV2: { page: 'primary' } },
      contacts: { primary: { mention: '<!subteam^S0PRIMARY>', topicArn: 'arn:aws:sns:eu-west-1:123456789012:primary-pager' }, manager: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:manager-sms' } },
    });
    const publish = rolePolicyStatements(template).filter((st) => [st.Action].flat().includes('sns:Publish'));
    expect(publish).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: ['arn:aws:sns:eu-west-1:123456789012:primary-pager', 'arn:aws:sns:eu-west-1:123456789012:manager-sms'] }]);
  });

  test('escalation and channels it cannot carry out: refused at synth, every line at its place in file order, with the fix', () => {
    const stack = newStack();
    const file = path.join(__dirname, '..', 'fixtures', 'foundation', 'escalation-policy.yaml');
    const routing = AlertRouting.fromFile(stack, 'Routing', file);
    let error: Error | undefined;
    try {
      new SlackNotifier(stack, 'Slack', { webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hook', SECRET_ARN), routing });
    } catch (e) {
      error = e as Error;
    }
    const escalate = 'nothing escalates an unacknowledged page with this notifier; escalation needs Slack app mode with acknowledgement: ' +
      'give the notifier slackApp: { botTokenSecret, channel, escalation: { signingSecret } } (docs/slack-app.md); or remove escalate_after and then';
    expect(error!.message).toBe([
      `SlackNotifier 'TestStack/Slack' cannot carry out ${file} as written (docs/escalation-policy.md); fix each line:`,
      `  ${file}:11:21 SEV1.escalate_after 5 min, then payments-secondary: ${escalate}`,
      `  ${file}:13:13 SEV1.notify "#incidents": a webhook posts only to the channel it was made for; use slackApp (the app posts to every notify channel), or remove "#incidents" (the message still reaches the webhook's channel)`,
      `  ${file}:16:21 SEV2.escalate_after 15 min, then payments-secondary: ${escalate}`,
    ].join('\n'));
    expect(error!.stack).toBe(`Error: ${error!.message}`);
  });
});

describe('the policy\'s postmortem section', () => {
  const POLICY = `contacts:
  lead: { slack: "<@U0LEAD01>" }
severity_routing:
  SEV1: { page: lead }
postmortem:
  required_for: [SEV1]
  due: 3
  time_zone: Europe/Berlin
`;
  const TOKEN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/bot-XyZ123';
  const SIGNING = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/signing-AbC123';
  function build(mode: 'webhook' | 'app' | 'escalation', slackApp: Partial<SlackAppProps> = {}) {
    const stack = newStack();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'escalation-policy.yaml');
    fs.writeFileSync(file, POLICY);
    const routing = AlertRouting.fromFile(stack, 'Routing', file);
    const secret = (id: string, arn: string) => secretsmanager.Secret.fromSecretCompleteArn(stack, id, arn);
    let error: Error | undefined;
    try {
      new SlackNotifier(stack, 'Slack', mode === 'webhook' ? { webhookSecret: secret('Hook', SECRET_ARN), routing } : {
        routing,
        slackApp: { botTokenSecret: secret('Bot', TOKEN), channel: 'C0ALERTS', ...(mode === 'escalation' ? { escalation: { signingSecret: secret('Signing', SIGNING) } } : {}), ...slackApp },
      });
    } catch (e) {
      error = e as Error;
    }
    return { stack, file, error };
  }

  test('is what the functions are told: each of them decodes the policy\'s criteria', () => {
    const { stack, error } = build('escalation');
    expect(error).toBeUndefined();
    const fns = resourcesOf(Template.fromStack(stack), 'AWS::Lambda::Function').filter((f) => f.props.Environment?.Variables?.SLACK_BOT_TOKEN_SECRET_ARN);
    expect(fns.length).toBeGreaterThanOrEqual(3);
    for (const fn of fns) {
      expect(JSON.parse(fn.props.Environment.Variables.POSTMORTEM_POLICY)).toEqual({ requiredFor: ['SEV1'], dueBusinessDays: 3, limitBusinessDays: 5, timeZone: 'Europe/Berlin' });
    }
  });

  test.each([
    ['webhook', 'postmortems are tracked in Slack app mode: give the notifier slackApp: { botTokenSecret, channel, escalation: { signingSecret } } (docs/slack-app.md)'],
    ['app', 'give the notifier slackApp.escalation: { signingSecret } (the postmortem\'s buttons and its reminders: docs/postmortems.md#in-slack)'],
  ] as const)('a %s notifier cannot carry it out: synth says so at its line, with the fix', (mode, fix) => {
    const { file, error } = build(mode);
    expect(error?.message).toBe(`SlackNotifier 'TestStack/Slack' cannot carry out ${file} as written (docs/escalation-policy.md); fix each line:\n` +
      `  ${file}:6:3 postmortem: nothing asks for, tracks or reminds of a postmortem with this notifier; ${fix}; ` +
      'or remove the postmortem section (a SEV1 or SEV2 resolution still says a postmortem is due)');
  });

  test('and slackApp.postmortem too: refused, one place says it', () => {
    const { error } = build('escalation', { postmortem: { dueBusinessDays: 1 } });
    expect(error?.message).toBe("SlackNotifier 'TestStack/Slack': the escalation policy has a postmortem section and slackApp.postmortem is given too; " +
      "keep one (the policy file's, docs/postmortems.md)");
  });
});

describe('Slack app mode', () => {
  const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack/bot-XyZ123';

  function buildApp(slackApp: Partial<SlackAppProps> = {}, more: Partial<SlackNotifierProps> = {}, stack: Stack = newStack()) {
    const routing = new AlertRouting(stack, 'Routing');
    const notifier = new SlackNotifier(stack, 'Slack', {
      slackApp: { botTokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Bot', TOKEN_ARN), channel: 'C0ALERTS', ...slackApp },
      routing,
      ...more,
    });
    return { stack, routing, notifier, template: Template.fromStack(stack) };
  }

  test('a DynamoDB table for incidents: on demand, its own rotated KMS key, point-in-time recovery, TTL, retained', () => {
    const { template, notifier } = buildApp();
    const [table] = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(table.props).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^SlackIncidentKey/), 'Arn'] } },
    });
    expect(template.findResources('AWS::DynamoDB::Table')[table.id].DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('incidents of the SlackNotifier') });
    expect(notifier.incidentTable).toBeDefined();
    expect(notifier.incidentKey).toBeDefined();
    // The store's key and the tests' tables (test/support/dynalite.ts) come from the same statement.
    expect(table.props.KeySchema).toEqual(incidentTableDefinition().KeySchema);
    expect(table.props.AttributeDefinitions).toEqual(incidentTableDefinition().AttributeDefinitions);
    expect(table.props.TimeToLiveSpecification.AttributeName).toBe(INCIDENT_TABLE.ttlAttribute);
  });

  test('the environment holds the token secret ARN, the channels and the table name, never a token', () => {
    const { template } = buildApp({
      severityChannels: [{ severity: Severity.SEV1, channel: 'C0INCIDENTS' }],
      routeChannels: [{ route: Route.TICKET, channel: '#tickets' }],
      postmortem: { dueBusinessDays: 3, timeZone: 'Europe/Berlin' },
    });
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function');
    const env = fn.props.Environment.Variables;
    expect(env).toMatchObject({
      SLACK_BOT_TOKEN_SECRET_ARN: TOKEN_ARN,
      SLACK_CHANNEL: 'C0ALERTS',
      SLACK_CHANNEL_SEV1: 'C0INCIDENTS',
      SLACK_ROUTE_CHANNEL_TICKET: '#tickets',
      SLACK_ROUTE_TOPIC_TICKET: { Ref: expect.stringMatching(/^RoutingTicketTopic/) },
      INCIDENT_TABLE_NAME: { Ref: expect.stringMatching(/^SlackIncidents/) },
      POSTMORTEM_POLICY: JSON.stringify({ requiredFor: ['SEV1', 'SEV2'], dueBusinessDays: 3, limitBusinessDays: 5, timeZone: 'Europe/Berlin' }),
      INCIDENT_REOPEN_WINDOW_MINUTES: '60',
      INCIDENT_RETENTION_DAYS: '90',
      INCIDENT_LEASE_SECONDS: '75',
    });
    expect(env.SLACK_WEBHOOK_SECRET_ARN).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toMatch(/xox[a-z]-/);
  });

  test('least privilege: get, put and update items of this table only; its key only through DynamoDB; the token secret only', () => {
    // The notifier's own role (the weekly report's is in slack-notifier-policy.test.ts).
    const { template } = buildApp({ weeklyReport: false });
    const statements = rolePolicyStatements(template);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SlackIncidents/), 'Arn'] } }]);
    const kmsStatements = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kmsStatements).toHaveLength(1);
    expect(kmsStatements[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SlackIncidentKey/), 'Arn'] });
    expect(kmsStatements[0].Action).not.toContainEqual(expect.stringContaining('*'));
    expect(kmsStatements[0].Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] });
    const secrets = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
    expect(secrets).toEqual([{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: TOKEN_ARN }]);
    for (const s of statements) expect(s.Resource).not.toBe('*');
  });

  test.each([
    ['neither mode', {}, { webhookSecret: undefined, slackApp: undefined }, /needs webhookSecret .* or slackApp/],
    ['a channel name without #', { channel: 'alerts' }, {}, /channel "alerts" is not a Slack channel ID/],
    ['two channels for one severity', { severityChannels: [{ severity: Severity.SEV1, channel: 'C0A1B2C3D' }, { severity: Severity.SEV1, channel: 'C0D3C2B1A' }] }, {}, /two severityChannels for SEV1/],
    ['a postmortem time zone that is none', { postmortem: { timeZone: 'CET+1' } }, {}, /slackApp\.postmortem\.timeZone "CET\+1" is not an IANA time zone/],
    ['a postmortem due in half a day', { postmortem: { dueBusinessDays: 0.5 } }, {}, /slackApp\.postmortem\.dueBusinessDays must be a whole number of business days/],
    ['a postmortem limit before its due date', { postmortem: { dueBusinessDays: 3, limitBusinessDays: 2 } }, {}, /slackApp\.postmortem\.limitBusinessDays must not be shorter than postmortem\.dueBusinessDays/],
    ['a postmortem threshold of 30 seconds', { postmortem: { longerThan: Duration.seconds(30) } }, {}, /postmortem\.longerThan must be whole minutes/],
    ['an http API URL', { apiUrl: 'http://slack.example.com/api/' }, {}, /apiUrl must be an https URL/],
    ['a reopen window of 0', { reopenWindow: Duration.minutes(0) }, {}, /reopenWindow must be whole minutes, at least 1/],
    ['a retention of 12 hours', { incidentRetention: Duration.hours(12) }, {}, /incidentRetention must be whole days, at least 1/],
  ])('%s is refused at synth', (_what, slackApp, more, message) => {
    expect(() => buildApp(slackApp as Partial<SlackAppProps>, more as Partial<SlackNotifierProps>)).toThrow(message);
  });

  test('both modes at once, webhook-only props in app mode, or route channels without an AlertRouting are refused', () => {
    const stack = newStack();
    const hook = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hook', SECRET_ARN);
    const bot = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Bot', TOKEN_ARN);
    expect(() => new SlackNotifier(stack, 'A', { webhookSecret: hook, slackApp: { botTokenSecret: bot, channel: 'C0ALERTS' } })).toThrow(/not both/);
    expect(() => new SlackNotifier(stack, 'B', { slackApp: { botTokenSecret: bot, channel: 'C0ALERTS' }, severityWebhooks: [{ severity: Severity.SEV1, secret: hook }] }))
      .toThrow(/use slackApp.severityChannels/);
    expect(() => new SlackNotifier(stack, 'C', { slackApp: { botTokenSecret: bot, channel: 'C0ALERTS', routeChannels: [{ route: Route.NOTIFY, channel: 'C0TEAM1' }] }, topics: [new sns.Topic(stack, 'T')] }))
      .toThrow(/routeChannels \(notify\) needs the notifier's routing to be an AlertRouting/);
  });

  test('AwsSolutionsChecks passes on everything app mode creates; each acknowledgement has a reason', () => {
    const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } });
    const stack = new Stack(app, 'NaggedApp');
    const routing = new AlertRouting(stack, 'Routing');
    new SlackNotifier(stack, 'Slack', {
      slackApp: { botTokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Bot', 'slack/bot'), channel: 'C0ALERTS', severityChannels: [{ severity: Severity.SEV1, channel: 'C0INCIDENTS' }] },
      routing,
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
    const { assembly, output } = synthCapturing(app);
    expect(output).not.toMatch(/AwsSolutions-\w+/);
    const template = assembly.getStackByName('NaggedApp').template;
    expect(Object.values<any>(template.Resources).some((r) => r.Type === 'AWS::DynamoDB::Table')).toBe(true);
    const acks = Object.values<any>(template.Resources).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    for (const a of acks) expect(a.reason.length).toBeGreaterThan(40);
  });
});

describe('a JavaScript caller (no type checker) that leaves out or mistypes a prop gets a construct error naming the prop and the path, never a TypeError', () => {
  const hook = (s: Stack, name = 'slack/alerts') => secretsmanager.Secret.fromSecretNameV2(s, 'Hook', name);
  const cases: Array<[string, (s: Stack) => unknown, RegExp]> = [
    ['no props at all', (s) => new (SlackNotifier as any)(s, 'Slack'), /^SlackNotifier 'TestStack\/Slack' needs webhookSecret/],
    ['slackApp without botTokenSecret', (s) => new SlackNotifier(s, 'Slack', { slackApp: { channel: 'C0ALERTS' } as any }), /^SlackNotifier 'TestStack\/Slack': slackApp\.botTokenSecret is required/],
    ['an empty secret name (it would grant secret:-??????)', (s) => new SlackNotifier(s, 'Slack', { webhookSecret: hook(s, '') }), /^SlackNotifier 'TestStack\/Slack': webhookSecret names no secret/],
    ['an empty bot token secret name', (s) => new SlackNotifier(s, 'Slack', { slackApp: { botTokenSecret: hook(s, ''), channel: 'C0ALERTS' } }), /slackApp\.botTokenSecret names no secret/],
    ['a severity webhook without its secret', (s) => new SlackNotifier(s, 'Slack', { webhookSecret: hook(s), severityWebhooks: [{ severity: Severity.SEV1 } as any] }), /severityWebhooks \(SEV1\)\.secret is required/],
    ['a topic that is not one', (s) => new SlackNotifier(s, 'Slack', { webhookSecret: hook(s), topics: [undefined as any] }), /^SlackNotifier 'TestStack\/Slack': topics\[0\] is not an SNS topic/],
    ['a routing that is not one', (s) => new SlackNotifier(s, 'Slack', { webhookSecret: hook(s), routing: {} as any }), /^SlackNotifier 'TestStack\/Slack': routing must be an AlertRouting/],
    ['a mention that is not one', (s) => new SlackNotifier(s, 'Slack', { webhookSecret: hook(s), mentions: [undefined as any] }), /^SlackNotifier 'TestStack\/Slack': mention "undefined"/],
    ['AlertRouting.fromFile without a file', (s) => AlertRouting.fromFile(s, 'Routing', undefined as any), /^AlertRouting 'TestStack\/Routing': fromFile needs the policy file's path/],
    ['an escalationPolicy that is not one', (s) => new AlertRouting(s, 'Routing', { escalationPolicy: {} as any }), /^AlertRouting 'TestStack\/Routing': escalationPolicy must be an escalation policy/],
    ['Runbook.fromFile without a path', () => Runbook.fromFile(undefined as any), /^Runbook\.fromFile needs the runbook's path/],
  ];
  test.each(cases)('%s', (_name, make, message) => {
    let error: Error | undefined;
    try {
      make(newStack());
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    expect(error!.constructor).not.toBe(TypeError);
    expect(error!.message).toMatch(message);
  });
});
