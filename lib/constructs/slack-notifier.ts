// SlackNotifier: SNS topic(s) → Lambda → Slack (SPEC §8), by incoming webhook or, in Slack app
// mode (SPEC §8a), by bot token with one thread per incident kept in a DynamoDB table. The function
// is bundled when this package is built (dist/handler), so a consumer's synth needs neither
// esbuild nor Docker.
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertRouting, IAlertRouting } from './alert-routing';
import { IncidentTable, createIncidentTable, grantIncidents } from './private/incident-table';
import { registerPageTopic } from './private/page-topics';
import { HANDLER_ENV, TIMER_ENV } from '../functions/shared/config';
import { HandlerBundleName, handlerBundle } from './private/handler-bundle';
import { BuiltPlan, buildEscalationPlan } from './private/escalation-plan';
import { wildcardResourceFinding } from './private/nag-resource';
import { EscalationPolicy } from '../policy/policy';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/shared/metrics';
import { NOTIFIER_FAILURE_RUNBOOK } from '../runbook/shipped';
import { Runbook, RunbookError } from './runbook';
import { RunbookAlarm } from './runbook-alarm';
import { Route, Severity } from '../core/severity';
import { escalationsOf } from '../notification/escalation';
import { SeverityMention, isSlackMention } from '../notification/slack-message';

/** A webhook secret used for one severity instead of the default one (e.g. SEV1/SEV2 to #incidents). */
export interface SeverityWebhook {
  readonly severity: Severity;
  /** The secret holding that channel's webhook URL. */
  readonly secret: secretsmanager.ISecret;
}

/** The channel for notifications that come through one route's topic (of the notifier's `routing`). */
export interface RouteChannel {
  readonly route: Route;
  /** A channel ID (`C0123ABCD`; recommended: it survives renames) or `#name`. */
  readonly channel: string;
}

/** The channel for alarms of one severity; wins over the route's channel. */
export interface SeverityChannel {
  readonly severity: Severity;
  /** A channel ID (`C0123ABCD`; recommended: it survives renames) or `#name`. */
  readonly channel: string;
}

/**
 * Acknowledgement and escalation (Slack app mode): page parents carry an Acknowledge button, and a
 * page nobody acknowledges escalates by the escalation policy (`escalate_after`, `then`, contacts).
 */
export interface SlackEscalationProps {
  /**
   * The Secrets Manager secret holding the Slack app's Signing Secret (Basic Information → App
   * Credentials), as the plain string or JSON `{"signingSecret": "…"}`: the interactivity function
   * acts only on requests signed with it.
   */
  readonly signingSecret: secretsmanager.ISecret;
  /**
   * The escalation policy (with a `contacts:` section) that says who is paged, after how long, and how.
   * @default - the routing's (`AlertRouting.fromFile`)
   */
  readonly policy?: EscalationPolicy;
  /** CloudWatch namespace of the MTTA and MTTR metrics. @default 'RunbookAlarms' */
  readonly metricsNamespace?: string;
  /** Concurrent executions reserved for (and limiting) the interactivity function, whose URL is public. @default 2 */
  readonly interactivityConcurrency?: number;
}

/** Slack app mode: a bot token, one thread per incident, the parent kept up to date in place. */
export interface SlackAppProps {
  /**
   * The Secrets Manager secret that holds the app's Bot User OAuth Token (`xoxb-…`), as the plain
   * string or as JSON `{"botToken": "xoxb-…"}`. The app needs the `chat:write` scope.
   */
  readonly botTokenSecret: secretsmanager.ISecret;
  /** The channel (ID, or `#name`) for notifications no other channel takes. The app must be in it. */
  readonly channel: string;
  /** A channel per route, for notifications from that route's topic. @default - none */
  readonly routeChannels?: RouteChannel[];
  /** A channel per severity, winning over the route's. @default - none */
  readonly severityChannels?: SeverityChannel[];
  /** When a SEV1/SEV2 postmortem is due after the resolution (whole hours). @default Duration.hours(48) */
  readonly postmortemDue?: Duration;
  /**
   * An ALARM this soon after a resolution reopens the incident (same thread, `back in ALARM`)
   * instead of opening a new one, so a flapping alarm keeps to one thread (whole minutes). @default Duration.hours(1)
   */
  readonly reopenWindow?: Duration;
  /** How long an incident is kept after its last change (the table's TTL; whole days). @default Duration.days(90) */
  readonly incidentRetention?: Duration;
  /** The Slack Web API's base URL, e.g. `https://slack-gov.com/api/` for GovSlack. @default 'https://slack.com/api/' */
  readonly apiUrl?: string;
  /** What happens to the incident table and its key when the notifier is removed. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Acknowledge buttons and escalation of unacknowledged pages. @default - none */
  readonly escalation?: SlackEscalationProps;
}

