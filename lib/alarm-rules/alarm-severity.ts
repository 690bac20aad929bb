// IncidentReadiness-AlarmSeverity: every alarm says how bad it is, so it can be routed and triaged.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding, conflictText, conflictsOf, isPage } from './rule';

const FIX = 'add a "Severity: SEV1".."SEV4" line to the AlarmDescription (RunbookAlarm does this for you: new RunbookAlarm(..., { severity: Severity.SEV3 }); ' +
  'for a cdk-monitoring-constructs alarm: actionOverride: new RunbookAlarmActionStrategy({ severity, runbook, routing }))';

export const alarmSeverityRule: AlarmRule = {
  id: 'IncidentReadiness-AlarmSeverity',
  level: FindingLevel.ERROR,
  acknowledgeable: true,
  description: 'Every alarm carries a valid severity (SEV1-SEV4) in its description',
  explanation:
    'Without a severity nobody can tell whether an alarm should wake someone, post to a channel or open a ticket; ' +
    'unranked alarms end up all paging (alert fatigue) or all ignored.',
  check(alarm) {
    if (alarm.descriptionUnresolved) {
      // Never a silent pass: say what could not be checked.
      return [alarmFinding(this, alarm,
        `cannot verify: the AlarmDescription is an unresolved token, so its severity${isPage(alarm) ? ', runbook' : ''} and owner cannot be read at synth`,
        'pass a literal description (a string, not a reference or parameter), or acknowledge IncidentReadiness-AlarmSeverity on this alarm with the reason',
        FindingLevel.WARNING, 'CannotVerify')];
    }
    // Two values for one key make the contract ambiguous; the runbook's are PageRunbook's (or RunbookExists') to report.
    const conflicts = conflictsOf(alarm, ['Severity', 'First move', 'Owner', 'Dashboard']).map((c) =>
      alarmFinding(this, alarm, `gives two different ${c.key === 'Severity' ? 'severities' : `"${c.key}:" values`}: ${conflictText(c)}`,
        `keep one "${c.key}:" line in the AlarmDescription${c.key === 'Severity' ? ` (the alarm is judged as ${alarm.contract.severity} meanwhile, the more severe)` : ''}`));
    const { severity, severityText } = alarm.contract;
    if (severity !== undefined) return conflicts;
    if (severityText !== undefined) {
      return [...conflicts, alarmFinding(this, alarm, `severity "${severityText}" is not one of SEV1, SEV2, SEV3, SEV4`, FIX)];
    }
    const what = alarm.description === undefined || alarm.description.trim() === '' ? 'has no description, so no severity' : 'has no severity in its description (no "Severity:" line, no "SEV2: ..." first line)';
    return [...conflicts, alarmFinding(this, alarm, what, FIX)];
  },
};
