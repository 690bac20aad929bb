// The example app's stack: a payments service with its two classic failure scenarios.
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns_subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertRouting, OnCallDashboard, Runbook, RunbookAlarm, ServiceLevelObjective, Severity, SlackNotifier, SloIndicator } from '../lib';

export class PaymentsStack extends Stack {
  public readonly routing: AlertRouting;
  public readonly slack: SlackNotifier;
  public readonly webhookSlo: ServiceLevelObjective;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Who is paged (a weekly rotation), after how long an unacknowledged page escalates, and to whom (escalation-policy.yaml).
    this.routing = AlertRouting.fromFile(this, 'Routing', 'escalation-policy.yaml');
    // Pages reach the on-call engineer by a path that does not depend on Slack (in real life a
    // PagerDuty or Opsgenie HTTPS endpoint): so the SlackNotifier's own failure page, which goes to
    // this topic, reaches a human even when Slack is what is broken.
    this.routing.pageTopic.addSubscription(new sns_subscriptions.EmailSubscription('payments-oncall@example.com'));

    // Every alert also reaches the team in Slack, with its severity, runbook and first move, as a
    // Slack app: one thread per incident whose first message is kept up to date in place (RESOLVED
    // after 23 min, postmortem due), incidents kept in a DynamoDB table the notifier creates. The
    // bot token lives in Secrets Manager (referenced by name: synth stays offline). The policy's
    // words are carried out: whoever is on call when a page opens is mentioned and paged through
    // their SNS topic; SEV1 incidents open in #incidents (its notify channel) and mention the
    // incident responders' user group. Pages carry an Acknowledge button (Slack's signed clicks
    // reach a function URL; the signing secret is in Secrets Manager too); a page nobody
    // acknowledges escalates by the policy: SEV1 to the secondary after 5 min, then to the team
    // lead, SEV2 to the secondary after 15 min. At each Monday 10:00 handoff the channel is told
    // who takes over and which incidents are still open.
    this.slack = new SlackNotifier(this, 'SlackNotifier', {
      slackApp: {
        botTokenSecret: secretsmanager.Secret.fromSecretNameV2(this, 'SlackBotToken', 'payments/slack-bot-token'),
        channel: 'C0PAYMENTS1', // #payments-alerts
        escalation: {
          signingSecret: secretsmanager.Secret.fromSecretNameV2(this, 'SlackSigningSecret', 'payments/slack-signing-secret'),
        },
      },
      routing: this.routing,
      mentions: [{ severity: Severity.SEV1, mention: '<!subteam^S0PAYMENTSIC>' }],
      failureRunbook: Runbook.fromFile('runbooks/slack-notifier-failures.md'),
      owner: 'payments',
    });

    // On-call health at a glance: MTTA and MTTR (p50, p90) per severity against the response
    // targets, pages per day and per 12 hours against the limit of 2, from the notifier's metrics.
    // The numbers in full, with pictures: `npx runbook-alarms report --table <incident table>`.
    new OnCallDashboard(this, 'OnCallDashboard', { notifier: this.slack, dashboardName: 'payments-on-call' });

    const deadLetters = new sqs.Queue(this, 'WebhookDeadLetters', {
      queueName: 'payment-webhooks-dlq',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const webhooks = new sqs.Queue(this, 'Webhooks', {
      queueName: 'payment-webhooks',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });

    // Scenario 1: webhooks pile up faster than the consumer drains them (SEV2).
    new RunbookAlarm(this, 'WebhookBacklog', {
      alarmName: 'Payments/WebhookBacklog',
      severity: Severity.SEV2,
      runbook: Runbook.fromFile('runbooks/payment-webhook-backlog.md'),
      summary: 'Payment webhooks are piling up; charges are not being processed.',
      metric: webhooks.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1000,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      routing: this.routing,
    });

    // Scenario 2: the database runs out of connections; checkouts fail (SEV1).
    new RunbookAlarm(this, 'DbConnectionsExhausted', {
      alarmName: 'Payments/DbConnectionsExhausted',
      severity: Severity.SEV1,
      runbook: Runbook.fromFile('runbooks/db-connection-exhaustion.md'),
      summary: 'payments-db is at its connection limit; checkouts and refunds fail.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName: 'DatabaseConnections',
        dimensionsMap: { DBClusterIdentifier: 'payments-db' },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: 900,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No data from the writer means it is down or unreachable: that is the same emergency.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      routing: this.routing,
    });

    // The promise behind those alarms: 99.9 % of payment webhooks are processed, over 30 days. Its
    // burn-rate alerts page (SEV2, with the backlog runbook and its first move) when 2 % of the error
    // budget burns in an hour or 5 % in six, and open a ticket when three days burn faster than the
    // budget allows. The webhook consumer publishes both counts (Payments/WebhooksReceived and
    // WebhooksFailed); `runbook-alarms budget` reads the budget left from CloudWatch in the deploy pipeline.
    const webhookEvents = (metricName: string) => new cloudwatch.Metric({
      namespace: 'Payments', metricName, dimensionsMap: { Service: 'webhook-consumer' }, statistic: 'Sum',
    });
    this.webhookSlo = new ServiceLevelObjective(this, 'WebhookAvailability', {
      sloName: 'Payments/WebhookAvailability',
      description: 'Payment webhooks are processed',
      indicator: SloIndicator.availability({ badEvents: webhookEvents('WebhooksFailed'), validEvents: webhookEvents('WebhooksReceived') }),
      target: 99.9,
      period: Duration.days(30),
      runbook: Runbook.fromFile('runbooks/payment-webhook-backlog.md'),
      routing: this.routing,
    });
    // The team's dashboard (the runbook's "payments-overview"): the queue and what is left of the budget.
    new cloudwatch.Dashboard(this, 'Overview', {
      dashboardName: 'payments-overview',
      widgets: [[
        new cloudwatch.GraphWidget({ title: 'Webhook queue depth', left: [webhooks.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })] }),
        this.webhookSlo.errorBudgetWidget(),
        this.webhookSlo.burnRateWidget(),
      ]],
    });

    // A SEV3: one webhook failed five times; business hours, channel only.
    new RunbookAlarm(this, 'WebhookDeadLettersAlarm', {
      alarmName: 'Payments/WebhookDeadLetters',
      severity: Severity.SEV3,
      runbook: Runbook.fromFile('runbooks/payment-webhook-dlq.md'),
      summary: 'A payment webhook failed five times and is parked in the dead-letter queue.',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      routing: this.routing,
    });
  }
}
