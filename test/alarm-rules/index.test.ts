// Guards the rule table (RULES.md): no rule may silently disappear from the rules or RULES.md
// (test/checks/incident-readiness-checks.test.ts guards the pack).
import * as fs from 'fs';
import * as path from 'path';
import { FindingLevel } from '../../lib/core/finding';
import { ALARM_RULES, checkAlarm } from '../../lib/alarm-rules';
import { acknowledgementIds } from '../../lib/core/acknowledgement';
import { RUNBOOK_RULES } from '../../lib/runbook/lint';
import { page } from './alarm-builders';

const RULE_TABLE: Array<[string, FindingLevel]> = [
  ['IncidentReadiness-AlarmSeverity', FindingLevel.ERROR],
  ['IncidentReadiness-PageRunbook', FindingLevel.ERROR],
  ['IncidentReadiness-RunbookExists', FindingLevel.ERROR],
  ['IncidentReadiness-DescriptionLength', FindingLevel.ERROR],
  ['IncidentReadiness-PageAction', FindingLevel.ERROR],
  ['IncidentReadiness-PageFirstMove', FindingLevel.WARNING],
  ['IncidentReadiness-PageOkAction', FindingLevel.WARNING],
  ['IncidentReadiness-PageSpike', FindingLevel.WARNING],
  ['IncidentReadiness-MissingData', FindingLevel.WARNING],
  ['IncidentReadiness-Owner', FindingLevel.WARNING],
];

describe('the docs/design/rules.md#alarm-rules rule table', () => {
  test('ALARM_RULES holds exactly the table, with its levels; only PageRunbook is unacknowledgeable', () => {
    expect(ALARM_RULES.map((r) => [r.id, r.level])).toEqual(RULE_TABLE);
    expect(ALARM_RULES.filter((r) => !r.acknowledgeable).map((r) => r.id)).toEqual(['IncidentReadiness-PageRunbook']);
  });

  test('a granular finding is acknowledged by its rule id, its granular id, and the granular id as the CDK CLI prints it', () => {
    expect(acknowledgementIds('IncidentReadiness-PageSpike')).toEqual(['IncidentReadiness-PageSpike']);
    expect(acknowledgementIds('IncidentReadiness-AlarmSeverity', 'CannotVerify')).toEqual([
      'IncidentReadiness-AlarmSeverity', 'IncidentReadiness-AlarmSeverity[CannotVerify]', 'IncidentReadiness-AlarmSeverity[CannotVerify',
    ]);
  });

  test('RULES.md documents every alarm rule and every runbook rule', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    for (const id of [...ALARM_RULES.map((r) => r.id), ...RUNBOOK_RULES.map((r) => r.id)]) expect(doc).toContain(`\`${id}\``);
  });

  test('checkAlarm runs every rule: a compliant page has no finding', () => {
    expect(checkAlarm(page())).toEqual([]);
  });
});
