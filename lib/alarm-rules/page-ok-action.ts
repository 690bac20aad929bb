// IncidentReadiness-PageOkAction: a page announces its recovery.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding, isPage, pageReason } from './rule';

export const pageOkActionRule: AlarmRule = {
  id: 'IncidentReadiness-PageOkAction',
  level: FindingLevel.WARNING,
  acknowledgeable: true,
  description: 'A page has an OK action, so recovery is announced',
  explanation:
    'Without an OK notification the responder never learns the alarm recovered on its own (silent recovery): ' +
    'they keep digging, or the incident is closed on a guess.',
  check(alarm) {
    // An EventBridge rule on its state changes announces the recovery (OK is a state change too).
    if (!isPage(alarm) || alarm.okActions.length > 0 || alarm.pageRule !== undefined) return [];
    return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and has no OK action, so its recovery is silent`,
      'route it with AlertRouting (adds OK actions to pages), or alarm.addOkAction(new SnsAction(pageTopic))')];
  },
};
