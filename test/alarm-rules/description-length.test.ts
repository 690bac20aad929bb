import { FindingLevel } from '../../lib/core/finding';
import { descriptionLengthRule } from '../../lib/alarm-rules';
import { metricAlarm, page } from './alarm-builders';

describe('IncidentReadiness-DescriptionLength', () => {
  test('compliant: up to 1024 characters', () => {
    expect(descriptionLengthRule.check(page(), {})).toEqual([]);
    expect(descriptionLengthRule.check(metricAlarm({ AlarmDescription: `Severity: SEV3\n${'x'.repeat(1024 - 15)}` }), {})).toEqual([]);
  });

  test('fails: 1025 characters', () => {
    const [f] = descriptionLengthRule.check(metricAlarm({ AlarmDescription: `${'x'.repeat(1009)}\n\nSeverity: SEV3`.padEnd(1025, 'x') }), {});
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-DescriptionLength', level: FindingLevel.ERROR });
    expect(f.message).toMatch(/1025 characters; CloudWatch accepts 1024/);
  });
});
