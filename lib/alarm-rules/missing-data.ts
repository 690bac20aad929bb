// IncidentReadiness-MissingData: the author decided what no data means.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding } from './rule';

export const missingDataRule: AlarmRule = {
  id: 'IncidentReadiness-MissingData',
  level: FindingLevel.WARNING,
  acknowledgeable: true,
  description: 'A metric alarm sets TreatMissingData explicitly',
  explanation:
    'The default (missing) keeps an alarm in its last state when the metric stops: a dead service can look ' +
    'healthy, or a page can stay open forever. Whether silence is breaching is a decision, not a default.',
  check(alarm) {
    if (alarm.composite || alarm.treatMissingData !== undefined) return [];
    return [alarmFinding(this, alarm, 'does not set TreatMissingData, so what no data means was never decided',
      'set treatMissingData (TreatMissingData.BREACHING when silence is the outage, NOT_BREACHING for sparse metrics)')];
  },
};
