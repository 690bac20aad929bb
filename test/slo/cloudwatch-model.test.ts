// The CloudWatch model the replay trusts, checked against what CloudWatch documents (see the header
// of ./cloudwatch-model.ts for the sources): if the model is wrong, the replay proves nothing.
import { MetricStore, evaluate, evaluateDatapoints, parseAlarmRule, parseExpression, replay } from '../support/cloudwatch-model';

const M = { namespace: 'Test', metricName: 'Errors' };
const S = { namespace: 'Test', metricName: 'Suppress' };

const alarm = (over: Record<string, unknown> = {}) => ({ evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 0, comparison: 'GreaterThanThreshold', treatMissingData: 'missing', ...over });

describe('metric alarm evaluation', () => {
  test('M of N: ALARM when at least DatapointsToAlarm of the newest EvaluationPeriods breach (not necessarily in a row)', () => {
    const a = alarm({ evaluationPeriods: 5, datapointsToAlarm: 3 });
    expect(evaluateDatapoints(a, [1, 1, 0, 1, 0, 0, 0], 'OK')).toBe('ALARM');
    expect(evaluateDatapoints(a, [1, 0, 0, 1, 0, 1, 1], 'OK')).toBe('OK'); // the breaches beyond the newest 5 do not count
  });

  test('missing data, when N real datapoints are in the evaluation range: the newest N real ones decide, TreatMissingData unused', () => {
    for (const treatMissingData of ['missing', 'ignore', 'breaching', 'notBreaching']) {
      expect(evaluateDatapoints(alarm({ evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData }), [undefined, 5, 0], 'OK')).toBe('ALARM');
      expect(evaluateDatapoints(alarm({ evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData }), [undefined, 0, 5], 'ALARM')).toBe('OK');
    }
  });

  test('missing data, with fewer real datapoints than N: filled as breaching or not breaching; none at all is INSUFFICIENT_DATA (missing) or no change (ignore)', () => {
    const few = [undefined, 5, undefined, undefined, undefined];
    expect(evaluateDatapoints(alarm({ treatMissingData: 'breaching' }), few, 'OK')).toBe('ALARM');
    expect(evaluateDatapoints(alarm({ treatMissingData: 'notBreaching' }), few, 'ALARM')).toBe('OK');
    const none = [undefined, undefined, undefined, undefined, undefined];
    expect(evaluateDatapoints(alarm({ treatMissingData: 'missing' }), none, 'ALARM')).toBe('INSUFFICIENT_DATA');
    expect(evaluateDatapoints(alarm({ treatMissingData: 'ignore' }), none, 'ALARM')).toBe('ALARM');
    expect(evaluateDatapoints(alarm({ treatMissingData: 'breaching' }), none, 'OK')).toBe('ALARM');
    expect(evaluateDatapoints(alarm({ treatMissingData: 'notBreaching' }), none, 'ALARM')).toBe('OK');
  });
});

describe('metric data and metric math', () => {
  test('statistics over a period; PR(lo:hi) counts values above lo and at or below hi, in percent', () => {
    const store = new MetricStore();
    store.addSamples(M, 0, [[100, 6], [300, 2], [301, 2]]);
    store.add(S, 0, 4, 3);
    expect(store.statistic(M, 'PR(:300)', 0, 1)).toBe(80);
    expect(store.statistic(M, 'PR(100:300)', 0, 1)).toBe(20);
    expect(store.statistic(M, 'SampleCount', 0, 1)).toBe(10);
    expect(store.statistic(S, 'Sum', 0, 1)).toBe(12);
    expect(store.statistic(S, 'Average', 0, 1)).toBe(4);
    expect(store.statistic(S, 'Sum', 1, 2)).toBeUndefined(); // no sample: no datapoint
  });

  test('FILL gives every timestamp a value; IF picks per timestamp; series meet where both have a datapoint; x / 0 is no datapoint', () => {
    const series = (entries: Array<[number, number]>) => new Map(entries);
    const ids = (name: string) => ({ bad: series([[2, 5]]), valid: series([[1, 0], [2, 100], [3, 50]]) })[name]!;
    const grid = [1, 2, 3];
    expect(evaluate(parseExpression('FILL(bad, 0)'), ids, grid)).toEqual(series([[1, 0], [2, 5], [3, 0]]));
    expect(evaluate(parseExpression('bad / valid'), ids, grid)).toEqual(series([[2, 0.05]]));
    expect(evaluate(parseExpression('FILL(bad, 0) / valid'), ids, grid)).toEqual(series([[2, 0.05], [3, 0]]));
    expect(evaluate(parseExpression('IF(valid > 0, 1000 * FILL(bad, 0) / valid, 0)'), ids, grid)).toEqual(series([[1, 0], [2, 50], [3, 0]]));
    expect(evaluate(parseExpression('(100 - 2) * 2 / 4'), ids, grid)).toBe(49);
  });
});

