import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { pageFirstMoveRule } from '../../lib/alarm-rules';
import { BASE_URL, contract, metricAlarm, page } from './alarm-builders';

describe('IncidentReadiness-PageFirstMove', () => {
  test('compliant: a page with a first move; a SEV3 needs none', () => {
    expect(pageFirstMoveRule.check(page(), {})).toEqual([]);
    expect(pageFirstMoveRule.check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }) }), {})).toEqual([]);
  });

  test('warns: a page without a first move', () => {
    const [f] = pageFirstMoveRule.check(page({ AlarmDescription: contract({ severity: Severity.SEV1, runbookUrl: `${BASE_URL}/r.md`, owner: 'o' }) }), {});
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageFirstMove', level: FindingLevel.WARNING });
  });
});