/** Props of {@link SlackNotifier}: `webhookSecret` (incoming webhook) or `slackApp` (bot token, threads). */
export interface SlackNotifierProps {
  /**
   * The Secrets Manager secret that holds the Slack incoming-webhook URL, either as the plain
   * string or as JSON `{"webhookUrl": "https://hooks.slack.com/services/..."}`.
   * @default - none: give this or `slackApp`
   */
  readonly webhookSecret?: secretsmanager.ISecret;
  /** Other webhooks for some severities (webhook mode). @default - every severity uses `webhookSecret` */
  readonly severityWebhooks?: SeverityWebhook[];
  /** Slack app mode: bot token, channels, incidents in a DynamoDB table. @default - none: give this or `webhookSecret` */
  readonly slackApp?: SlackAppProps;
  /** Subscribe to this routing's topics (an AlertRouting's page, notify and ticket topics). @default - none */
  readonly routing?: IAlertRouting;
  /** Topics to subscribe to (in addition to `routing`'s). @default - none */
  readonly topics?: sns.ITopic[];
  /** Mentions added when an alarm of a severity fires, e.g. a user group for SEV1. @default - none */
  readonly mentions?: SeverityMention[];
  /**
   * Concurrent executions reserved for (and limiting) the function, so a storm of alarms cannot
   * hammer Slack (incoming webhooks take about one message per second). Lambda queues the rest.
   * @default 2
   */
  readonly reservedConcurrentExecutions?: number;
  /** The function timeout; deliveries give up a little before it. @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** Lambda's retries of a failed invocation (0–2). @default 2 */
  readonly retryAttempts?: number;
  /** How long Lambda keeps a queued or retried notification (1 minute – 6 hours). @default Duration.hours(6) */
  readonly maxEventAge?: Duration;
  /** Retention of the function's logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The runbook of the alarm on undelivered notifications.
   * @default - `Runbook.fromFile('runbooks/slack-notifier-failures.md')`: your copy of the runbook this
   * package ships, written by `npx runbook-alarms new --from slack-notifier-failures`
   */
  readonly failureRunbook?: Runbook;
  /** Severity of the alarm on undelivered notifications. @default Severity.SEV2 */
  readonly failureAlarmSeverity?: Severity;
  /** Routing of the alarm on undelivered notifications. @default - `routing`, else the first of `topics` */
  readonly failureAlarmRouting?: IAlertRouting;
  /** The team named as owner of that alarm. @default - the failure runbook's owner, else 'on-call' */
  readonly owner?: string;
}

/**
 * The failure alarm's default runbook: the user's own copy of the shipped one, linked under their
 * base URL, so the page's link opens for everyone (a URL into the package would not exist for git
 * or tarball installs). Missing, it fails synth saying how to write it.
 */
function defaultFailureRunbook(where: string): Runbook {
  try {
    return Runbook.fromFile(NOTIFIER_FAILURE_RUNBOOK);
  } catch (e) {
    if (!(e instanceof RunbookError)) throw e;
    throw new RunbookError(`SlackNotifier '${where}': its failure alarm is a page and links its runbook from your project. ${e.message}. ` +
      'Or pass failureRunbook: Runbook.fromFile(...) / Runbook.fromUrl(...) to use your own.', e.findings);
  }
}

