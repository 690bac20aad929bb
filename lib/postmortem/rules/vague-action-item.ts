// Postmortem-VagueActionItem: an action item is SMART, not an exhortation. "Be careful", "pay
// attention" or "investigate X" (with no outcome) cannot be done, so they never are, and the same
// incident comes back.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { describeItem } from './action-item';
import { PostmortemRule, finding, isTemplateText } from './rule';

// Asking people to try harder: nothing in the system changes.
const EXHORTATION = /\b(be (more |extra )?(careful|cautious|vigilant|mindful|aware)|pay (more |closer |extra )?attention|take (more )?care|keep an eye on|remember to|try (harder )?to|don'?t forget|double[- ]check|be sure to|communicate better|raise awareness)\b/i;
// Open-ended work: fine when it says what comes out of it.
const OPEN_ENDED = /^(investigate|look into|explore|consider|think about|discuss|research|check( on| into)?|review|evaluate|analy[sz]e|understand|follow up( on)?|monitor|improve|revisit)\b/i;
const OUTCOME = /\b(so that|in order to|until|and (then )?(add|fix|write|decide|document|implement|remove|replace|set|create|update|publish|file|ship|automate|alert)|to (decide|determine|choose|produce|write)|deliverables?|outcome|result(s|ing)? in|resulting|by (adding|writing|setting|creating)|with a (decision|doc|design|proposal|report|plan|ticket)|decision (doc|record)|→|->|=>)\b|→|->|=>|:\s*\S/i;

/** Why an action's text is vague, or undefined when it is not. */
export function vagueness(text: string): string | undefined {
  const t = text.trim();
  const exhortation = EXHORTATION.exec(t);
  if (exhortation) return `"${exhortation[0]}" asks people to try harder; nothing in the system changes`;
  const open = OPEN_ENDED.exec(t);
  if (open && !OUTCOME.test(t.slice(open[0].length))) return `"${open[0]}" with no outcome cannot be done, only worked on`;
  return undefined;
}

export const vagueActionItemRule: PostmortemRule = {
  id: 'Postmortem-VagueActionItem',
  level: FindingLevel.WARNING,
  description: 'action items are specific (no "be careful", "pay attention", or "investigate" with no outcome)',
  help: 'The SRE guide asks for SMART action items: Specific, Measurable, Assignable, Realistic, Time-bound. "Be careful", "pay attention" or "investigate the database" cannot be finished, so they never are, and the same incident comes back. Say what will exist when the item is done: not "be careful with deploys" but "add a pre-deploy check that blocks a migration without a rollback script".',
  check(doc) {
    const findings: RunbookFinding[] = [];
    for (const table of doc.actionItems) {
      for (const item of table.items) {
        const cell = item.cells.action;
        if (cell === undefined || isTemplateText(cell)) continue;
        const why = vagueness(item.text.action ?? '');
        if (!why) continue;
        findings.push(finding(this, doc, item.line, 1, `${describeItem(item)} is vague: ${why}`,
          'make it SMART — Specific, Measurable, Assignable, Realistic, Time-bound: say what will exist when it is done, e.g. "add an alarm on queue age > 5 min (SEV2) with a runbook", or for an investigation, what it decides ("…, and write the decision in the ticket")'));
      }
    }
    return findings;
  },
};
