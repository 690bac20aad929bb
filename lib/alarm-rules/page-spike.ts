// IncidentReadiness-PageSpike: a page does not wake someone for a single datapoint.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding, isPage, pageReason } from './rule';

export const pageSpikeRule: AlarmRule = {
  id: 'IncidentReadiness-PageSpike',
  level: FindingLevel.WARNING,
  acknowledgeable: true,
  description: 'A metric-alarm page needs more than one breaching datapoint (DatapointsToAlarm, else EvaluationPeriods, above 1)',
  explanation:
    'One datapoint is a spike, not an incident; pages on spikes are the main source of alert fatigue, and ' +
    'tired responders start ignoring the pages that matter.',
  check(alarm) {
    if (alarm.composite || !isPage(alarm)) return [];
    const needed = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
    if (needed === undefined || needed > 1) return [];
    return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and fires on a single breaching datapoint`,
      'require at least 2 datapoints (evaluationPeriods: 3, datapointsToAlarm: 2), or acknowledge if one datapoint is already an emergency')];
  },
};
