import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { pageSpikeRule } from '../../lib/alarm-rules';
import { PAGE, compositeAlarm, contract, metricAlarm, page } from './alarm-builders';

describe('IncidentReadiness-PageSpike', () => {
  test('compliant: a page needing 3 of 5 datapoints, or 3 periods; non-pages and composites are not checked', () => {
    expect(pageSpikeRule.check(page(), {})).toEqual([]);
    expect(pageSpikeRule.check(page({ DatapointsToAlarm: undefined, EvaluationPeriods: 3 }), {})).toEqual([]);
    expect(pageSpikeRule.check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }), EvaluationPeriods: 1 }), {})).toEqual([]);
    expect(pageSpikeRule.check(compositeAlarm({ AlarmDescription: contract({ severity: Severity.SEV1 }), AlarmActions: [PAGE] }), {})).toEqual([]);
  });

  test('warns: a page on one evaluation period', () => {
    const [f] = pageSpikeRule.check(page({ EvaluationPeriods: 1, DatapointsToAlarm: undefined }), {});
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageSpike', level: FindingLevel.WARNING });
  });

  test('warns: a page with DatapointsToAlarm 1 out of several periods', () => {
    expect(pageSpikeRule.check(page({ EvaluationPeriods: 5, DatapointsToAlarm: 1 }), {})).toHaveLength(1);
  });
});
