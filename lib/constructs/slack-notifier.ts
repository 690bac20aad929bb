// SlackNotifier: SNS topic(s) → Lambda → Slack (SPEC §8). The function is bundled when this
// package is built (dist/handler), so a consumer's synth needs neither esbuild nor Docker.
import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IAlertRouting } from './alert-routing';
import { registerPageTopic } from './private/page-topics';
import { HANDLER_ENV } from '../handler/env';
import { handlerBundle } from './private/handler-bundle';
import { NOTIFIER_FAILURE_RUNBOOK } from '../runbook/shipped';
import { Runbook, RunbookError } from './runbook';
import { RunbookAlarm } from './runbook-alarm';
import { Severity } from '../core/severity';
import { escalationsOf } from '../notification/escalation';
import { SeverityMention, isSlackMention } from '../notification/slack-message';

/** A webhook secret used for one severity instead of the default one (e.g. SEV1/SEV2 to #incidents). */
export interface SeverityWebhook {
  readonly severity: Severity;
  /** The secret holding that channel's webhook URL. */
  readonly secret: secretsmanager.ISecret;
}

/** Props of {@link SlackNotifier}. */
export interface SlackNotifierProps {
  /**
   * The Secrets Manager secret that holds the Slack incoming-webhook URL, either as the plain
   * string or as JSON `{"webhookUrl": "https://hooks.slack.com/services/..."}`.
   */
  readonly webhookSecret: secretsmanager.ISecret;
  /** Other webhooks for some severities. @default - every severity uses `webhookSecret` */
  readonly severityWebhooks?: SeverityWebhook[];
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

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    if (!props?.webhookSecret) throw new Error(`SlackNotifier '${this.node.path}' needs webhookSecret: the Secrets Manager secret with the webhook URL`);
    const retryAttempts = props.retryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(`SlackNotifier '${this.node.path}': retryAttempts must be 0, 1 or 2 (got ${retryAttempts})`);
    }
    const concurrency = props.reservedConcurrentExecutions ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`SlackNotifier '${this.node.path}': reservedConcurrentExecutions must be a whole number ≥ 1 (got ${concurrency})`);
    }
    const environment: Record<string, string> = { [HANDLER_ENV.webhookSecretArn]: props.webhookSecret.secretArn };
    const secrets = [props.webhookSecret];
    for (const w of props.severityWebhooks ?? []) {
      const key = `${HANDLER_ENV.severitySecretArnPrefix}${w.severity}`;
      if (key in environment) throw new Error(`SlackNotifier '${this.node.path}': two severityWebhooks for ${w.severity}`);
      environment[key] = w.secret.secretArn;
      secrets.push(w.secret);
    }
    for (const m of props.mentions ?? []) {
      if (!isSlackMention(m.mention)) {
        throw new Error(`SlackNotifier '${this.node.path}': mention "${m.mention}" for ${m.severity} is not a Slack mention; ` +
          'use <!subteam^S0123ABCD> (user group), <@U0123ABCD> (user), <!here> or <!channel>');
      }
      const key = `${HANDLER_ENV.mentionPrefix}${m.severity}`;
      environment[key] = environment[key] ? `${environment[key]} ${m.mention}` : m.mention;
    }

    // From an escalation policy file: who is paged and when it escalates, shown in the message.
    for (const e of escalationsOf(props.routing?.escalationPolicy?.routing ?? [])) {
      environment[`${HANDLER_ENV.escalationPrefix}${e.severity}`] = e.text;
    }

    const bundle = handlerBundle();
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

    // Our own role, so it carries exactly: write its log group, read its secrets, send to its queue.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Posts alarm notifications to Slack (${this.node.path})`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));

    this.function = new lambda.Function(this, 'Function', {
      description: 'Posts CloudWatch alarm notifications to Slack with severity, runbook and first move',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(bundle.dir),
      memorySize: 256,
      timeout: props.timeout ?? Duration.seconds(60),
      reservedConcurrentExecutions: concurrency,
      retryAttempts,
      maxEventAge: props.maxEventAge ?? Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.failureQueue),
      role,
      logGroup: this.logGroup,
      environment,
    });
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

    if (props.routing) registerPageTopic(this, props.routing.pageTopic);
    const topics = [...(props.routing?.topics ?? []), ...(props.topics ?? [])];
    for (const topic of new Set(topics)) topic.addSubscription(new subscriptions.LambdaSubscription(this.function));

    const failureRunbook = props.failureRunbook ?? defaultFailureRunbook(this.node.path);
    this.failureAlarm = new RunbookAlarm(this, 'FailureAlarm', {
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
        this.failureAlarm.addAlarmAction(new cwActions.SnsAction(topic));
        this.failureAlarm.addOkAction(new cwActions.SnsAction(topic));
      } else {
        Annotations.of(this).addWarningV2('cdk-runbook-alarms:slack-notifier-unrouted',
          'The SlackNotifier has no routing and no topics: its failure alarm reaches no one; pass failureAlarmRouting');
      }
    }
  }
}
