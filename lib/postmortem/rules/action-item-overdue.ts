// Postmortem-ActionItemOverdue: an open action item past its due date fails the lint, so CI keeps
// the follow-up visible until it is done (or its date is honestly moved).
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { dayOf } from '../parser';
import { cellValue, describeItem, itemStatus } from './action-item';
import { PostmortemRule, finding, today } from './rule';

export const actionItemOverdueRule: PostmortemRule = {
  id: 'Postmortem-ActionItemOverdue',
  level: FindingLevel.ERROR,
  description: 'no action item is still open after its due date',
  help: 'Restoration is not resolution: the follow-up work of a postmortem is what keeps the incident from coming back, and it is the first thing to be forgotten. An action item whose Status is open and whose Due date has passed fails the lint, so the weekly review (and CI) sees it. Finish it and set Status to done, or agree a new due date with its owner and write it down (the ticket says why).',
  check(doc, settings) {
    const findings: RunbookFinding[] = [];
    const day = today(settings);
    for (const table of doc.actionItems) {
      for (const item of table.items) {
        if (itemStatus(item) !== 'open') continue;
        const due = dayOf(cellValue(item, 'due'));
        if (due === undefined || due >= day) continue;
        const owner = cellValue(item, 'owner');
        const late = day - due;
        findings.push(finding(this, doc, item.line, 1,
          `${describeItem(item)} is open ${late} day${late === 1 ? '' : 's'} after its due date ${cellValue(item, 'due')}${owner ? ` (owner: ${owner})` : ''}`,
          'finish it and set its Status to done, or agree a new due date with its owner and write it in Due (the ticket says why)'));
      }
    }
    return findings;
  },
};
