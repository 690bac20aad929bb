// Where the follow-through stands, for the weekly review and the handoff (`runbook-alarms
// postmortem status`): postmortems not yet Final with their due dates, and the open action items
// by owner and due date, overdue first. Pure over parsed postmortems.
import { addBusinessDays } from '../core/business-days';
import { DEFAULT_POSTMORTEM_SETTINGS } from '../core/postmortem';
import { ParsedPostmortem, PostmortemStatus, dayOf } from './parser';
import { cellValue, itemStatus } from './rules/action-item';

const DAY_MS = 86_400_000;

/** A postmortem still to be written or agreed. */
export interface PendingPostmortem {
  readonly file: string;
  readonly title?: string;
  readonly incident?: string;
  readonly severity?: string;
  /** As written (Draft, In review), or what was written when it is none of them. */
  readonly status: string;
  readonly author?: string;
  /** YYYY-MM-DD: its `due`, else two business days after its `date`. */
  readonly due?: string;
  /** Days past due (positive), or until due (negative, 0 = today). */
  readonly overdueDays?: number;
}

/** An action item that is not done. */
export interface OpenActionItem {
  readonly file: string;
  readonly line: number;
  /** The postmortem's title, else its file. */
  readonly postmortem: string;
  readonly label: string;
  readonly action: string;
  readonly type?: string;
  readonly owner?: string;
  readonly due?: string;
  readonly ticket?: string;
  /** `open`, or what the Status cell says when it is not open or done (empty: none). */
  readonly status: string;
  /** Days past due (positive), or until due (negative). */
  readonly overdueDays?: number;
}

/** One owner's open items. */
export interface OwnerLoad {
  readonly owner: string;
  readonly open: number;
  readonly overdue: number;
}

/** The follow-through on a day. */
export interface FollowThrough {
  readonly postmortems: PendingPostmortem[];
  readonly actionItems: OpenActionItem[];
  readonly owners: OwnerLoad[];
}

const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const order = (days: number | undefined) => (days === undefined ? -Infinity : days);

/** The follow-through of `docs` on `today` (a UTC day number). */
export function followThrough(docs: readonly ParsedPostmortem[], today: number): FollowThrough {
  const postmortems: PendingPostmortem[] = [];
  const actionItems: OpenActionItem[] = [];
  for (const doc of docs) {
    const title = doc.title ?? doc.file;
    if (doc.status !== PostmortemStatus.FINAL) {
      const date = dayOf(doc.fields.date?.value);
      const due = dayOf(doc.fields.due?.value) ?? (date !== undefined
        ? Math.floor(addBusinessDays(date * DAY_MS, DEFAULT_POSTMORTEM_SETTINGS.dueBusinessDays, 'UTC') / DAY_MS) : undefined);
      postmortems.push({
        file: doc.file, title: doc.title, incident: doc.fields.incident?.value, severity: doc.severity ?? doc.fields.severity?.value,
        status: doc.status ?? doc.fields.status?.value ?? '(none)', author: doc.fields.author?.value,
        ...(due !== undefined ? { due: iso(due), overdueDays: today - due } : {}),
      });
    }
    for (const table of doc.actionItems) {
      for (const item of table.items) {
        const status = itemStatus(item);
        if (status === 'done') continue;
        const action = cellValue(item, 'action');
        if (action === '' && cellValue(item, 'owner') === '') continue; // an empty row: the lint's to report
        const due = dayOf(cellValue(item, 'due'));
        const value = (c: 'type' | 'owner' | 'ticket') => cellValue(item, c) || undefined;
        actionItems.push({
          file: doc.file, line: item.line, postmortem: title, label: item.label, action, type: value('type'), owner: value('owner'),
          ...(due !== undefined ? { due: iso(due), overdueDays: today - due } : {}), ticket: value('ticket'), status: status ?? cellValue(item, 'status'),
        });
      }
    }
  }
  // Overdue first (the longest overdue first), then by due date, then by owner.
  postmortems.sort((a, b) => order(b.overdueDays) - order(a.overdueDays) || a.file.localeCompare(b.file));
  actionItems.sort((a, b) => order(b.overdueDays) - order(a.overdueDays) || (a.owner ?? '~').localeCompare(b.owner ?? '~') || a.file.localeCompare(b.file) || a.line - b.line);
  const load = new Map<string, { open: number; overdue: number }>();
  for (const i of actionItems) {
    const o = load.get(i.owner ?? '(no owner)') ?? { open: 0, overdue: 0 };
    o.open++;
    if ((i.overdueDays ?? 0) > 0) o.overdue++;
    load.set(i.owner ?? '(no owner)', o);
  }
  const nobody = (o: string) => (o === '(no owner)' ? 1 : 0);
  const owners = [...load].map(([owner, o]) => ({ owner, ...o }))
    .sort((a, b) => b.overdue - a.overdue || b.open - a.open || nobody(a.owner) - nobody(b.owner) || a.owner.localeCompare(b.owner));
  return { postmortems, actionItems, owners };
}
