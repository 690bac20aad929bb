// When the trouble began, read from what CloudWatch says in a notification (real samples and the
// reason's other shapes): the time to detect is the state change minus this.
import * as path from 'path';
import { breachStart } from '../../lib/notification/breach';
import { cloudWatchTime, notificationsFromEvent } from '../../lib/notification/sns-message';
import { SNS_FIXTURES, readJson } from '../support/slack';

const at = (iso: string) => Date.parse(iso);

test('a real notification: its one datapoint\'s time (dd/MM/yy, UTC, the start of its period)', () => {
  const [n] = notificationsFromEvent(readJson(path.join(SNS_FIXTURES, 'terraform-aws-notify-slack', 'messages', 'cloudwatch_alarm.json')));
  const changed = cloudWatchTime(n.stateChangeTime)!;
  expect(breachStart(n, changed)).toBe(at('2019-02-12T15:44:00Z'));
  expect((changed - breachStart(n, changed)!) / 1000).toBeCloseTo(84.006);
});

test('a real notification whose reason names no time: unknown', () => {
  const [n] = notificationsFromEvent(readJson(path.join(SNS_FIXTURES, 'lambda-cloudwatch-slack', 'sns-cloudwatch-event.json')));
  expect(n.reason).toMatch(/1 datapoint \(10\.0\)/);
  expect(breachStart(n, cloudWatchTime(n.stateChangeTime)!)).toBeUndefined();
});

test('several datapoints (newest first, as CloudWatch lists them): the earliest', () => {
  const reason = 'Threshold Crossed: 3 out of the last 5 datapoints [1210.0 (23/11/26 02:13:00), 1180.0 (23/11/26 02:12:00), 1050.0 (23/11/26 02:10:00)] ' +
    'were greater than the threshold (1000.0) (minimum 3 datapoints for OK -> ALARM transition).';
  expect(breachStart({ alarmName: 'A', newState: 'ALARM', reason }, at('2026-11-23T02:14:05Z'))).toBe(at('2026-11-23T02:10:00Z'));
});

test('missing data treated as breaching: the periods it names times the period', () => {
  const reason = 'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].';
  const n = { alarmName: 'A', newState: 'ALARM', reason, metric: { dimensions: [], period: 60 } };
  expect(breachStart(n, at('2026-11-23T02:14:00Z'))).toBe(at('2026-11-23T02:11:00Z'));
  expect(breachStart({ ...n, metric: undefined }, at('2026-11-23T02:14:00Z'))).toBeUndefined();
});

test('times after the state change, impossible dates and no reason: ignored', () => {
  const changed = at('2026-11-23T02:14:00Z');
  expect(breachStart({ alarmName: 'A', newState: 'ALARM', reason: '1 datapoint [5 (23/11/26 02:20:00)]' }, changed)).toBeUndefined();
  expect(breachStart({ alarmName: 'A', newState: 'ALARM', reason: '1 datapoint [5 (23/13/26 02:00:00)], 2 (22/11/26 23:00:00)' }, changed)).toBe(at('2026-11-22T23:00:00Z'));
  expect(breachStart({ alarmName: 'A', newState: 'ALARM' }, changed)).toBeUndefined();
});
