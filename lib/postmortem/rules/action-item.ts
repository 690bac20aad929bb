// Postmortem-ActionItem: the follow-up is written down where it can be tracked to done: an
// action-items table, each item with a type (prevent / mitigate / process), one named owner, a due
// date, a ticket and a status (open / done).
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { ActionItem, ActionItemColumn, ActionItemTable, ParsedPostmortem, PostmortemSectionName, dayOf } from '../parser';
import { PostmortemRule, finding, isTemplateText } from './rule';

export const ACTION_ITEM_TYPES = ['prevent', 'mitigate', 'process'] as const;
export const ACTION_ITEM_STATUSES = ['open', 'done'] as const;

const COLUMN_NAMES: Record<ActionItemColumn, string> = { number: '#', action: 'Action', type: 'Type', owner: 'Owner', due: 'Due', ticket: 'Ticket', status: 'Status' };
const NOBODY = /^(-+|—|n\/?a|none|nobody|tbd|tbc|\?+|unknown|unassigned|everyone|all|team|the team|someone|somebody)$/i;

/** A cell as the reader sees it (markdown resolved), '' when it is empty, a placeholder or a dash. */
export function cellValue(item: ActionItem, column: ActionItemColumn): string {
  const t = item.text[column];
  if (t === undefined || t === '') return '';
  return NOBODY.test(t) || isTemplateText(item.cells[column]!) ? '' : t;
}

/** An item's type as written, normalized (`Prevention` → prevent), or undefined. */
export function itemType(item: ActionItem): (typeof ACTION_ITEM_TYPES)[number] | undefined {
  const t = cellValue(item, 'type').toLowerCase();
  if (/^prevent(ion|ive)?$/.test(t)) return 'prevent';
  if (/^mitigat(e|ion)$/.test(t)) return 'mitigate';
  if (t === 'process') return 'process';
  return undefined;
}

/** An item's status (`open`, `done`, any case), or undefined. */
export function itemStatus(item: ActionItem): (typeof ACTION_ITEM_STATUSES)[number] | undefined {
  const t = cellValue(item, 'status').toLowerCase();
  return t === 'open' || t === 'done' ? t : undefined;
}

/** The owner cell's names when it lists more than one (`alice, bob`, `alice / bob`, `alice and bob`). */
function owners(text: string): string[] {
  return text.split(/\s*(?:,|;|\/|&|\+|\band\b)\s*/i).filter((s) => s.trim() !== '');
}

/** A short quote of an item's action, for messages. */
export function describeItem(item: ActionItem): string {
  const what = cellValue(item, 'action');
  return `action item ${item.label}${what ? ` ("${what.length > 60 ? `${what.slice(0, 57)}…` : what}")` : ''}`;
}

function checkTable(rule: PostmortemRule, doc: ParsedPostmortem, table: ActionItemTable, out: RunbookFinding[]): void {
  const missing = (['action', 'type', 'owner', 'due', 'ticket'] as const).filter((c) => table.columns[c] === undefined);
  if (missing.length > 0) {
    out.push(finding(rule, doc, table.line, 1, `the action-items table has no ${missing.map((c) => COLUMN_NAMES[c]).join(', ')} column${missing.length > 1 ? 's' : ''}`,
      'use the columns | # | Action | Type | Owner | Due | Ticket | Status | (Type: prevent, mitigate or process)'));
  }
  if (table.columns.status === undefined) {
    out.push(finding(rule, doc, table.line, 1, 'the action-items table has no Status column',
      'add a Status column and write open or done in each row: an action item is tracked until done, and open ones past their due date fail the lint'));
  }
  if (table.items.length === 0) {
    out.push(finding(rule, doc, table.line, 1, 'the action-items table has no action items',
      'add one row per action item; an incident with nothing to follow up says so in a line "No action items: <why>" instead of the table'));
  }
  for (const item of table.items) {
    const values: Partial<Record<ActionItemColumn, string>> = {};
    const v = (column: ActionItemColumn) => (values[column] ??= cellValue(item, column));
    if ((Object.keys(item.cells) as ActionItemColumn[]).every((k) => k === 'number' || v(k) === '')) {
      out.push(finding(rule, doc, item.line, 1, `action item ${item.label} is empty`, 'fill it in, or delete the row'));
      continue;
    }
    const absent: string[] = [];
    for (const [column, what] of [['action', 'no action'], ['type', 'no type'], ['owner', 'no owner'], ['due', 'no due date'], ['ticket', 'no ticket'], ['status', 'no status']] as const) {
      if (table.columns[column] !== undefined && v(column) === '') absent.push(what);
    }
    if (absent.length > 0) {
      out.push(finding(rule, doc, item.line, 1, `${describeItem(item)} has ${absent.join(', ')}`,
        'give every action item a type (prevent, mitigate or process), one named owner, a due date (YYYY-MM-DD), a ticket and a status (open or done)'));
    }
    if (v('type') !== '' && !itemType(item)) {
      out.push(finding(rule, doc, item.line, 1, `${describeItem(item)} has the type "${v('type')}"`, 'write prevent (stops it happening again), mitigate (makes it smaller or shorter next time) or process (how people work)'));
    }
    const names = owners(v('owner'));
    if (names.length > 1) {
      out.push(finding(rule, doc, item.line, 1, `${describeItem(item)} has ${names.length} owners (${names.join(', ')})`, 'name one owner: the person who answers for it; others help'));
    }
    if (v('due') !== '' && dayOf(v('due')) === undefined) {
      out.push(finding(rule, doc, item.line, 1, `${describeItem(item)} is due "${v('due')}", not a YYYY-MM-DD date`, 'write the due date as YYYY-MM-DD'));
    }
    if (v('status') !== '' && !itemStatus(item)) {
      out.push(finding(rule, doc, item.line, 1, `${describeItem(item)} has the status "${v('status')}"`, 'write open or done'));
    }
  }
}

export const actionItemRule: PostmortemRule = {
  id: 'Postmortem-ActionItem',
  level: FindingLevel.ERROR,
  description: 'every action item has a type (prevent / mitigate / process), one owner, a due date, a ticket and a status (open / done)',
  help: 'Action items are how a postmortem prevents the next incident, and the ones nobody owns never happen. The SRE guide\'s rules: each is specific, has a type (prevent, mitigate or process), one named owner, a due date and a ticket, and is tracked weekly until done — so the table has a Status column (open or done) as well: | # | Action | Type | Owner | Due | Ticket | Status |.',
  check(doc) {
    const section = doc.sections.find((s) => s.heading.section === PostmortemSectionName.ACTION_ITEMS);
    if (!section) return []; // Postmortem-Sections reports it
    const findings: RunbookFinding[] = [];
    if (doc.actionItems.length === 0) {
      if (section.lines.some((l) => /^\s*(none|no action items?|no follow[- ]?ups?)\b\s*[:.—-]/i.test(l.text))) return [];
      return [finding(this, doc, section.heading.line, 1, 'the Action items section has no action-items table',
        'add the table | # | Action | Type | Owner | Due | Ticket | Status | with one row per action item (or a line "No action items: <why>")')];
    }
    for (const table of doc.actionItems) checkTable(this, doc, table, findings);
    return findings;
  },
};
