// SlackNotifier: SNS topic(s) → Lambda → Slack, by incoming webhook or, in Slack app mode, by bot
// token with one thread per incident kept in a DynamoDB table, with acknowledgement and escalation
// when asked (docs/design/slack.md, docs/design/on-call-loop.md). The functions are bundled when
// this package is built (dist/functions), so a consumer's synth needs neither esbuild nor Docker.
// What the functions are told is built in private/notifier-config.ts; escalation's parts in
// private/escalation.ts; the failure alarm in private/failure-alarm.ts; the EventBridge rule for
// alarm state changes (of this account, or an organisation's) in private/alarm-events.ts.
import { Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
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
import { AlertRouting, IAlertRouting } from './alert-routing';
import { FunctionConfig } from '../functions/shared/config';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/shared/metrics';
import { Route, Severity } from '../core/severity';
import { SeverityMention } from '../notification/slack-message';
import { EscalationPolicy } from '../policy/policy';
import { routeAlarmEvents } from './private/alarm-events';
import { Escalation, createEscalation } from './private/escalation';
import { createHandoffs, weeklyReportTime } from './private/handoff';
import { PolicyPlan, buildPolicyPlan } from './private/policy-plan';
import { markPolicyCarried } from './private/policy-carriers';
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

/**
 * Which incidents need a postmortem and by when (Slack app mode): the SRE guide's criteria, decided
 * before the incident. The thread says when it is due; with `escalation` (its signing secret and
 * timers) it also offers to start one, takes its link or a "not needed" with a reason, shows the
 * state on the parent and reminds the thread before the due time and when it passes.
 */
export interface SlackPostmortemProps {
  /** Severities whose incidents always get a postmortem. @default [Severity.SEV1, Severity.SEV2] */
  readonly requiredFor?: Severity[];
  /** Incidents of other severities (never SEV4) that took longer than this to resolve get one too (whole minutes). @default - none */
  readonly longerThan?: Duration;
  /** Business days after the resolution that the postmortem is due. @default 2 */
  readonly dueBusinessDays?: number;
  /** The outer limit, in business days after the resolution (the thread says so when it passes). @default 5 */
  readonly limitBusinessDays?: number;
  /** The team's time zone (IANA name) business days are counted in. @default 'UTC' */
  readonly timeZone?: string;
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
  /**
   * Which incidents need a postmortem, and by when, for a notifier whose escalation policy has no
   * `postmortem:` section (with one, the policy file says it, and this prop is refused).
   * @default - the policy's postmortem section, else SEV1 and SEV2, due 2 business days after the resolution (5 at most), UTC
   */
  readonly postmortem?: SlackPostmortemProps;
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
  /**
   * When the escalation policy pages no rotation (or there is none): post the week's on-call numbers
   * and the incidents still unresolved to `channel` once a week, on the weekday and at the time the
   * policy's `oncall: handoff:` note starts with (`Monday 10:00, …`), else Monday 09:00, in the
   * postmortem rules' time zone (else UTC). A rotation's handoff messages carry the numbers instead.
   * @default true
   */
  readonly weeklyReport?: boolean;
}

/**
 * CloudWatch alarm state changes read from EventBridge ("CloudWatch Alarm State Change" events)
 * instead of, or besides, SNS: every alarm of this account, or of every account that forwards its
 * alarm events to a central bus, reaches the notifier without an alarm action.
 */
export interface AlarmEventsProps {
  /**
   * The bus the rule listens on: a central bus other accounts forward their alarm events to, or
   * this account's default bus.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /** Other accounts that may put their alarm state changes on the bus (a bus policy allows them, for those events only). @default - none */
  readonly sourceAccounts?: string[];
  /** An AWS Organizations id (`o-…`) whose accounts may put their alarm state changes on the bus. @default - none */
  readonly sourceOrganizationId?: string;
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
  /**
   * Read alarm state changes from EventBridge: a rule sends "CloudWatch Alarm State Change" events
   * of the bus (this account's, or an organisation's central bus) to the notifier.
   * @default - none: alarms reach the notifier through SNS only
   */
  readonly alarmEvents?: AlarmEventsProps;
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
  /**
   * Slack app mode: the function that posts each handoff of the rotations the policy pages to the
   * channel, or, with none, the weekly on-call report (unless `slackApp.weeklyReport` is false).
   */
  public readonly handoffFunction?: lambda.Function;
  /** With `alarmEvents`: the rule sending alarm state changes to the notifier. */
  public readonly alarmEventsRule?: events.Rule;
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
    if (escalation && !policy) {
      throw new Error(`SlackNotifier '${where}': slackApp.escalation needs an escalation policy: give escalation.policy, ` +
        'or a routing read from one (AlertRouting.fromFile(this, \'Routing\', \'escalation-policy.yaml\'))');
    }
    const routing = props.routing;
    if (routing !== undefined && (typeof routing !== 'object' || routing === null || typeof routing.pageTopic?.topicArn !== 'string' || !Array.isArray(routing.topics))) {
      throw new Error(`SlackNotifier '${where}': routing must be an AlertRouting (or another IAlertRouting, with pageTopic and topics), e.g. new AlertRouting(this, 'Routing')`);
    }
    const extraTopics = props.topics ?? [];
    extraTopics.forEach((t, i) => {
      if (!t || typeof t !== 'object' || typeof t.topicArn !== 'string') throw new Error(`SlackNotifier '${where}': topics[${i}] is not an SNS topic (got ${String(t)}); give sns.Topic or sns.Topic.fromTopicArn(...)`);
    });
    // Every word of the policy is carried out by this notifier, or the synth says which cannot be and why.
    const plan: PolicyPlan | undefined = policy ? buildPolicyPlan(where, policy, {
      app: !!app, escalation: !!escalation,
      subscribedTopicArns: [...(routing?.topics ?? []), ...extraTopics].map((t) => t.topicArn).filter((a) => !Token.isUnresolved(a)),
      severityChannels: Object.fromEntries((app?.severityChannels ?? []).map((c) => [c.severity, c.channel])),
    }) : undefined;
    if (routing && policy && routing.escalationPolicy === policy) markPolicyCarried(routing as unknown as Construct);
    // An escalation contact's own pager topic is a paging route for the synth gate.
    if (escalation) registerPolicyPageTopics(this, policy);
    this.metricsNamespace = escalation?.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;

    const mode: BuiltConfig = app ? slackAppConfig(where, app, routing, timeout, plan?.incidentChannels, plan?.postmortem) : webhookConfig(where, props.webhookSecret!, props.severityWebhooks ?? []);
    const incidents: IncidentTable | undefined = app ? createIncidentTable(this, app.removalPolicy) : undefined;
    this.incidentTable = incidents?.table;
    this.incidentKey = incidents?.key;
    const told = plan && (Object.keys(plan.contacts.severities).length > 0 || Object.keys(plan.contacts.contacts).length > 0);
    // What every function is told: the mode's settings, the table, the messages, the contacts, the escalation plan.
    const config: FunctionConfig = {
      ...mode.config,
      ...(incidents ? { incidentTable: incidents.table.tableName } : {}),
      ...messageConfig(where, props.mentions ?? [], policy),
      ...(told ? { contactPlan: plan.contacts } : {}),
      ...(plan?.escalation ? { escalationPlan: plan.escalation } : {}),
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
    if (escalation && plan && incidents && app) {
      esc = createEscalation(this, {
        appConfig: config,
        botToken: app.botTokenSecret,
        signingSecret: requireSecret(where, 'slackApp.escalation.signingSecret', escalation.signingSecret),
        topicArns: plan.levelTopicArns,
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

    // At each handoff of a rotation it pages, the channel learns who takes over and what is still open;
    // without a rotation, once a week, the week's numbers and what is still open.
    const rotations = plan?.rotations ?? [];
    if (app && incidents && (rotations.length > 0 || app.weeklyReport !== false)) {
      this.handoffFunction = createHandoffs(this, {
        // It escalates nothing: everything the app mode's functions are told but the escalation plan.
        appConfig: { ...config, escalationPlan: undefined }, botToken: mode.secrets[0], incidents, failureQueue: this.failureQueue, logRetention, rotations,
        ...(rotations.length === 0 ? { weekly: weeklyReportTime(this, policy, config.postmortem?.timeZone ?? 'UTC') } : {}),
      }).handoffFunction;
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
    // The page and notify contacts' topics, published when an alarm opens: these, and no other.
    if (plan && plan.openingTopicArns.length > 0) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: plan.openingTopicArns }));
    if (routing) registerPageTopic(this, routing.pageTopic);
    // Subscribed to every topic of the routing, those it creates later included (when an alarm of their route binds).
    const subscribed = new Set<sns.ITopic>();
    const subscribe = (topic: sns.ITopic) => {
      if (subscribed.has(topic)) return;
      subscribed.add(topic);
      topic.addSubscription(new subscriptions.LambdaSubscription(this.function));
    };
    if (routing && AlertRouting.isAlertRouting(routing)) routing.onTopic(subscribe);
    else for (const topic of routing?.topics ?? []) subscribe(topic);
    for (const topic of extraTopics) subscribe(topic);
    if (props.alarmEvents) this.alarmEventsRule = routeAlarmEvents(this, where, this.function, this.failureQueue, props.alarmEvents).rule;

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

  /** Incidents opened (one data point of 1 per incident of this severity, its first ALARM): their sum is incidents per period, SEV1 and SEV2 the pages. */
  public metricIncidents(severity: Severity, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.incidentMetric('Incidents', severity, { statistic: 'Sum', unit: cloudwatch.Unit.COUNT, ...props });
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
