// The handoff messages of the SlackNotifier (Slack app mode, a policy whose rotations it pages):
// one EventBridge Scheduler schedule per rotation at its handoff time in its time zone (daily, or
// weekly on the handoff's weekday for shifts of whole weeks), invoking the handoff function, which
// posts who hands over to whom and the incidents still unresolved. The function's role reads the
// incident table (a whole read: Scan) and the bot token; the schedules' role invokes that function
// only. Created in the notifier's scope, so the resources keep the notifier's construct ids.
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RotationSchedule, compileRotation, Rotation } from '../../core/rotation';
import { FunctionConfig } from '../../functions/shared/config';
import { IncidentTable } from './incident-table';
import { functionRole, notifierFunction } from './notifier-functions';

/** What the handoffs are built from. */
export interface HandoffParts {
  readonly appConfig: FunctionConfig;
  readonly botToken: secretsmanager.ISecret;
  readonly incidents: IncidentTable;
  readonly failureQueue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  readonly rotations: ReadonlyArray<{ readonly name: string; readonly rotation: Rotation }>;
}

/** What the handoffs made. */
export interface Handoffs {
  readonly handoffFunction: lambda.Function;
  readonly schedules: scheduler.CfnSchedule[];
}

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/**
 * The schedule expression of a rotation's handoffs in its own zone: weekly on the handoff's weekday
 * for shifts of whole weeks, else daily (the function posts only on the days a shift changes hands).
 */
export function handoffCron(s: RotationSchedule): string {
  const [hour, minute] = [Math.floor(s.minutes / 60), s.minutes % 60];
  // 1970-01-01 was a Thursday: the first handoff's weekday, Monday = 0.
  const weekday = ((s.firstDay + 3) % 7 + 7) % 7;
  return s.days % 7 === 0 ? `cron(${minute} ${hour} ? * ${WEEKDAYS[weekday]} *)` : `cron(${minute} ${hour} * * ? *)`;
}

export function createHandoffs(scope: Construct, parts: HandoffParts): Handoffs {
  const stack = Stack.of(scope);
  const logGroup = new logs.LogGroup(scope, 'HandoffLogs', { retention: parts.logRetention });
  const role = functionRole(scope, 'HandoffRole', `Posts on-call handoffs (${scope.node.path})`, logGroup, [parts.botToken], undefined);
  // The incidents still open: a whole read of the table (one item per alarm, and claims that expire).
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [parts.incidents.table.tableArn] }));
  // A handoff is posted once: its claim is an item of the table.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [parts.incidents.table.tableArn] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: [parts.incidents.key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` } },
  }));
  const fn = notifierFunction(scope, 'HandoffFunction', 'handoff', parts.appConfig, {
    description: 'Posts on-call handoffs: who hands over to whom, and the incidents still unresolved',
    role,
    logGroup,
    timeout: Duration.seconds(60),
  });
  fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new destinations.SqsDestination(parts.failureQueue) });

  const schedulerRole = new iam.Role(scope, 'HandoffSchedulerRole', {
    description: `EventBridge Scheduler invokes the handoff function of ${scope.node.path}`,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
  });
  schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  const schedules = parts.rotations.map(({ name, rotation }, i) => {
    const s = compileRotation(rotation);
    return new scheduler.CfnSchedule(scope, `Handoff${i}`, {
      description: `On-call handoff of ${name} (${rotation.handoff}, every ${rotation.everyDays} d, ${rotation.timeZone})`.slice(0, 512),
      scheduleExpression: handoffCron(s),
      scheduleExpressionTimezone: rotation.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: fn.functionArn,
        roleArn: schedulerRole.roleArn,
        input: JSON.stringify({ source: 'cdk-runbook-alarms', kind: 'handoff', rotation: name }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 900 },
      },
    });
  });
  return { handoffFunction: fn, schedules };
}
