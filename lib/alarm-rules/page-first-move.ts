// IncidentReadiness-PageFirstMove: a page says what to do first.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding, isPage, pageReason } from './rule';

export const pageFirstMoveRule: AlarmRule = {
  id: 'IncidentReadiness-PageFirstMove',
  level: FindingLevel.WARNING,
  acknowledgeable: true,
  description: 'A page carries a first move ("First move:" line)',
  explanation:
    'The first minute of an incident decides its length; the first move in the notification lets the ' +
    'engineer act before they have finished reading the runbook.',
  check(alarm) {
    if (alarm.descriptionUnresolved || !isPage(alarm) || alarm.contract.firstMove !== undefined) return [];
    return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and carries no first move`,
      'add a checklist item under "## Mitigate" in its runbook (Runbook.fromFile reads it), pass firstMove, or add a "First move:" line')];
  },
};
