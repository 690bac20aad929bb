// IncidentReadiness-Owner: every alarm names the team that owns it.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding } from './rule';

export const ownerRule: AlarmRule = {
  id: 'IncidentReadiness-Owner',
  level: FindingLevel.WARNING,
  acknowledgeable: true,
  description: 'Every alarm names an owner ("Owner:" line)',
  explanation:
    'An alarm nobody owns is tuned by nobody: it keeps firing (or stays muted) after reorganisations, ' +
    'and the incident commander cannot tell whom to pull in.',
  check(alarm) {
    if (alarm.descriptionUnresolved || alarm.contract.owner !== undefined) return [];
    return [alarmFinding(this, alarm, 'names no owner',
      'set owner in the runbook front matter (Runbook.fromFile reads it), pass owner, or add an "Owner:" line')];
  },
};
