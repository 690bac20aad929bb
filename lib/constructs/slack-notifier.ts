// SlackNotifier: SNS topic(s) → Lambda → Slack, by incoming webhook or, in Slack app mode, by bot
// token with one thread per incident kept in a DynamoDB table, with acknowledgement and escalation
// when asked (docs/design/slack.md, docs/design/on-call-loop.md). The functions are bundled when
// this package is built (dist/functions), so a consumer's synth needs neither esbuild nor Docker.
// What the functions are told is built in private/notifier-config.ts; escalation's parts in
// private/escalation.ts; the failure alarm in private/failure-alarm.ts.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
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
import { IAlertRouting } from './alert-routing';
import { FunctionConfig } from '../functions/shared/config';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/shared/metrics';
import { Route, Severity } from '../core/severity';
import { SeverityMention } from '../notification/slack-message';
import { EscalationPolicy } from '../policy/policy';
import { Escalation, createEscalation } from './private/escalation';
import { BuiltPlan, buildEscalationPlan } from './private/escalation-plan';
import { watchFailures } from './private/failure-alarm';
import { IncidentTable, createIncidentTable } from './private/incident-table';
import { BuiltConfig, messageConfig, requireSecret, slackAppConfig, webhookConfig } from './private/notifier-config';
import { functionRole, notifierFunction } from './private/notifier-functions';
import { registerPageTopic, registerPolicyPageTopics } from './private/page-topics';
import { Runbook } from './runbook';
import { RunbookAlarm } from './runbook-alarm';

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
    const where = this.node.path;
    if (!props?.webhookSecret && !props?.slackApp) {
      throw new Error(`SlackNotifier '${where}' needs webhookSecret (the secret with an incoming-webhook URL) ` +
        'or slackApp (a bot token secret and a channel, for threads per incident)');
    }
    if (props.webhookSecret && props.slackApp) throw new Error(`SlackNotifier '${where}': give webhookSecret or slackApp, not both`);
    if (props.slackApp && props.severityWebhooks?.length) {
      throw new Error(`SlackNotifier '${where}': severityWebhooks are for webhook mode; in Slack app mode use slackApp.severityChannels`);
    }
    const retryAttempts = wholeNumber(where, 'retryAttempts', props.retryAttempts ?? 2, 0, 2);
    const concurrency = wholeNumber(where, 'reservedConcurrentExecutions', props.reservedConcurrentExecutions ?? 2, 1);
    const timeout = props.timeout ?? Duration.seconds(60);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const app = props.slackApp;
    const escalation = app?.escalation;
    const policy = escalation?.policy ?? props.routing?.escalationPolicy;
    const built: BuiltPlan | undefined = escalation ? buildEscalationPlan(where, policy) : undefined;
    // An escalation contact's own pager topic is a paging route for the synth gate.
    if (escalation) registerPolicyPageTopics(this, policy);
    this.metricsNamespace = escalation?.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;

    const mode: BuiltConfig = app ? slackAppConfig(where, app, props.routing, timeout) : webhookConfig(where, props.webhookSecret!, props.severityWebhooks ?? []);
    const incidents: IncidentTable | undefined = app ? createIncidentTable(this, app.removalPolicy) : undefined;
    this.incidentTable = incidents?.table;
    this.incidentKey = incidents?.key;
    // What every function is told: the mode's settings, the table, the messages, the escalation plan.
    const config: FunctionConfig = {
      ...mode.config,
      ...(incidents ? { incidentTable: incidents.table.tableName } : {}),
      ...messageConfig(where, props.mentions ?? [], built?.pageMentions ?? [], policy),
      ...(built ? { escalationPlan: built.plan } : {}),
      ...(escalation?.metricsNamespace !== undefined ? { metricsNamespace: metricsNamespace(where, escalation.metricsNamespace) } : {}),
    };

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention });
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

    let esc: Escalation | undefined;
    if (escalation && built && incidents && app) {
      esc = createEscalation(this, {
        appConfig: config,
        botToken: app.botTokenSecret,
        signingSecret: requireSecret(where, 'slackApp.escalation.signingSecret', escalation.signingSecret),
        topicArns: built.topicArns,
        incidents,
        failureQueue: this.failureQueue,
        timeout,
        logRetention,
        interactivityConcurrency: wholeNumber(where, 'interactivityConcurrency', escalation.interactivityConcurrency ?? 2, 1),
      });
      this.escalationFunction = esc.escalationFunction;
      this.escalationSchedules = esc.schedules;
      this.interactivityFunction = esc.interactivityFunction;
      this.interactivityUrl = esc.interactivityUrl;
    }

    const role = functionRole(this, 'Role', `Posts alarm notifications to Slack (${where})`, this.logGroup, mode.secrets, incidents);
    this.function = notifierFunction(this, 'Function', app ? 'notifier-app' : 'notifier-webhook',
      // The notifier asks the escalation function for a timer; it never touches Scheduler itself.
      { ...config, ...(esc ? { escalationFunctionArn: esc.escalationFunction.functionArn } : {}) }, {
        description: 'Posts CloudWatch alarm notifications to Slack with severity, runbook and first move',
        timeout,
        reservedConcurrentExecutions: concurrency,
        retryAttempts,
        maxEventAge: props.maxEventAge ?? Duration.hours(6),
        onFailure: new destinations.SqsDestination(this.failureQueue),
        role,
        logGroup: this.logGroup,
      });
    if (esc) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [esc.escalationFunction.functionArn] }));
    if (props.routing) registerPageTopic(this, props.routing.pageTopic);
    const topics = [...(props.routing?.topics ?? []), ...(props.topics ?? [])];
    for (const topic of new Set(topics)) topic.addSubscription(new subscriptions.LambdaSubscription(this.function));

    this.failureAlarm = watchFailures(this, this.failureQueue, props);
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
}

/** A whole-number prop within bounds. */
function wholeNumber(where: string, prop: string, value: number, min: number, max?: number): number {
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `a whole number ≥ ${min}` : max - min === 2 ? `${min}, ${min + 1} or ${max}` : `a whole number from ${min} to ${max}`;
    throw new Error(`SlackNotifier '${where}': ${prop} must be ${range} (got ${value})`);
  }
  return value;
}

/** A custom CloudWatch namespace for the MTTA and MTTR metrics. */
function metricsNamespace(where: string, ns: string): string {
  if (!/^[A-Za-z0-9._/#:-]{1,255}$/.test(ns) || ns.startsWith('AWS/')) {
    throw new Error(`SlackNotifier '${where}': metricsNamespace "${ns}" is not a custom CloudWatch namespace (letters, digits, . _ / # : -, not AWS/…)`);
  }
  return ns;
}
