// IncidentReadiness-DescriptionLength: CloudWatch rejects descriptions over 1024 characters at deploy time.
import { MAX_DESCRIPTION_LENGTH } from '../core/contract';
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding } from './rule';

export const descriptionLengthRule: AlarmRule = {
  id: 'IncidentReadiness-DescriptionLength',
  level: FindingLevel.ERROR,
  acknowledgeable: true,
  description: `The AlarmDescription fits CloudWatch's ${MAX_DESCRIPTION_LENGTH} characters`,
  explanation:
    'CloudWatch rejects a longer description when the stack deploys, so the alarm (and its contract) never exists; ' +
    'failing at synth is cheaper than a rolled-back deploy.',
  check(alarm) {
    const d = alarm.description;
    if (d === undefined || d.length <= MAX_DESCRIPTION_LENGTH) return [];
    return [alarmFinding(this, alarm, `its description is ${d.length} characters; CloudWatch accepts ${MAX_DESCRIPTION_LENGTH}`,
      'shorten the summary (RunbookAlarm shortens it for you and never drops contract lines)')];
  },
};
