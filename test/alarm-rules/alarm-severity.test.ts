import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { alarmSeverityRule } from '../../lib/alarm-rules';
import { contract, metricAlarm, page } from './alarm-builders';

const check = (v: ReturnType<typeof metricAlarm>) => alarmSeverityRule.check(v, {});

describe('IncidentReadiness-AlarmSeverity', () => {
  test('compliant: a valid severity, in any spelling the codec reads', () => {
    expect(check(page())).toEqual([]);
    expect(check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV4 }) }))).toEqual([]);
    expect(check(metricAlarm({ AlarmDescription: 'Disk is filling up.\r\n\r\nseverity: sev 3' }))).toEqual([]);
  });

  test('fails: no description at all', () => {
    const [f] = check(metricAlarm({}));
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-AlarmSeverity', level: FindingLevel.ERROR, path: 'Stack/Alarm/Resource' });
    expect(f.message).toMatch(/no description/);
    expect(f.fix).toMatch(/Severity: SEV1/);
  });

  test('fails: a description without a Severity line', () => {
    const [f] = check(metricAlarm({ AlarmName: 'Legacy', AlarmDescription: 'CPU above 90%' }));
    expect(f).toMatchObject({ level: FindingLevel.ERROR, alarm: 'Legacy' });
    expect(f.message).toMatch(/no "Severity:" line/);
  });

  test('fails: a severity that is not SEV1-SEV4', () => {
    const [f] = check(metricAlarm({ AlarmDescription: 'Severity: P1' }));
    expect(f.level).toBe(FindingLevel.ERROR);
    expect(f.message).toMatch(/"P1" is not one of SEV1, SEV2, SEV3, SEV4/);
  });

  test('warns, never passes silently: a description that is an unresolved token', () => {
    const findings = check(metricAlarm({ AlarmDescription: { 'Fn::Join': ['', ['Severity: ', { Ref: 'Sev' }]] } }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: FindingLevel.WARNING, detail: 'CannotVerify' });
    expect(findings[0].message).toMatch(/cannot verify/);
  });
});