/**
 * Posts CloudWatch alarm notifications to Slack with their severity, runbook and first move.
 * Undelivered notifications land in an encrypted queue that has its own alarm and runbook.
 */
export class SlackNotifier extends Construct {
  /** The function that posts to Slack. */
  public readonly function: lambda.Function;
  /** Where notifications go when every retry failed; its alarm watches the notifier. */
  public readonly failureQueue: sqs.Queue;
  /** Fires when notifications were not delivered. */
  public readonly failureAlarm: RunbookAlarm;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** Slack app mode: the incidents (one item per alarm, one per state change). */
  public readonly incidentTable?: dynamodb.Table;
  /** Slack app mode: the customer-managed key that encrypts the incident table. */
  public readonly incidentKey?: kms.Key;
  /** With escalation: the function behind Slack's interactivity Request URL. */
  public readonly interactivityFunction?: lambda.Function;
  /** With escalation: the URL to put in the Slack app's *Interactivity & Shortcuts → Request URL* (also a stack output). */
  public readonly interactivityUrl?: string;
  /** With escalation: the function escalation timers invoke. */
  public readonly escalationFunction?: lambda.Function;
  /** With escalation: the schedule group holding the escalation timers. */
  public readonly escalationSchedules?: scheduler.ScheduleGroup;
  private readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    if (!props?.webhookSecret && !props?.slackApp) {
      throw new Error(`SlackNotifier '${this.node.path}' needs webhookSecret (the secret with an incoming-webhook URL) ` +
        'or slackApp (a bot token secret and a channel, for threads per incident)');
    }
    if (props.webhookSecret && props.slackApp) throw new Error(`SlackNotifier '${this.node.path}': give webhookSecret or slackApp, not both`);
    if (props.slackApp && props.severityWebhooks?.length) {
      throw new Error(`SlackNotifier '${this.node.path}': severityWebhooks are for webhook mode; in Slack app mode use slackApp.severityChannels`);
    }
    const retryAttempts = props.retryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(`SlackNotifier '${this.node.path}': retryAttempts must be 0, 1 or 2 (got ${retryAttempts})`);
    }
    const concurrency = props.reservedConcurrentExecutions ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`SlackNotifier '${this.node.path}': reservedConcurrentExecutions must be a whole number ≥ 1 (got ${concurrency})`);
    }
    const timeout = props.timeout ?? Duration.seconds(60);
    let incidents: IncidentTable | undefined;
    const { environment, secrets } = props.slackApp
      ? this.slackAppEnvironment(props.slackApp, props.routing, timeout)
      : this.webhookEnvironment(props.webhookSecret!, props.severityWebhooks ?? []);
    if (props.slackApp) {
      incidents = createIncidentTable(this, props.slackApp.removalPolicy);
      this.incidentTable = incidents.table;
      this.incidentKey = incidents.key;
      environment[HANDLER_ENV.incidentTable] = incidents.table.tableName;
    }
    for (const m of props.mentions ?? []) {
      if (!isSlackMention(m.mention)) {
        throw new Error(`SlackNotifier '${this.node.path}': mention "${m.mention}" for ${m.severity} is not a Slack mention; ` +
          'use <!subteam^S0123ABCD> (user group), <@U0123ABCD> (user), <!here> or <!channel>');
      }
      const key = `${HANDLER_ENV.mentionPrefix}${m.severity}`;
      environment[key] = environment[key] ? `${environment[key]} ${m.mention}` : m.mention;
    }

    const escalation = props.slackApp?.escalation;
    this.metricsNamespace = escalation?.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    let built: BuiltPlan | undefined;
    if (escalation) {
      const policy = escalation.policy ?? props.routing?.escalationPolicy;
      built = buildEscalationPlan(this.node.path, policy);
      environment[HANDLER_ENV.escalationPlan] = built.encoded;
      if (escalation.metricsNamespace !== undefined) {
        if (!/^[A-Za-z0-9._/#:-]{1,255}$/.test(escalation.metricsNamespace) || escalation.metricsNamespace.startsWith('AWS/')) {
          throw new Error(`SlackNotifier '${this.node.path}': metricsNamespace "${escalation.metricsNamespace}" is not a custom CloudWatch namespace (letters, digits, . _ / # : -, not AWS/…)`);
        }
        environment[HANDLER_ENV.metricsNamespace] = escalation.metricsNamespace;
      }
      // The paged contact is mentioned when its page fires (like `mentions`).
      for (const m of built.pageMentions) {
        const key = `${HANDLER_ENV.mentionPrefix}${m.severity}`;
        if (!(environment[key] ?? '').split(' ').includes(m.mention)) environment[key] = environment[key] ? `${environment[key]} ${m.mention}` : m.mention;
      }
    }

    // From an escalation policy file: who is paged and when it escalates, shown in the message.
    for (const e of escalationsOf((escalation?.policy ?? props.routing?.escalationPolicy)?.routing ?? [])) {
      environment[`${HANDLER_ENV.escalationPrefix}${e.severity}`] = e.text;
    }

    const bundle = handlerBundle(props.slackApp ? 'notifier-app' : 'notifier-webhook');
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter store (the function\'s on-failure destination); ' +
        'its alarm and runbook handle what lands in it, and a DLQ of a DLQ would only hide notifications further.',
    });

    const role = this.createRole('Role', `Posts alarm notifications to Slack (${this.node.path})`, this.logGroup, secrets, incidents);
    // What the notifier's environment holds is what its sibling functions need too (channels, table, token ARN, plan).
    const appEnvironment = { ...environment };

    this.function = new lambda.Function(this, 'Function', {
      description: 'Posts CloudWatch alarm notifications to Slack with severity, runbook and first move',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(bundle.dir),
      memorySize: 256,
      timeout,
      reservedConcurrentExecutions: concurrency,
      retryAttempts,
      maxEventAge: props.maxEventAge ?? Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.failureQueue),
      role,
      logGroup: this.logGroup,
      environment,
    });
    if (escalation && built && incidents) this.createEscalation(escalation, built, incidents, appEnvironment, props, timeout);
    if (props.routing) registerPageTopic(this, props.routing.pageTopic);
    const topics = [...(props.routing?.topics ?? []), ...(props.topics ?? [])];
    for (const topic of new Set(topics)) topic.addSubscription(new subscriptions.LambdaSubscription(this.function));

    this.failureAlarm = this.watchFailures(props);
  }

  /**
   * The function's own role, carrying exactly what it does: write its log group, read its secrets
   * (and decrypt them through Secrets Manager only), use the incident table; the on-failure
   * destination adds sending to the failure queue.
   */
  private createRole(id: string, description: string, logGroup: logs.ILogGroup, secrets: secretsmanager.ISecret[], incidents: IncidentTable | undefined): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    if (incidents) grantIncidents(role, incidents);
    for (const secret of secrets) {
      secret.grantRead(role);
      // grantRead puts kms:Decrypt in the key policy of a key in this stack but drops it for an
      // imported key it cannot prove is in this account; say it on the role, for this key only.
      if (secret.encryptionKey) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [secret.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
        }));
      }
    }
    return role;
  }

  /**
   * Acknowledgement and escalation: a schedule group for the timers, the role Scheduler invokes
   * with (the escalation function only), the escalation function (re-checks, pages, sets the next
   * timer), the interactivity function behind a function URL (Slack's signed button clicks), and
   * the notifier's right to ask the escalation function for a timer. Each role carries only what
   * its function does.
   */
  private createEscalation(escalation: SlackEscalationProps, built: BuiltPlan, incidents: IncidentTable, appEnvironment: Record<string, string>,
    props: SlackNotifierProps, timeout: Duration): void {
    const stack = Stack.of(this);
    const concurrency = escalation.interactivityConcurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`SlackNotifier '${this.node.path}': interactivityConcurrency must be a whole number ≥ 1 (got ${concurrency})`);
    }
    const group = new scheduler.ScheduleGroup(this, 'EscalationSchedules', { removalPolicy: RemovalPolicy.DESTROY });
    (this as { escalationSchedules?: scheduler.ScheduleGroup }).escalationSchedules = group;
    const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${group.scheduleGroupName}/*` });
    const botToken = props.slackApp!.botTokenSecret;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    // The escalation function: invoked by its timers (and asked by the notifier to keep them).
    const escalationLogs = new logs.LogGroup(this, 'EscalationLogs', { retention });
    const escalationRole = this.createRole('EscalationRole', `Escalates unacknowledged pages (${this.node.path})`, escalationLogs, [botToken], incidents);
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler invokes the escalation function of ${this.node.path}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Only this account's schedules of this group may use it (Scheduler names the group as the source).
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': group.scheduleGroupArn } },
      }),
    });
    const escalationFn = this.appFunction('EscalationFunction', 'escalation', 'Escalates SEV pages nobody acknowledged: pages the next contacts, sets the next timer', {
      role: escalationRole,
      logGroup: escalationLogs,
      timeout,
      environment: {
        ...appEnvironment,
        [TIMER_ENV.scheduleGroup]: group.scheduleGroupName,
        [TIMER_ENV.schedulerRoleArn]: schedulerRole.roleArn,
      },
    });
    // Asynchronous invocations (timers, the notifier's requests) retry, then park in the failure queue, whose alarm pages.
    escalationFn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new destinations.SqsDestination(this.failureQueue),
    });
    schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [escalationFn.functionArn] }));
    this.grantTimers(escalationRole, schedules, schedulerRole, ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    if (built.topicArns.length > 0) {
      escalationRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: built.topicArns }));
    }
    // Before paging, the alarm's state now (its OK may still be on its way). DescribeAlarms returns
    // composite alarms only to a grant on *, and reads nothing but alarm definitions and states.
    escalationRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }));
    Validations.of(escalationRole).acknowledge({
      id: wildcardResourceFinding(escalationRole, 'AwsSolutions-IAM5', '*'),
      reason: 'cloudwatch:DescribeAlarms, read-only, is the only action on *: the escalation function asks an alarm\'s current state before paging. ' +
        'CloudWatch returns composite alarms only when the permission is scoped to *, and alarm names come from notifications at run time.',
    });
    (this as { escalationFunction?: lambda.Function }).escalationFunction = escalationFn;

    // The interactivity function: Slack's button clicks, through a public URL that acts only on signed requests.
    const interactivityLogs = new logs.LogGroup(this, 'InteractivityLogs', { retention });
    const interactivityRole = this.createRole('InteractivityRole', `Takes Slack's signed button clicks: acknowledgements (${this.node.path})`,
      interactivityLogs, [botToken, escalation.signingSecret], incidents);
    const interactivityFn = this.appFunction('InteractivityFunction', 'interactivity', 'Slack interactivity: records acknowledgements of pages (signed requests only)', {
      role: interactivityRole,
      logGroup: interactivityLogs,
      // Slack waits 3 s for the answer; the function answers within 2.5 s, and never needs more than this.
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: concurrency,
      environment: {
        ...appEnvironment,
        [TIMER_ENV.signingSecretArn]: escalation.signingSecret.secretArn,
        [TIMER_ENV.scheduleGroup]: group.scheduleGroupName,
      },
    });
    this.grantTimers(interactivityRole, schedules, undefined, ['scheduler:DeleteSchedule']);
    const url = interactivityFn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    (this as { interactivityFunction?: lambda.Function }).interactivityFunction = interactivityFn;
    (this as { interactivityUrl?: string }).interactivityUrl = url.url;
    new CfnOutput(this, 'InteractivityRequestUrl', {
      value: url.url,
      description: `Slack app → Interactivity & Shortcuts → Request URL (${this.node.path})`,
    });

    // The notifier asks the escalation function for a timer; it never touches Scheduler itself.
    this.function.addEnvironment(HANDLER_ENV.escalationFunctionArn, escalationFn.functionArn);
    this.function.role!.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [escalationFn.functionArn] }));
  }

  /** Creating and deleting schedules in the escalation group only; passing the scheduler role (to Scheduler only). */
  private grantTimers(role: iam.Role, schedules: string, schedulerRole: iam.IRole | undefined, actions: string[]): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [schedules] }));
    if (schedulerRole) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }));
    }
    Validations.of(role).acknowledge({
      id: wildcardResourceFinding(role, 'AwsSolutions-IAM5', schedules),
      reason: 'Escalation timers are one-time schedules named per incident and level, created and deleted at run time: the resource is ' +
        'the escalation schedule group\'s schedules (schedule/<group>/*), the narrowest ARN that covers names not known at deploy time.',
    });
  }

  /** A function of the Slack app (Node.js 24, arm64) from one of the prebuilt bundles. */
  private appFunction(id: string, bundle: HandlerBundleName, description: string,
    props: Pick<lambda.FunctionProps, 'role' | 'logGroup' | 'timeout' | 'environment' | 'reservedConcurrentExecutions'>): lambda.Function {
    return new lambda.Function(this, id, {
      description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(handlerBundle(bundle).dir),
      memorySize: 256,
      ...props,
    });
  }

  /** One incident's time to acknowledge (seconds, one data point per acknowledged page of this severity): its median is the MTTA. */
  public metricTimeToAcknowledge(severity: Severity, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.incidentMetric('MTTA', severity, props);
  }

  /** One incident's time to resolve (seconds, one data point per resolved incident of this severity): its median is the MTTR. */
  public metricTimeToResolve(severity: Severity, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.incidentMetric('MTTR', severity, props);
  }

  private incidentMetric(name: string, severity: Severity, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricsNamespace,
      metricName: name,
      dimensionsMap: { Severity: severity },
      statistic: 'p50',
      period: Duration.days(1),
      unit: cloudwatch.Unit.SECONDS,
      ...props,
    });
  }

  /** The notifier watches itself: a page on the failure queue's depth, with its runbook. */
  private watchFailures(props: SlackNotifierProps): RunbookAlarm {
    const failureRunbook = props.failureRunbook ?? defaultFailureRunbook(this.node.path);
    const alarm = new RunbookAlarm(this, 'FailureAlarm', {
      severity: props.failureAlarmSeverity ?? Severity.SEV2,
      runbook: failureRunbook,
      owner: props.owner ?? failureRunbook.owner ?? 'on-call',
      summary: 'Alarm notifications were not delivered to Slack; the on-call may be missing pages.',
      metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      routing: props.failureAlarmRouting ?? props.routing,
    });
    if (!props.failureAlarmRouting && !props.routing) {
      // No routing to page with: announce on the first topic given (its other subscribers, and
      // this notifier once Slack takes messages again), so the alarm reaches someone.
      const topic = props.topics?.[0];
      if (topic) {
        alarm.addAlarmAction(new cwActions.SnsAction(topic));
        alarm.addOkAction(new cwActions.SnsAction(topic));
      } else {
        Annotations.of(this).addWarningV2('cdk-runbook-alarms:slack-notifier-unrouted',
          'The SlackNotifier has no routing and no topics: its failure alarm reaches no one; pass failureAlarmRouting');
      }
    }
    return alarm;
  }

  /** Webhook mode: the secret ARNs by severity. */
  private webhookEnvironment(webhookSecret: secretsmanager.ISecret, severityWebhooks: SeverityWebhook[]): { environment: Record<string, string>; secrets: secretsmanager.ISecret[] } {
    const environment: Record<string, string> = { [HANDLER_ENV.webhookSecretArn]: webhookSecret.secretArn };
    const secrets = [webhookSecret];
    for (const w of severityWebhooks) {
      const key = `${HANDLER_ENV.severitySecretArnPrefix}${w.severity}`;
      if (key in environment) throw new Error(`SlackNotifier '${this.node.path}': two severityWebhooks for ${w.severity}`);
      environment[key] = w.secret.secretArn;
      secrets.push(w.secret);
    }
    return { environment, secrets };
  }

  /** Slack app mode: the token secret's ARN, the channels (by severity, and by route through its topic's ARN) and the incident policy. */
  private slackAppEnvironment(app: SlackAppProps, routing: IAlertRouting | undefined, timeout: Duration): { environment: Record<string, string>; secrets: secretsmanager.ISecret[] } {
    const environment: Record<string, string> = {
      [HANDLER_ENV.botTokenSecretArn]: app.botTokenSecret.secretArn,
      [HANDLER_ENV.channel]: this.channelId(app.channel, 'channel'),
    };
    for (const c of app.severityChannels ?? []) {
      const key = `${HANDLER_ENV.severityChannelPrefix}${c.severity}`;
      if (key in environment) throw new Error(`SlackNotifier '${this.node.path}': two severityChannels for ${c.severity}`);
      environment[key] = this.channelId(c.channel, `severityChannels (${c.severity})`);
    }
    for (const c of app.routeChannels ?? []) {
      const name = c.route.toUpperCase();
      if (`${HANDLER_ENV.routeChannelPrefix}${name}` in environment) throw new Error(`SlackNotifier '${this.node.path}': two routeChannels for ${c.route}`);
      environment[`${HANDLER_ENV.routeChannelPrefix}${name}`] = this.channelId(c.channel, `routeChannels (${c.route})`);
      environment[`${HANDLER_ENV.routeTopicPrefix}${name}`] = this.routeTopic(routing, c.route).topicArn;
    }
    const hours = (d: Duration | undefined, dflt: number, what: string) => {
      const v = d ? d.toHours({ integral: false }) : dflt;
      if (!Number.isInteger(v) || v < 1) throw new Error(`SlackNotifier '${this.node.path}': ${what} must be whole hours, at least 1 (got ${v} h)`);
      return v;
    };
    const whole = (d: Duration | undefined, dflt: number, unit: 'minutes' | 'days', what: string) => {
      const v = d ? (unit === 'minutes' ? d.toMinutes({ integral: false }) : d.toDays({ integral: false })) : dflt;
      if (!Number.isInteger(v) || v < 1) throw new Error(`SlackNotifier '${this.node.path}': ${what} must be whole ${unit}, at least 1 (got ${v})`);
      return v;
    };
    environment[HANDLER_ENV.postmortemDueHours] = String(hours(app.postmortemDue, 48, 'postmortemDue'));
    environment[HANDLER_ENV.reopenWindowMinutes] = String(whole(app.reopenWindow, 60, 'minutes', 'reopenWindow'));
    environment[HANDLER_ENV.retentionDays] = String(whole(app.incidentRetention, 90, 'days', 'incidentRetention'));
    // A container holds a state change for its whole run: the function timeout, and some.
    environment[HANDLER_ENV.leaseSeconds] = String(timeout.toSeconds() + 15);
    if (app.apiUrl !== undefined) {
      if (!/^https:\/\/[^/\s]+\/\S*$/.test(app.apiUrl)) throw new Error(`SlackNotifier '${this.node.path}': apiUrl must be an https URL such as https://slack-gov.com/api/ (got "${app.apiUrl}")`);
      environment[HANDLER_ENV.apiUrl] = app.apiUrl;
    }
    return { environment, secrets: [app.botTokenSecret] };
  }

  /** A channel ID (`C0123ABCD`) or `#name`, checked at synth. */
  private channelId(channel: string, what: string): string {
    if (Token.isUnresolved(channel)) return channel;
    if (!/^(?:[CGD][A-Z0-9]{6,}|#[a-z0-9][a-z0-9._-]{0,79})$/.test(channel ?? '')) {
      throw new Error(`SlackNotifier '${this.node.path}': ${what} "${channel}" is not a Slack channel ID (C0123ABCD, from the channel's details) or #name`);
    }
    return channel;
  }

  /** The topic a route's notifications come through. */
  private routeTopic(routing: IAlertRouting | undefined, route: Route): sns.ITopic {
    if (routing && AlertRouting.isAlertRouting(routing)) return routing.topicFor(route);
    if (routing && route === Route.PAGE) return routing.pageTopic;
    throw new Error(`SlackNotifier '${this.node.path}': routeChannels (${route}) needs the notifier's routing to be an AlertRouting ` +
      '(it knows which topic is which route); use severityChannels otherwise');
  }
}
