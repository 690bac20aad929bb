// The alarm's state now, as CloudWatch has it (DescribeAlarms): a fired escalation timer asks it
// before paging, because the incident record only knows the notifications that arrived, and SNS
// may still be retrying the OK. Through the SDK the Lambda runtime ships, loaded on first use.
import { alarmLocation, arnLocation } from '../../notification/console-link';
import type { AlarmNotification } from '../../notification/sns-message';
import { SHORT_CALLS, awsCallError, lazySdk } from '../shared/runtime';

/** What CloudWatch says of the alarm now. */
export type AlarmStateNow =
  /** It exists, in `state` (`ALARM`, `OK`, `INSUFFICIENT_DATA`), since `since` (epoch ms) when known. */
  | { readonly kind: 'found'; readonly state: string; readonly type: string; readonly since?: number }
  /** No alarm of that name in the alarm's account and region: it was deleted. */
  | { readonly kind: 'missing' }
  /** Not asked: this function cannot see the alarm (another account); `why` says so. */
  | { readonly kind: 'unchecked'; readonly why: string };

/** Reads an alarm's current state. Throws (an AwsCallError) when CloudWatch cannot be asked. */
export interface AlarmStates {
  current(alarmName: string, region: string | undefined): Promise<AlarmStateNow>;
}

/**
 * Asks `states` about the alarm of notification `n`, in the alarm's region. An alarm of another
 * account than this function's (`functionArn`) is not asked about: this account would say it does
 * not exist, and a missing alarm escalates nobody.
 */
export async function alarmStateNow(states: AlarmStates, n: AlarmNotification, functionArn: string | undefined): Promise<AlarmStateNow> {
  const alarmAccount = arnLocation(n.alarmArn)?.account ?? n.accountId;
  const own = arnLocation(functionArn)?.account;
  if (own && alarmAccount && alarmAccount !== own) return { kind: 'unchecked', why: `the alarm is in account ${alarmAccount}, not this function's` };
  return states.current(n.alarmName, alarmLocation(n.alarmArn, n.topicArn, n.regionName).region);
}

interface CloudWatchSdk {
  client(region: string | undefined): { send(command: unknown): Promise<DescribeAlarmsAnswer> };
  DescribeAlarmsCommand: new (input: unknown) => unknown;
}

type Described = { AlarmName?: string; StateValue?: string; StateUpdatedTimestamp?: Date };
interface DescribeAlarmsAnswer {
  MetricAlarms?: Described[];
  CompositeAlarms?: Described[];
  LogAlarms?: Described[];
}

/** Every alarm type DescribeAlarms knows: without AlarmTypes it returns metric alarms only. */
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm', 'LogAlarm'];

/** Amazon CloudWatch, one client per region asked. */
export class CloudWatchAlarmStates implements AlarmStates {
  private readonly load = lazySdk('@aws-sdk/client-cloudwatch', (m: typeof import('@aws-sdk/client-cloudwatch')): CloudWatchSdk => {
    const clients = new Map<string, ReturnType<CloudWatchSdk['client']>>();
    return {
      client: (region) => {
        let c = clients.get(region ?? '');
        if (!c) clients.set(region ?? '', c = new m.CloudWatchClient({ ...SHORT_CALLS, ...(region ? { region } : {}) }) as unknown as ReturnType<CloudWatchSdk['client']>);
        return c;
      },
      DescribeAlarmsCommand: m.DescribeAlarmsCommand as unknown as CloudWatchSdk['DescribeAlarmsCommand'],
    };
  });

  async current(alarmName: string, region: string | undefined): Promise<AlarmStateNow> {
    const sdk = await this.load().catch((err) => { throw awsCallError(err, 'the CloudWatch client could not be loaded'); });
    let out: DescribeAlarmsAnswer;
    try {
      out = await sdk.client(region).send(new sdk.DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ALARM_TYPES }));
    } catch (err) {
      throw awsCallError(err, `describing alarm ${alarmName}`);
    }
    const kinds: Array<[string, Described[] | undefined]> = [['MetricAlarm', out.MetricAlarms], ['CompositeAlarm', out.CompositeAlarms], ['LogAlarm', out.LogAlarms]];
    for (const [type, alarms] of kinds) {
      const a = alarms?.find((x) => x.AlarmName === alarmName);
      if (a) {
        if (typeof a.StateValue !== 'string') throw awsCallError(new Error('the alarm was described without a state'), `describing alarm ${alarmName}`);
        const since = a.StateUpdatedTimestamp instanceof Date ? a.StateUpdatedTimestamp.getTime() : undefined;
        return { kind: 'found', state: a.StateValue, type, ...(since !== undefined && !Number.isNaN(since) ? { since } : {}) };
      }
    }
    return { kind: 'missing' };
  }
}
