// The handoff report in Slack: the shift's numbers (pages against the limit, sleep hours, MTTA
// against the targets, escalations), what is still open, the noisiest alarms with their runbooks
// and the overdue follow-up, short and within Block Kit's limits. `handoffBlocks` is the hook a
// handoff message appends; `renderHandoffReport` the whole message (weekly, without a rotation). Pure.
import { SLACK_LIMITS, SlackBlock, SlackElement, SlackMessage, blockKitProblems } from '../notification/block-kit';
import { escapeShortened } from '../notification/escape';
import { isSlackMention, plainTextObject, section } from '../notification/slack-message';
import { HealthReport } from './health';
import { durationText, localTimeText } from './text';

/** What the handoff report says besides the numbers. */
export interface HandoffOptions {
  /** The first line. @default 'On-call handoff' */
  readonly title?: string;
  /** Who hands over and who takes over (Slack mentions are kept live; anything else is shown as text). */
  readonly from?: string;
  readonly to?: string;
  /** How many unresolved incidents, noisy alarms and overdue items to name. @default 5 */
  readonly listed?: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const who = (w: string | undefined) => (w === undefined ? undefined : isSlackMention(w) ? w : escapeShortened(w, 80));
/** Plain text for a button: no character Slack could read as markup, within its limit. */
function buttonText(text: string): string {
  const plain = text.replace(/[<>&@\s]+/g, ' ').trim();
  return plain.length > SLACK_LIMITS.buttonText ? plain.slice(0, SLACK_LIMITS.buttonText - 1) + '…' : plain;
}

/** A list in one section, each line shortened, the rest counted. */
function list(title: string, lines: string[], total: number): SlackBlock {
  const more = total > lines.length ? `\n…and ${total - lines.length} more (\`runbook-alarms report\`)` : '';
  let text = `*${title}*\n${lines.join('\n')}`;
  if (text.length + more.length > SLACK_LIMITS.sectionText) text = text.slice(0, SLACK_LIMITS.sectionText - more.length - 1) + '…';
  return section(text + more);
}

/** The numbers' blocks for a shift's handoff message (at most 6 blocks). */
export function handoffBlocks(r: HealthReport, o: HandoffOptions = {}): SlackBlock[] {
  const tz = r.timeZone;
  const n = o.listed ?? 5;
  const t = r.totals;
  const pageTimes = r.severities.filter((s) => s.severity === 'SEV1' || s.severity === 'SEV2');
  const mtta = pageTimes.map((s) => `${s.severity} ${durationText(s.mtta.p50)} (target ${s.target}; ${s.missedTarget} missed)`).join(', ') || '–';
  const over = t.shiftsOverLimit > 0 ? ` :warning: ${plural(t.shiftsOverLimit, 'shift')} over the limit of ${r.limitPerShift}` : ` (limit ${r.limitPerShift} per 12 h)`;
  const blocks: SlackBlock[] = [{
    type: 'section',
    fields: [
      `*Pages*\n${t.pages} in ${plural(t.shifts, '12-hour shift')}${over}`,
      `*Sleep and off hours*\n${plural(t.sleepPages, 'page')} in sleep hours, ${t.offHoursPages} off hours`,
      `*Time to acknowledge (median)*\n${mtta}`,
      `*Escalated*\n${t.escalated} of ${plural(t.pages, 'page')}${r.escalations.byLevel.length ? ` (${r.escalations.byLevel.map((l) => `level ${l.level}: ${l.incidents}`).join(', ')})` : ''}`,
    ].map((text) => ({ type: 'mrkdwn', text: text.slice(0, SLACK_LIMITS.fieldText) })),
  }];
  if (r.unresolved.length > 0) {
    blocks.push(list(`Still open (${r.unresolved.length})`, r.unresolved.slice(0, n).map((i) =>
      `• ${i.severity} ${escapeShortened(i.alarmName, 120)}, fired ${localTimeText(i.firedAt, tz)}${i.acknowledgedBy ? ', acknowledged' : ', *not acknowledged*'}`), r.unresolved.length));
  }
  const noisy = r.alarms.filter((a) => a.flaps || a.realerts || a.unacknowledged || a.firesDaily || a.incidents > 2).slice(0, n);
  if (noisy.length > 0) {
    blocks.push(list('Noisy alarms', noisy.map((a) => `• ${escapeShortened(a.alarmName, 120)} (${a.severity}): ` +
      [plural(a.incidents, 'incident'), a.flaps && plural(a.flaps, 'flap'), a.realerts && plural(a.realerts, 're-alert'), a.unacknowledged && `${a.unacknowledged} never acknowledged`,
        a.firesDaily && 'fires every day'].filter(Boolean).join(', ')), noisy.length));
    const buttons: SlackElement[] = noisy.filter((a) => a.runbook && /^https:\/\/[\x21-\x7e]+$/.test(a.runbook) && a.runbook.length <= SLACK_LIMITS.buttonUrl).slice(0, 5)
      .map((a, i) => ({ type: 'button', text: plainTextObject(buttonText(`Runbook: ${a.alarmName}`)), url: a.runbook, action_id: `open-runbook-${i}` }));
    if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  }
  const pm = r.postmortems;
  if (pm.overdue.length > 0) {
    blocks.push(list(`Follow-up overdue: ${plural(pm.overdue.length, 'postmortem')}`, pm.overdue.slice(0, n).map((i) =>
      `• ${escapeShortened(i.alarmName, 120)} (${i.severity}), fired ${localTimeText(i.firedAt, tz)}, due ${localTimeText(i.dueAt!, tz)}${i.status ? `, ${escapeShortened(i.status, 40)}` : ''}`), pm.overdue.length));
  }
  return blocks;
}

/** The whole handoff message: a header, who hands over to whom, and the numbers' blocks. */
export function renderHandoffReport(r: HealthReport, o: HandoffOptions = {}): SlackMessage {
  const tz = r.timeZone;
  const title = `${o.title ?? 'On-call handoff'}: ${localTimeText(r.from, tz)} to ${localTimeText(r.to, tz)} (${tz})`;
  const from = who(o.from);
  const to = who(o.to);
  const handover = from || to ? [section(`${from ? `${from} hands over` : 'Handing over'}${to ? ` to ${to}` : ''}.`)] : [];
  const text = `${o.title ?? 'On-call handoff'}: ${plural(r.totals.pages, 'page')}, ${plural(r.totals.shiftsOverLimit, 'shift')} over the limit, ` +
    `${r.unresolved.length} still open, ${plural(r.postmortems.overdue.length, 'postmortem')} overdue`;
  return {
    text,
    blocks: [{ type: 'header', text: plainTextObject(title.slice(0, SLACK_LIMITS.headerText)) }, ...handover, ...handoffBlocks(r, o)],
  };
}

/** The mentions a handoff message may keep live (the Block Kit check refuses any other). */
export function handoffMentions(o: HandoffOptions): string[] {
  return [o.from, o.to].filter((w): w is string => w !== undefined && isSlackMention(w));
}

/** Everything wrong with a handoff message by Block Kit's rules (empty when it can be posted). */
export function handoffProblems(message: SlackMessage, o: HandoffOptions): string[] {
  return blockKitProblems(message, handoffMentions(o));
}
