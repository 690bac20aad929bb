// Acknowledgement and escalation of the SlackNotifier: a schedule group for the timers, the role
// Scheduler invokes with (the escalation function only), the escalation function (re-checks,
// pages, sets the next timer) and the interactivity function behind a function URL (Slack's signed
// button clicks). Each role carries only what its function does. Created in the notifier's scope,
// so the resources keep the notifier's construct ids.
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FunctionConfig } from '../../functions/shared/config';
import { IncidentTable } from './incident-table';
import { wildcardResourceFinding } from './nag-resource';
import { functionRole, notifierFunction } from './notifier-functions';

/** What escalation is built from. */
export interface EscalationParts {
  /** What every function of the app mode is told (token, channels, table, plan, messages). */
  readonly appConfig: FunctionConfig;
  readonly botToken: secretsmanager.ISecret;
  readonly signingSecret: secretsmanager.ISecret;
  /** The escalation plan's contacts' topics: the escalation function may publish to these only. */
  readonly topicArns: readonly string[];
  readonly incidents: IncidentTable;
  readonly failureQueue: sqs.IQueue;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly interactivityConcurrency: number;
}

/** What escalation made. */
export interface Escalation {
  readonly escalationFunction: lambda.Function;
  readonly interactivityFunction: lambda.Function;
  readonly interactivityUrl: string;
  readonly schedules: scheduler.ScheduleGroup;
}

/** Creating and deleting schedules in the escalation group only; passing the scheduler role (to Scheduler only). */
function grantTimers(role: iam.Role, schedules: string, schedulerRole: iam.IRole | undefined, actions: string[]): void {
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

export function createEscalation(scope: Construct, parts: EscalationParts): Escalation {
  const stack = Stack.of(scope);
  const group = new scheduler.ScheduleGroup(scope, 'EscalationSchedules', { removalPolicy: RemovalPolicy.DESTROY });
  const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${group.scheduleGroupName}/*` });

  // The escalation function: invoked by its timers (and asked by the notifier to keep them).
  const escalationLogs = new logs.LogGroup(scope, 'EscalationLogs', { retention: parts.logRetention });
  const escalationRole = functionRole(scope, 'EscalationRole', `Escalates unacknowledged pages (${scope.node.path})`, escalationLogs, [parts.botToken], parts.incidents);
  const schedulerRole = new iam.Role(scope, 'SchedulerRole', {
    description: `EventBridge Scheduler invokes the escalation function of ${scope.node.path}`,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      // Only this account's schedules of this group may use it (Scheduler names the group as the source).
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': group.scheduleGroupArn } },
    }),
  });
  const escalationFunction = notifierFunction(scope, 'EscalationFunction', 'escalation',
    { ...parts.appConfig, scheduleGroup: group.scheduleGroupName, schedulerRoleArn: schedulerRole.roleArn }, {
      description: 'Escalates SEV pages nobody acknowledged; asks for postmortems and reminds of them',
      role: escalationRole,
      logGroup: escalationLogs,
      timeout: parts.timeout,
    });
  // Asynchronous invocations (timers, the notifier's requests) retry, then park in the failure queue, whose alarm pages.
  escalationFunction.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new destinations.SqsDestination(parts.failureQueue) });
  schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [escalationFunction.functionArn] }));
  grantTimers(escalationRole, schedules, schedulerRole, ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
  if (parts.topicArns.length > 0) {
    escalationRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [...parts.topicArns] }));
  }
  // Before paging, the alarm's state now (its OK may still be on its way). DescribeAlarms returns
  // composite alarms only to a grant on *, and reads nothing but alarm definitions and states.
  escalationRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }));
  Validations.of(escalationRole).acknowledge({
    id: wildcardResourceFinding(escalationRole, 'AwsSolutions-IAM5', '*'),
    reason: 'cloudwatch:DescribeAlarms, read-only, is the only action on *: the escalation function asks an alarm\'s current state before paging. ' +
      'CloudWatch returns composite alarms only when the permission is scoped to *, and alarm names come from notifications at run time.',
  });

  // The interactivity function: Slack's button clicks, through a public URL that acts only on signed requests.
  const interactivityLogs = new logs.LogGroup(scope, 'InteractivityLogs', { retention: parts.logRetention });
  const interactivityRole = functionRole(scope, 'InteractivityRole', `Takes Slack's signed button clicks: acknowledgements, postmortem links (${scope.node.path})`,
    interactivityLogs, [parts.botToken, parts.signingSecret], parts.incidents);
  const interactivityFunction = notifierFunction(scope, 'InteractivityFunction', 'interactivity',
    { ...parts.appConfig, signingSecretArn: parts.signingSecret.secretArn, scheduleGroup: group.scheduleGroupName, escalationFunctionArn: escalationFunction.functionArn }, {
      description: 'Slack interactivity: records acknowledgements of pages and postmortem links or reasons (signed requests only)',
      role: interactivityRole,
      logGroup: interactivityLogs,
      // Slack waits 3 s for the answer; the function answers within 2.5 s, and never needs more than this.
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: parts.interactivityConcurrency,
    });
  grantTimers(interactivityRole, schedules, undefined, ['scheduler:DeleteSchedule']);
  // A parent it cannot bring up to date within Slack's three seconds is handed to the escalation function.
  interactivityRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [escalationFunction.functionArn] }));
  const url = interactivityFunction.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  new CfnOutput(scope, 'InteractivityRequestUrl', {
    value: url.url,
    description: `Slack app → Interactivity & Shortcuts → Request URL (${scope.node.path})`,
  });
  return { escalationFunction, interactivityFunction, interactivityUrl: url.url, schedules: group };
}
