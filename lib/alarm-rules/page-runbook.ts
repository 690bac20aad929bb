// IncidentReadiness-PageRunbook: a page always links its procedure. It can never be acknowledged:
// a page without a runbook is exactly what this library exists to prevent.
import { FindingLevel } from '../core/finding';
import { runbookUrlProblem } from '../runbook/location';
import { readContract, readLine } from './contract-reading';
import { AlarmView, REFERENCE } from './alarm-view';
import { AlarmRule, alarmFinding, conflictText, conflictsOf, isPage, pageReason } from './rule';

const FIX = "give it a runbook: new RunbookAlarm(..., { runbook: Runbook.fromFile('runbooks/<scenario>.md') }), " +
  'or add a "Runbook: https://..." line to the AlarmDescription; or lower its severity and route it away from the page topic';

// A page severity named anywhere (`SEV1`, `Sev 2`, `SEV-1`): a hint that someone meant one.
const PAGE_SEVERITY_NAMED = /\bsev[ \t]*(?:-[ \t]*)?[12]\b/i;

/** What makes the alarm's severity unreadable, as a clause, or undefined when it is readable or absent. */
function unreadSeverity(alarm: AlarmView): string | undefined {
  const { severity, severityText, conflicts = [] } = alarm.contract;
  // The common case: one severity, read (a severity given alone is readable when it was read).
  if (severity !== undefined && !conflicts.some((c) => c.key === 'Severity')) return undefined;
  // Every severity given: the first, and each that conflicts with it (its line read on its own).
  const given = [severityText, ...conflicts.filter((c) => c.key === 'Severity').map((c) => readContract(c.second.text.replace(/\\/g, '')).severityText)];
  const unreadable = given.find((text) => text !== undefined && readContract(`Severity: ${text}`).severity === undefined);
  if (unreadable !== undefined) return `gives severity "${unreadable}", which is none of SEV1, SEV2, SEV3, SEV4`;
  if (severity !== undefined) return undefined;
  // The literal parts of a joined description too: `Severity - SEV1 on ${queue}` names one as well.
  const named = PAGE_SEVERITY_NAMED.exec(readLine(alarm.description ?? alarm.literalDescription ?? ''));
  return named ? `names ${named[0]} but gives no severity in a form that can be read` : undefined;
}

// Thousands of pages link a handful of runbooks: each URL is judged once.
const URL_PROBLEMS = new Map<string, string | undefined>();
function urlProblem(url: string): string | undefined {
  if (!URL_PROBLEMS.has(url)) {
    if (URL_PROBLEMS.size > 10_000) URL_PROBLEMS.clear();
    URL_PROBLEMS.set(url, runbookUrlProblem(url));
  }
  return URL_PROBLEMS.get(url);
}

export const pageRunbookRule: AlarmRule = {
  id: 'IncidentReadiness-PageRunbook',
  level: FindingLevel.ERROR,
  acknowledgeable: false,
  description: 'Every page (SEV1/SEV2, or any alarm whose actions reach a page topic) carries an https runbook URL',
  explanation:
    'The engineer woken at 3 a.m. needs the procedure one click away; a page without a runbook turns every ' +
    'incident into improvisation. This rule cannot be acknowledged.',
  check(alarm) {
    if (!isPage(alarm)) {
      // Not a page by what could be read; but a severity written in a form that cannot be read may
      // be SEV1. A runbook settles it; without one the gate fails closed (this rule cannot be
      // acknowledged, so acknowledging AlarmSeverity does not let such a page through).
      const unread = alarm.contract.runbookUrl !== undefined ? undefined : unreadSeverity(alarm);
      return unread === undefined ? [] : [alarmFinding(this, alarm,
        `${unread}, so whether it is a page cannot be verified, and it has no runbook URL in its description`,
        'write its severity as a "Severity: SEV1".."SEV4" line (SEV3 and SEV4 need no runbook), or give it a runbook',
        FindingLevel.ERROR, 'CannotVerify')];
    }
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
    if (url.includes(REFERENCE)) {
      return [alarmFinding(this, alarm,
        `is ${pageReason(alarm)} and its runbook URL is a reference (a parameter, attribute or import), so whether it is an https runbook cannot be verified`,
        'write the runbook URL literally (references in the summary are fine)', FindingLevel.ERROR, 'CannotVerify')];
    }
    const problem = urlProblem(url);
    if (problem !== undefined) {
      return [alarmFinding(this, alarm, `is ${pageReason(alarm)} and its runbook "${url}" ${problem}, so it links no runbook`,
        'link the runbook with its real https:// URL (on-call engineers open it from Slack and phones; Runbook.fromFile writes it)')];
    }
    return [];
  },
};
