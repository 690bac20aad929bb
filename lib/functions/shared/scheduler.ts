// The escalation timers: one-time EventBridge Scheduler schedules (at(…), UTC, deleted after they
// fire) in the notifier's schedule group, each invoking the escalation function with the incident
// and level it is for. Through the SDK the Lambda runtime ships, loaded on first use.
import { AwsCallError, SHORT_CALLS, awsCallError, lazySdk } from './runtime';

/** What a timer's schedule hands the escalation function (the schedule's Input, as the event). */
export interface EscalationTimerInput {
  readonly source: 'cdk-runbook-alarms';
  readonly kind: 'escalate';
  readonly alarmKey: string;
  readonly incidentId: string;
  readonly level: number;
  /** The moment the level counts from (epoch ms): a timer whose incident has since re-entered ALARM is stale. */
  readonly since?: number;
}

/** What a postmortem reminder's schedule hands the escalation function. */
export interface PostmortemReminderInput {
  readonly source: 'cdk-runbook-alarms';
  readonly kind: 'postmortem-reminder';
  readonly incidentId: string;
  /** The day before it is due, when it is due, when its outer limit passes. */
  readonly reminder: 'before' | 'due' | 'limit';
}

/** True for an event a postmortem reminder sent. */
export function isPostmortemReminderInput(e: unknown): e is PostmortemReminderInput {
  const x = e as PostmortemReminderInput;
  return typeof x === 'object' && x !== null && x.source === 'cdk-runbook-alarms' && x.kind === 'postmortem-reminder' &&
    typeof x.incidentId === 'string' && x.incidentId.length > 0 && (x.reminder === 'before' || x.reminder === 'due' || x.reminder === 'limit');
}

/** True for an event a timer sent. */
export function isEscalationTimerInput(e: unknown): e is EscalationTimerInput {
  const x = e as EscalationTimerInput;
  return typeof x === 'object' && x !== null && x.source === 'cdk-runbook-alarms' && x.kind === 'escalate' &&
    typeof x.alarmKey === 'string' && typeof x.incidentId === 'string' && Number.isInteger(x.level) && x.level >= 1;
}

/** Cancels escalation timers: all an acknowledgement does with them. */
export interface ScheduleCanceller {
  /** Deletes the schedule `name`; `gone` when there is none (it fired, or was deleted). */
  cancel(name: string): Promise<'deleted' | 'gone'>;
}

/** Sets and cancels escalation timers. */
export interface EscalationScheduler extends ScheduleCanceller {
  /** Creates the one-time schedule `name` firing at `at` (epoch ms) with `input`; `exists` when it already does. */
  schedule(name: string, at: number, input: EscalationTimerInput | PostmortemReminderInput, targetArn?: string): Promise<'created' | 'exists'>;
}

/** `at(2026-11-23T02:19:00)`: the expression of a one-time schedule, in UTC, to the second. */
export function atExpression(at: number): string {
  return `at(${new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19)})`;
}

interface SchedulerSdk {
  client: { send(command: unknown): Promise<unknown> };
  CreateScheduleCommand: new (input: unknown) => unknown;
  DeleteScheduleCommand: new (input: unknown) => unknown;
}

/** How the timers are created. */
export interface EventBridgeSchedulerOptions {
  readonly group: string;
  /** The role Scheduler assumes to invoke the target. */
  readonly roleArn: string;
  /** The escalation function (a call may name another, e.g. the function itself from its context). */
  readonly targetArn?: string;
}

/**
 * Cancels timers on EventBridge Scheduler: what the interactivity function needs (an acknowledgement
 * stops escalation; only the escalation function sets timers, so its bundle alone carries that part).
 */
export class EventBridgeScheduleCanceller implements ScheduleCanceller {
  protected readonly load = lazySdk('@aws-sdk/client-scheduler', (m: typeof import('@aws-sdk/client-scheduler')): SchedulerSdk => ({
    client: new m.SchedulerClient(SHORT_CALLS) as unknown as SchedulerSdk['client'],
    CreateScheduleCommand: m.CreateScheduleCommand as unknown as SchedulerSdk['CreateScheduleCommand'],
    DeleteScheduleCommand: m.DeleteScheduleCommand as unknown as SchedulerSdk['DeleteScheduleCommand'],
  }));

  constructor(protected readonly o: EventBridgeSchedulerOptions) {}

  async cancel(name: string): Promise<'deleted' | 'gone'> {
    const sdk = await this.load().catch((err) => { throw awsCallError(err, 'the Scheduler client could not be loaded'); });
    try {
      await sdk.client.send(new sdk.DeleteScheduleCommand({ Name: name, GroupName: this.o.group }));
      return 'deleted';
    } catch (err) {
      if ((err as { name?: string })?.name === 'ResourceNotFoundException') return 'gone';
      throw awsCallError(err, 'deleting the escalation timer');
    }
  }
}

/** Timers on EventBridge Scheduler: set and cancelled. */
export class EventBridgeScheduler extends EventBridgeScheduleCanceller implements EscalationScheduler {
  async schedule(name: string, at: number, input: EscalationTimerInput | PostmortemReminderInput, targetArn?: string): Promise<'created' | 'exists'> {
    const arn = targetArn ?? this.o.targetArn;
    if (!arn) throw new AwsCallError('creating the escalation timer: no escalation function ARN is configured', undefined);
    const sdk = await this.load().catch((err) => { throw awsCallError(err, 'the Scheduler client could not be loaded'); });
    try {
      await sdk.client.send(new sdk.CreateScheduleCommand({
        Name: name,
        GroupName: this.o.group,
        Description: input.kind === 'escalate' ? `Escalates incident ${input.incidentId} to level ${input.level} unless acknowledged`
          : `Reminds incident ${input.incidentId}'s thread of its postmortem (${input.reminder}) unless it is linked`,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        State: 'ENABLED',
        Target: {
          Arn: arn,
          RoleArn: this.o.roleArn,
          Input: JSON.stringify(input),
          // Late is better than never, but an escalation hours late is noise: one hour of retries.
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
        },
      }));
      return 'created';
    } catch (err) {
      if ((err as { name?: string })?.name === 'ConflictException') return 'exists';
      throw awsCallError(err, 'creating the escalation timer');
    }
  }
}
