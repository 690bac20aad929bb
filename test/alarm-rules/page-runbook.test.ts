import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { pageRunbookRule } from '../../lib/alarm-rules';
import { NOTIFY, PAGE, compositeAlarm, contract, metricAlarm, page } from './alarm-builders';

const check = (v: ReturnType<typeof metricAlarm>) => pageRunbookRule.check(v, {});

describe('IncidentReadiness-PageRunbook', () => {
  test('is never acknowledgeable', () => {
    expect(pageRunbookRule.acknowledgeable).toBe(false);
  });

  test('compliant: a page with an https runbook; alarms that do not page need none', () => {
    expect(check(page())).toEqual([]);
    expect(check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }), AlarmActions: [NOTIFY] }))).toEqual([]);
  });

  test("compliant: cdk-monitoring-constructs' ` \\r\\n`-joined description on a page topic", () => {
    const v = metricAlarm({ AlarmDescription: 'Latency is high \r\nRunbook: https://wiki.acme.io/latency \r\nSeverity: SEV2', AlarmActions: [PAGE] });
    expect(check(v)).toEqual([]);
  });

  test('fails: a SEV1 without runbook', () => {
    const [f] = check(page({ AlarmDescription: contract({ severity: Severity.SEV1, firstMove: 'x', owner: 'y' }) }));
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageRunbook', level: FindingLevel.ERROR });
    expect(f.message).toMatch(/a page \(SEV1.*\) and has no runbook URL/);
  });

  test('fails: a SEV3 whose actions reach the page topic is a page whatever its description says', () => {
    const [f] = check(metricAlarm({ AlarmDescription: contract({ severity: Severity.SEV3 }), AlarmActions: [PAGE] }));
    expect(f.message).toMatch(/actions reach a page topic/);
  });

  test('fails: an alarm with no description routed to the page topic', () => {
    expect(check(metricAlarm({ AlarmActions: [{ 'Fn::GetAtt': ['PageTopic', 'TopicArn'] }] }))).toHaveLength(1);
  });

  test('fails: a composite page without runbook', () => {
    expect(check(compositeAlarm({ AlarmDescription: contract({ severity: Severity.SEV2 }), AlarmActions: [PAGE] }))).toHaveLength(1);
  });

  test('fails, never passes silently nor as a warning someone could silence: a page (by its actions) whose description is not a literal', () => {
    const [f, ...rest] = check(metricAlarm({ AlarmDescription: { 'Fn::ImportValue': 'SharedDescription' }, AlarmActions: [PAGE] }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageRunbook', level: FindingLevel.ERROR, detail: 'CannotVerify' });
    expect(f.message).toMatch(/is a page \(its actions reach a page topic\) and its AlarmDescription is not a literal .* cannot be verified/);
    // Not a page as far as can be seen: AlarmSeverity[CannotVerify] covers it.
    expect(check(metricAlarm({ AlarmDescription: { 'Fn::ImportValue': 'SharedDescription' }, AlarmActions: [NOTIFY] }))).toEqual([]);
  });

  test('fails: a runbook that is not an https URL', () => {
    const [f] = check(page({ AlarmDescription: contract({ severity: Severity.SEV2, runbookUrl: 'http://wiki/x' }) }));
    expect(f.message).toMatch(/not an https:\/\/ URL/);
  });

  describe('a severity that cannot be read may be a page: without a runbook it fails closed (acknowledging AlarmSeverity does not help)', () => {
    test.each([
      ['Severity: P1', /gives severity "P1", which is none of SEV1, SEV2, SEV3, SEV4, so whether it is a page cannot be verified, and it has no runbook URL/],
      ['Severity: SEV12', /gives severity "SEV12"/],
      ['Severity: SEV3\nSeverity: Critical', /gives severity "Critical"/],
      ['Severity - SEV1\nCheckout is down', /names SEV1 but gives no severity in a form that can be read, so whether it is a page cannot be verified/],
      ['SEV2 Checkout is slow', /names SEV2 but gives no severity/],
    ])('%j', (description, message) => {
      const [f, ...rest] = check(metricAlarm({ AlarmDescription: description, AlarmActions: [NOTIFY] }));
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageRunbook', level: FindingLevel.ERROR, detail: 'CannotVerify' });
      expect(f.message).toMatch(message);
      expect(f.fix).toMatch(/write its severity as a "Severity: SEV1".."SEV4" line .*, or give it a runbook/);
    });

    test('a readable severity followed by words is that severity: SEV3 with words is no page, SEV1 with words is one', () => {
      for (const d of ['Severity: SEV3 (business hours)', 'Severity: SEV3 - no page', 'Severity: **SEV3** – business hours only', 'SEV3 - no page: checkout latency']) {
        expect({ d, findings: check(metricAlarm({ AlarmDescription: d, AlarmActions: [NOTIFY] })) }).toEqual({ d, findings: [] });
      }
      const [f, ...rest] = check(metricAlarm({ AlarmDescription: 'Severity: SEV1 (critical)', AlarmActions: [NOTIFY] }));
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageRunbook', message: 'is a page (SEV1) and has no runbook URL in its description' });
    });

    test('passes: the same with a runbook, a readable low severity beside a sentence naming SEV1, or no severity named at all', () => {
      expect(check(metricAlarm({ AlarmDescription: 'Severity: P1\nRunbook: https://wiki.acme.io/x', AlarmActions: [NOTIFY] }))).toEqual([]);
      expect(check(metricAlarm({ AlarmDescription: 'Severity: SEV3\nEscalate to SEV1 if it keeps growing', AlarmActions: [NOTIFY] }))).toEqual([]);
      expect(check(metricAlarm({ AlarmDescription: 'CPU is high (SEV3 at most)', AlarmActions: [NOTIFY] }))).toEqual([]);
      expect(check(metricAlarm({ AlarmActions: [NOTIFY] }))).toEqual([]);
    });
  });

  describe('a description built with Fn::Join or Fn::Sub (a reference in its text) is read from all its literal parts', () => {
    test.each([
      ['a Severity line before the reference', { 'Fn::Join': ['', ['Severity: SEV1\nQueue ', { 'Fn::GetAtt': ['Queue', 'QueueName'] }, ' is backing up\nOwner: payments']] }],
      ['a "SEV1:" first line in an Fn::Sub', { 'Fn::Sub': 'SEV1: ${Queue.QueueName} is down\nOwner: payments' }],
    ])('%s: a SEV1 without runbook fails', (_what, description) => {
      const [f, ...rest] = check(metricAlarm({ AlarmDescription: description, AlarmActions: [NOTIFY] }));
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageRunbook', level: FindingLevel.ERROR });
      expect(f.message).toMatch(/is a page \(SEV1\) and has no runbook URL/);
    });

    test('a page severity named in the literal parts without a readable severity fails closed', () => {
      const [f] = check(metricAlarm({ AlarmDescription: { 'Fn::Join': ['', ['Severity - SEV1 on ', { Ref: 'Queue' }]] }, AlarmActions: [NOTIFY] }));
      expect(f).toMatchObject({ ruleId: 'IncidentReadiness-PageRunbook', detail: 'CannotVerify' });
      expect(f.message).toMatch(/names SEV1 but gives no severity/);
    });

    test('a runbook URL that is a reference cannot be verified; a severity that is a reference leaves the description unresolved', () => {
      const [f] = check(metricAlarm({ AlarmDescription: { 'Fn::Join': ['', ['Severity: SEV2\nRunbook: ', { Ref: 'RunbookUrl' }]] }, AlarmActions: [PAGE] }));
      expect(f).toMatchObject({ detail: 'CannotVerify', level: FindingLevel.ERROR });
      expect(f.message).toMatch(/its runbook URL is a reference .* cannot be verified/);
      expect(metricAlarm({ AlarmDescription: { 'Fn::Join': ['', ['Severity: ', { Ref: 'Sev' }]] } }).descriptionUnresolved).toBe(true);
    });
  });
});
