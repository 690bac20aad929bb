import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { pageOkActionRule } from '../../lib/alarm-rules';
import { NOTIFY, contract, metricAlarm, page } from './alarm-builders';

describe('IncidentReadiness-PageOkAction', () => {
  test('compliant: a page with an OK action; a SEV3 needs none', () => {
    expect(pageOkActionRule.check(page(), {})).toEqual([]);
    expect(pageOkActionRule.check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }), AlarmActions: [NOTIFY] }), {})).toEqual([]);
  });

  test('warns: a page whose recovery is silent', () => {
    const [f] = pageOkActionRule.check(page({ OKActions: undefined }), {});
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageOkAction', level: FindingLevel.WARNING });
    expect(f.message).toMatch(/recovery is silent/);
  });
});
