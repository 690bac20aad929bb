// IncidentReadiness-PageAction: a page must reach someone.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding, isPage, pageReason } from './rule';

export const pageActionRule: AlarmRule = {
  id: 'IncidentReadiness-PageAction',
  level: FindingLevel.ERROR,
  acknowledgeable: true,
  description: 'A page has at least one alarm action and its actions are enabled',
  explanation:
    'A page with no alarm action, or with actions disabled, fires into the void: the outage is seen ' +
    'first by customers. A page that reaches no one is worse than no alarm, because everyone believes it is covered.',
  check(alarm) {
    if (!isPage(alarm)) return [];
    // An EventBridge rule that pages on its state changes reaches someone without an action.
    if (alarm.alarmActions.length === 0 && alarm.pageRule === undefined) {
      return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and has no alarm action, so it reaches no one`,
        'route it: new RunbookAlarm(..., { routing }) with an AlertRouting, or alarm.addAlarmAction(new SnsAction(pageTopic))')];
    }
    if (!alarm.actionsEnabled) {
      return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and its actions are disabled (ActionsEnabled: false)`,
        'enable its actions (actionsEnabled: true), or lower its severity if it should not page')];
    }
    return [];
  },
};
