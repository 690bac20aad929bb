import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { missingDataRule } from '../../lib/alarm-rules';
import { compositeAlarm, contract, metricAlarm, page } from './alarm-builders';

describe('IncidentReadiness-MissingData', () => {
  test('compliant: TreatMissingData set; composites have none to set', () => {
    expect(missingDataRule.check(page(), {})).toEqual([]);
    expect(missingDataRule.check(compositeAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }) }), {})).toEqual([]);
  });

  test('warns: a metric alarm that leaves it to the default', () => {
    const [f] = missingDataRule.check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }) }), {});
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-MissingData', level: FindingLevel.WARNING });
  });
});
