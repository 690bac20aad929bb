// IncidentReadiness-PageRunbook: a page always links its procedure. It can never be acknowledged:
// a page without a runbook is exactly what this library exists to prevent.
import { FindingLevel } from '../core/finding';
import { AlarmRule, alarmFinding, conflictText, conflictsOf, isPage, pageReason } from './rule';

const FIX = "give it a runbook: new RunbookAlarm(..., { runbook: Runbook.fromFile('runbooks/<scenario>.md') }), " +
  'or add a "Runbook: https://..." line to the AlarmDescription; or lower its severity and route it away from the page topic';

export const pageRunbookRule: AlarmRule = {
  id: 'IncidentReadiness-PageRunbook',
  level: FindingLevel.ERROR,
  acknowledgeable: false,
  description: 'Every page (SEV1/SEV2, or any alarm whose actions reach a page topic) carries an https runbook URL',
  explanation:
    'The engineer woken at 3 a.m. needs the procedure one click away; a page without a runbook turns every ' +
    'incident into improvisation. This rule cannot be acknowledged.',
  check(alarm) {
    if (!isPage(alarm)) return [];
    if (alarm.descriptionUnresolved) {
      // A page (by its actions) whose runbook cannot be read cannot be shown to have one. This rule
      // can never be acknowledged, so this is not a warning someone could silence (CDK offers an
      // acknowledgement for every warning): a page must carry a description that can be read.
      return [alarmFinding(this, alarm,
        `is ${pageReason(alarm)} and its AlarmDescription is not a literal (a reference, parameter or import), so whether it carries a runbook cannot be verified`,
        'give the page a literal description carrying a "Runbook: https://..." line (RunbookAlarm writes one; references in the summary are fine, the contract lines stay literal)',
        FindingLevel.ERROR, 'CannotVerify')];
    }
    const conflict = conflictsOf(alarm, ['Runbook'])[0];
    if (conflict) {
      return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and links two different runbooks: ${conflictText(conflict)}`,
        'keep one "Runbook:" line in the AlarmDescription: the paged engineer needs one procedure')];
    }
    const url = alarm.contract.runbookUrl;
    if (url === undefined) {
      return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and has no runbook URL in its description`, FIX)];
    }
    if (!/^https:\/\/[^\s/]+/i.test(url)) {
      return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and its runbook "${url}" is not an https:// URL`,
        'link the runbook with an https:// URL (on-call engineers open it from Slack and phones)')];
    }
    return [];
  },
};
