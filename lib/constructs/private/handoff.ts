// The handoff messages of the SlackNotifier (Slack app mode, a policy whose rotations it pages):
// one EventBridge Scheduler schedule per rotation at its handoff time in its time zone (daily, or
// weekly on the handoff's weekday for shifts of whole weeks), invoking the handoff function, which
// posts who hands over to whom and the incidents still unresolved. A notifier that pages no
// rotation gets one weekly schedule instead (the weekly report: the week's numbers, what is open),
// at the policy's `oncall: handoff:` weekday and time, else Monday 09:00. The function's role reads
// the incident table (a whole read: Scan) and the bot token; the schedules' role invokes that
// function only. Created in the notifier's scope, so the resources keep the notifier's construct ids.
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RotationSchedule, compileRotation, Rotation, parseHandoff } from '../../core/rotation';
import { FunctionConfig } from '../../functions/shared/config';
import type { WeeklyReportInput } from '../../functions/handoff/index';
import { EscalationPolicy } from '../../policy/policy';
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
  /** No rotation: the weekly report's time (one schedule). @default - none */
  readonly weekly?: WeeklyReportTime;
}

/** When the weekly report is posted: ISO weekday (1 = Monday), minutes after midnight, in a time zone. */
export interface WeeklyReportTime {
  readonly weekday: number;
  readonly minutes: number;
  readonly timeZone: string;
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

const JA_WEEKDAYS = '月火水木金土日';

/**
 * The weekday and time `oncall: handoff:` starts with (`Monday 10:00, hand over …`, `Mon 10:00`,
 * `every Friday 16:30`, or the SRE guide's `毎週月曜 10:00、…`), undefined when it starts with neither.
 */
export function handoffNoteTime(note: string): { weekday: number; minutes: number } | undefined {
  const en = /^\s*(?:every\s+)?([a-z]+\.?,?\s+\d{1,2}:\d{2})(?![\d:])/i.exec(note);
  const ja = /^\s*(?:毎週)?([月火水木金土日])曜日?\s*(\d{1,2}:\d{2})(?![\d:])/.exec(note);
  const at = en ? parseHandoff(en[1]) : ja ? parseHandoff(`${['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][JA_WEEKDAYS.indexOf(ja[1])]} ${ja[2]}`) : undefined;
  return at?.weekday === undefined ? undefined : { weekday: at.weekday, minutes: at.minutes };
}

/**
 * When the weekly report is posted: the weekday and time the policy's `oncall: handoff:` starts
 * with, else Monday 09:00; in `timeZone` (the team's: the postmortem rules'). A note that says no
 * time is left as it is, said once at synth as an info.
 */
export function weeklyReportTime(scope: Construct, policy: EscalationPolicy | undefined, timeZone: string): WeeklyReportTime {
  const note = policy?.oncall?.handoff;
  const at = note === undefined ? undefined : handoffNoteTime(note);
  if (note !== undefined && !at) {
    Annotations.of(scope).addInfo(`${policy!.file}: oncall.handoff "${note.slice(0, 80)}" does not start with a weekday and a time (e.g. "Monday 10:00, …"): ` +
      `the weekly on-call report is posted on Mondays at 09:00 (${timeZone}) (docs/on-call-health.md#the-weekly-report)`);
  }
  return { ...(at ?? { weekday: 1, minutes: 9 * 60 }), timeZone };
}

export function createHandoffs(scope: Construct, parts: HandoffParts): Handoffs {
  const stack = Stack.of(scope);
  const logGroup = new logs.LogGroup(scope, 'HandoffLogs', { retention: parts.logRetention });
  const what = parts.weekly ? 'the weekly on-call report' : 'on-call handoffs';
  const role = functionRole(scope, 'HandoffRole', `Posts ${what} (${scope.node.path})`, logGroup, [parts.botToken], undefined);
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
    description: parts.weekly ? 'Posts the weekly on-call report: the week\'s numbers, and the incidents still unresolved'
      : 'Posts on-call handoffs: who hands over to whom, and the incidents still unresolved',
    role,
    logGroup,
    timeout: Duration.seconds(60),
  });
  fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new destinations.SqsDestination(parts.failureQueue) });

  const schedulerRole = new iam.Role(scope, 'HandoffSchedulerRole', {
    description: `EventBridge Scheduler invokes the ${parts.weekly ? 'weekly report' : 'handoff'} function of ${scope.node.path}`,
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
  const w = parts.weekly;
  if (w) {
    const [hour, minute] = [Math.floor(w.minutes / 60), w.minutes % 60];
    const at = `${WEEKDAYS[w.weekday - 1].charAt(0)}${WEEKDAYS[w.weekday - 1].slice(1).toLowerCase()} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const input: WeeklyReportInput = { source: 'cdk-runbook-alarms', kind: 'weekly', at, timeZone: w.timeZone };
    schedules.push(new scheduler.CfnSchedule(scope, 'WeeklyReport', {
      description: `Weekly on-call report (${at}, ${w.timeZone})`,
      scheduleExpression: `cron(${minute} ${hour} ? * ${WEEKDAYS[w.weekday - 1]} *)`,
      scheduleExpressionTimezone: w.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: { arn: fn.functionArn, roleArn: schedulerRole.roleArn, input: JSON.stringify(input), retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 900 } },
    }));
  }
  return { handoffFunction: fn, schedules };
}
