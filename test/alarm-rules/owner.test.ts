import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { ownerRule } from '../../lib/alarm-rules';
import { contract, metricAlarm, page } from './alarm-builders';

describe('IncidentReadiness-Owner', () => {
  test('compliant: an Owner line', () => {
    expect(ownerRule.check(page(), {})).toEqual([]);
  });

  test('warns: no owner', () => {
    const [f] = ownerRule.check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }) }), {});
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-Owner', level: FindingLevel.WARNING });
  });
});
