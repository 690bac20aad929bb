// The thread's messages about an incident's postmortem (Slack app mode): the ask when a qualifying
// incident resolves (due when, and three buttons: start it, link it, not needed), the reminders
// before the due time and when it passes, and the note when someone links it or says why none is
// needed. Pure, like the incident messages they sit next to.
import { escapeShortened } from './escape';
import { SlackBlock, SlackMessage, blockKitProblems, plainTextObject, section, slackDate, utcText } from './slack-message';
import { oneLine } from '../core/text';

/** The postmortem buttons' action_ids: the interactivity function acts on these. */
export const POSTMORTEM_ACTIONS = { start: 'postmortem-start', link: 'postmortem-link', notNeeded: 'postmortem-not-needed' } as const;

/** What the postmortem messages say about it. */
export interface PostmortemView {
  readonly incidentId: string;
  readonly alarmName: string;
  readonly severity?: string;
  readonly dueAt: number;
  readonly limitAt: number;
  /** e.g. `2 business days after the resolution, Europe/Berlin`. */
  readonly rule: string;
}

/** The value the postmortem buttons carry back: which incident's postmortem. */
export function postmortemButtonValue(incidentId: string): string {
  return JSON.stringify({ p: incidentId });
}

/** The incident a postmortem button's value names, or undefined for anything else. */
export function parsePostmortemButtonValue(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  try {
    const v = JSON.parse(value) as { p?: unknown };
    return typeof v?.p === 'string' && v.p.length > 0 && v.p.length <= 100 ? v.p : undefined;
  } catch {
    return undefined;
  }
}

function buttons(incidentId: string, start: boolean): SlackBlock {
  const value = postmortemButtonValue(incidentId);
  const b = (text: string, id: string, primary = false) => ({ type: 'button', text: plainTextObject(text), action_id: id, value, ...(primary ? { style: 'primary' } : {}) });
  return {
    type: 'actions',
    elements: [
      ...(start ? [b('Start postmortem', POSTMORTEM_ACTIONS.start, true)] : []),
      b('Link postmortem', POSTMORTEM_ACTIONS.link, !start),
      b('Not needed', POSTMORTEM_ACTIONS.notNeeded),
    ],
  };
}

const sev = (p: PostmortemView) => p.severity ?? 'This';
/** The alarm's name as text Slack shows as written (escaped, one line, bounded). */
const name = (p: PostmortemView) => escapeShortened(oneLine(p.alarmName), 300);

/** Checked like every message; a message that breaks a rule is sent as its plain text. */
function checked(message: SlackMessage, people: readonly string[] = []): SlackMessage {
  return blockKitProblems(message, people).length === 0 ? message : { text: 'Postmortem', blocks: [section(':memo: Postmortem')] };
}

/** The ask, posted in the thread when the incident resolves. */
export function renderPostmortemAsk(p: PostmortemView): SlackMessage {
  return checked({
    text: `Postmortem due by ${utcText(p.dueAt)}: ${name(p)}`,
    blocks: [
      section(`:memo: *Postmortem due by ${slackDate(p.dueAt)}* (${escapeShortened(p.rule, 200)}; ${slackDate(p.limitAt)} at the latest). ` +
        `${sev(p)} incidents get a blameless postmortem. Start it pre-filled from this incident, then link it here, or say why none is needed.`),
      buttons(p.incidentId, true),
    ],
  });
}

/** A reminder: the day before it is due, when it is due, when the outer limit passes. */
export function renderPostmortemReminder(p: PostmortemView, reminder: 'before' | 'due' | 'limit'): SlackMessage {
  const [emoji, what, at] = reminder === 'before' ? [':alarm_clock:', 'due', p.dueAt] : reminder === 'due' ? [':warning:', 'overdue: it was due', p.dueAt] : [':rotating_light:', 'past its limit', p.limitAt];
  return checked({
    text: `Postmortem ${what} ${utcText(at)}: ${name(p)}`,
    blocks: [section(`${emoji} *The postmortem is ${what} ${slackDate(at)}* and none is linked yet. Link it, or say why none is needed.`), buttons(p.incidentId, reminder === 'before')],
  });
}

/** The note when someone links the postmortem, or says why none is needed. */
export function renderPostmortemNote(kind: 'linked' | 'not-needed', by: string, detail: string): SlackMessage {
  const who = /^[UW][A-Z0-9]{2,40}$/.test(by) ? `<@${by}>` : 'someone';
  const message = kind === 'linked'
    ? { text: 'Postmortem linked', blocks: [section(`:white_check_mark: *Postmortem linked* by ${who}: ${escapeShortened(detail.replace(/^https:\/\//, ''), 300)}`)] }
    : { text: 'No postmortem needed', blocks: [section(`:heavy_minus_sign: *No postmortem needed*, says ${who}: ${escapeShortened(oneLine(detail), 500)}`)] };
  return checked(message, who === 'someone' ? [] : [who]);
}