describe('composite alarm rules', () => {
  test('NOT binds tightest, then AND, then OR; names may be quoted ARNs', () => {
    const rule = parseAlarmRule('ALARM("arn:aws:cloudwatch:eu-west-1:1:alarm:a") OR ALARM(b) AND NOT OK(c)');
    expect(rule).toEqual({ t: 'or', l: { t: 'state', state: 'ALARM', alarm: 'arn:aws:cloudwatch:eu-west-1:1:alarm:a' },
      r: { t: 'and', l: { t: 'state', state: 'ALARM', alarm: 'b' }, r: { t: 'not', e: { t: 'state', state: 'OK', alarm: 'c' } } } });
    expect(() => parseAlarmRule('ALARM(a) AND')).toThrow(/ends early/);
  });
});

describe('actions and their suppression', () => {
  // A metric alarm X on M (Sum > 0 over 1 minute) and S on S; composite C = ALARM(X), suppressed by S.
  const template = (wait: number, extension: number) => ({
    Resources: {
      X: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'X', Namespace: M.namespace, MetricName: M.metricName, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
        Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' } },
      S: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'S', Namespace: S.namespace, MetricName: S.metricName, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
        Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' } },
      C: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmName: 'C', AlarmRule: { 'Fn::Join': ['', ['ALARM("', { 'Fn::GetAtt': ['X', 'Arn'] }, '")']] },
        ActionsSuppressor: { 'Fn::GetAtt': ['S', 'Arn'] }, ActionsSuppressorWaitPeriod: wait * 60, ActionsSuppressorExtensionPeriod: extension * 60,
        AlarmActions: ['arn:aws:sns:eu-west-1:1:page'], OKActions: ['arn:aws:sns:eu-west-1:1:page'] } },
    },
  });
  const run = (x: number[], s: number[], wait: number, extension: number) => {
    const store = new MetricStore();
    for (const m of x) store.add(M, m, 1);
    for (const m of s) store.add(S, m, 1);
    return replay(template(wait, extension), store, { from: 0, to: 60, ingestionDelayMinutes: 0 }).notifications.filter((n) => n.alarm === 'C' && n.minute > 0)
      .map((n) => `${n.minute} ${n.state}`);
  };

  test('without the suppressor in ALARM, the composite acts once the wait period is over (if still in ALARM)', () => {
    // X breaches in minutes 10..19: ALARM from 11, and C with it, acting at 11 + 2. From minute 20 on X
    // has no data, and the newest real datapoint of its evaluation range (3 periods) is still the
    // breaching minute 19 until minute 23: only then is it OK (notBreaching fills only when fewer
    // real datapoints than EvaluationPeriods are left).
    expect(run(range(10, 20), [], 2, 5)).toEqual(['13 ALARM', '23 OK']);
    // One breaching minute keeps X in ALARM 11..13; with a 5-minute wait C is OK again (14) before acting.
    expect(run([10], [], 5, 5)).toEqual([]);
  });

  test('the suppressor entering ALARM during the wait suppresses the actions; after it leaves, the extension period holds them', () => {
    // S breaches 11..29 (ALARM 12..32, OK at 33); C in ALARM 11..42: it acts at 33 + 5, then on its OK at 43.
    expect(run(range(10, 40), range(11, 30), 2, 5)).toEqual(['38 ALARM', '43 OK']);
    // C back to OK (at 36) during the extension: it never acted on ALARM, so no OK either.
    expect(run(range(10, 33), range(11, 30), 2, 5)).toEqual([]);
  });

  test('an alarm whose evaluation range breaks PutMetricAlarm limits is refused (under an hour: 1 day; else 7 days)', () => {
    const t = { Resources: { A: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 300, EvaluationPeriods: 289,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' } } } };
    expect(() => replay(t, new MetricStore(), { from: 0, to: 1 })).toThrow(/Period × EvaluationPeriods exceeds CloudWatch's limit/);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
