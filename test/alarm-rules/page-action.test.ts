import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { pageActionRule } from '../../lib/alarm-rules';
import { contract, metricAlarm, page } from './alarm-builders';

describe('IncidentReadiness-PageAction', () => {
  test('compliant: a page with an enabled action; a SEV4 needs no action', () => {
    expect(pageActionRule.check(page(), {})).toEqual([]);
    expect(pageActionRule.check(page({ ActionsEnabled: true }), {})).toEqual([]);
    expect(pageActionRule.check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV4 }) }), {})).toEqual([]);
  });

  test('fails: a page with no alarm action reaches no one', () => {
    const [f] = pageActionRule.check(page({ AlarmActions: undefined, OKActions: undefined }), {});
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageAction', level: FindingLevel.ERROR });
    expect(f.message).toMatch(/no alarm action, so it reaches no one/);
  });

  test('fails: a page with actions disabled', () => {
    const [f] = pageActionRule.check(page({ ActionsEnabled: false }), {});
    expect(f.message).toMatch(/ActionsEnabled: false/);
  });
});
