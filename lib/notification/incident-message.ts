// The Slack app mode's messages: an incident's parent, kept up to date in place (`RESOLVED after
// 23 min`, `back in ALARM`), and its thread replies. Pure: the handler and `runbook-alarms preview`
// both render with it, on top of renderSlackMessage.
import { parseAlarmContract } from '../core/contract';
import { DEFAULT_POSTMORTEM_SETTINGS, PostmortemSettings, postmortemDeadlines, postmortemRequired } from '../core/postmortem';
import { oneLine } from '../core/text';
import { escapeShortened } from './escape';
import { CANNOT_EVALUATE, RenderOptions, SLACK_LIMITS, SlackBlock, SlackMessage, blockKitProblems, guidanceLines, guidanceTail, isSlackMention, liveMentions, plainTextObject, renderNotification, section, slackDate, stateEmoji, utcText } from './slack-message';
import { AlarmNotification, cloudWatchTime } from './sns-message';

/** What the parent shows: the incident's state by the alarm's own timestamps. */
export interface IncidentView {
  /** The latest state (`ALARM`, `OK`, `INSUFFICIENT_DATA`, …). */
  readonly state: string;
  /** When the alarm entered it (its StateChangeTime, epoch ms). */
  readonly stateAt: number;
  /** When the incident first went to ALARM (epoch ms), when known. */
  readonly firedAt?: number;
  /** When it was resolved (epoch ms), while it is. */
  readonly resolvedAt?: number;
  /** How often it went back to ALARM after a resolution. */
  readonly reopened: number;
  /** When a person acknowledged it (epoch ms), and who: a Slack user ID (`U0123ABCD`). */
  readonly acknowledgedAt?: number;
  readonly acknowledgedBy?: string;
  /** How many escalation levels fired, and when the last one did. */
  readonly escalatedLevel?: number;
  readonly escalatedAt?: number;
  /** Who each escalation level pages (names from the escalation policy). */
  readonly escalationLevels?: readonly string[];
  /** The Acknowledge button's value (it says which incident); unset: the parent has no button. */
  readonly acknowledgeValue?: string;
  /** Its postmortem, once one is asked for: `due`, `overdue`, `linked` or `not-needed`, and when it is due. */
  readonly postmortemState?: string;
  readonly postmortemDueAt?: number;
  /** The written postmortem's link (`linked`), or why none is needed (`not-needed`), and who said so (a Slack user ID). */
  readonly postmortemUrl?: string;
  readonly postmortemReason?: string;
  readonly postmortemBy?: string;
}

/** Options of the incident messages. */
export interface IncidentMessageOptions extends RenderOptions {
  /** Which incidents need a postmortem, and by when. @default DEFAULT_POSTMORTEM_SETTINGS (SEV1/SEV2, 2 business days, UTC) */
  readonly postmortem?: PostmortemSettings;
}

/** What a thread reply reports. */
export interface IncidentReply {
  /** The state before this notification, as the incident had it. */
  readonly previousState?: string;
  /** The notification is older than the state the parent shows (it arrived out of order). */
  readonly late: boolean;
}

/** The Acknowledge button's action_id: what the interactivity function acts on. */
export const ACKNOWLEDGE_ACTION = 'acknowledge';

/** The link buttons' action_ids: Slack reports their clicks too, and they are answered with nothing to do. */
export const LINK_ACTIONS: readonly string[] = ['open-runbook', 'view-alarm', 'open-dashboard', 'open-postmortem'];

/** True for a link Slack can open from a button: https, encoded ASCII, within its 3000 characters. */
export function isButtonUrl(url: unknown): url is string {
  return typeof url === 'string' && url.length <= SLACK_LIMITS.buttonUrl && /^https:\/\/[\x21-\x7e]+$/.test(url);
}

// Slack user IDs (U…, or W… in Enterprise Grid): the only users a message of ours mentions by itself.
const SLACK_USER = /^[UW][A-Z0-9]{2,40}$/;

/** True for a Slack user ID. */
export function isSlackUserId(id: unknown): id is string {
  return typeof id === 'string' && SLACK_USER.test(id);
}

/** `<@U0123ABCD>` for a user ID; undefined for anything else. */
function userMention(id: string | undefined): string | undefined {
  return isSlackUserId(id) ? `<@${id}>` : undefined;
}

/** `45 s`, `23 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** How the parent names the state: `ALARM`, `back in ALARM`, `RESOLVED after 23 min`, `INSUFFICIENT DATA`. */
export function incidentLabel(view: IncidentView): string {
  switch (view.state) {
    case 'ALARM':
      return view.reopened > 0 ? 'back in ALARM' : 'ALARM';
    case 'OK':
      return view.firedAt !== undefined && view.resolvedAt !== undefined ? `RESOLVED after ${formatDuration(view.resolvedAt - view.firedAt)}` : 'RESOLVED';
    case 'INSUFFICIENT_DATA':
      return 'INSUFFICIENT DATA';
    default:
      return oneLine(view.state).slice(0, 30) || 'UNKNOWN';
  }
}

/**
 * When the postmortem is due: the date the incident's postmortem was given, else, once resolved,
 * its resolution plus the settings' business days when the incident needs one (SEV1/SEV2 by default).
 */
export function postmortemDueAt(view: IncidentView, notification: AlarmNotification, options: IncidentMessageOptions = {}): number | undefined {
  if (view.state !== 'OK' || view.resolvedAt === undefined) return undefined;
  if (view.postmortemState !== undefined) return view.postmortemState === 'due' || view.postmortemState === 'overdue' ? view.postmortemDueAt : undefined;
  const settings = options.postmortem ?? DEFAULT_POSTMORTEM_SETTINGS;
  const severity = parseAlarmContract(notification.alarmDescription).severity;
  if (!postmortemRequired(severity, view.firedAt, view.resolvedAt, settings)) return undefined;
  return postmortemDeadlines(view.resolvedAt, settings).dueAt;
}

/** `2 business days after the resolution, Europe/Berlin`: how a due date was set. */
export function postmortemDueRule(settings: PostmortemSettings | undefined): string {
  const s = settings ?? DEFAULT_POSTMORTEM_SETTINGS;
  return `${s.dueBusinessDays} business day${s.dueBusinessDays === 1 ? '' : 's'} after the resolution${s.timeZone === 'UTC' ? '' : `, ${s.timeZone}`}`;
}

/** The parent's line about the postmortem, once one is asked for. */
function postmortemLine(view: IncidentView): string | undefined {
  const who = userMention(view.postmortemBy) ?? 'someone';
  switch (view.postmortemState) {
    case 'due':
      return view.postmortemDueAt !== undefined ? `:memo: *Postmortem due* by ${slackDate(view.postmortemDueAt)}: none linked yet.` : undefined;
    case 'overdue':
      return `:warning: *Postmortem overdue*${view.postmortemDueAt !== undefined ? ` since ${slackDate(view.postmortemDueAt)}` : ''}: none linked yet.`;
    case 'linked':
      return `:white_check_mark: *Postmortem written*: linked by ${who}${view.postmortemUrl ? ' (Open postmortem, below)' : ''}.`;
    case 'not-needed':
      return `:heavy_minus_sign: *No postmortem*: ${escapeShortened(oneLine(view.postmortemReason ?? ''), 300) || 'not needed'} (${who}).`;
    default:
      return undefined;
  }
}


function statusLine(view: IncidentView, due: number | undefined, rule: string): string {
  const fired = view.firedAt !== undefined ? slackDate(view.firedAt) : undefined;
  switch (view.state) {
    case 'ALARM':
      return view.reopened > 0
        ? `*Back in ALARM* since ${slackDate(view.stateAt)}${fired ? `; first fired ${fired}` : ''}. Updates follow in the thread.`
        : `*In ALARM* since ${slackDate(view.stateAt)}. Updates follow in the thread; this message always shows the current state.`;
    case 'OK': {
      const lead = view.firedAt !== undefined && view.resolvedAt !== undefined
        ? `*Resolved after ${formatDuration(view.resolvedAt - view.firedAt)}*: fired ${fired}, resolved ${slackDate(view.resolvedAt)}.`
        : `*Resolved* ${slackDate(view.stateAt)}.`;
      // The date itself is in the message's postmortem section (renderSlackMessage's, given the date).
      return due !== undefined && view.postmortemState === undefined ? `${lead} Postmortem due ${rule}.` : lead;
    }
    case 'INSUFFICIENT_DATA':
      return `*Cannot evaluate* since ${slackDate(view.stateAt)}${fired ? `; fired ${fired}` : ''}. Not a recovery.`;
    default:
      return `*${escapeShortened(oneLine(view.state), 40)}* since ${slackDate(view.stateAt)}.`;
  }
}

/**
 * The incident's parent message: the notification of its latest state as renderSlackMessage draws
 * it, named by the incident's state (`RESOLVED after 23 min`), with a status line under the header.
 */
export function renderIncidentParent(notification: AlarmNotification, view: IncidentView, options: IncidentMessageOptions = {}): SlackMessage {
  try {
    const due = postmortemDueAt(view, notification, options);
    // Once the postmortem is tracked, its own line says where it stands (not the message's postmortem section).
    const rendered = renderNotification(notification, { ...options, stateLabel: incidentLabel(view), postmortemDueAt: due, postmortemDue: due !== undefined && view.postmortemState === undefined });
    // A notification that fell back to the "could not be read" form is posted as it is.
    if (rendered.form !== 'whole') return rendered.message;
    const [header, ...rest] = rendered.message.blocks;
    const response = [responseLine(view), postmortemLine(view)].filter((l) => l !== undefined).join('\n');
    const blocks = [header, section(statusLine(view, due, postmortemDueRule(options.postmortem))), ...(response ? [section(response)] : []), ...rest];
    const message = { text: rendered.message.text, blocks: withPostmortemButton(withAcknowledgeButton(blocks, view), view) };
    const people = [view.acknowledgedBy, view.postmortemBy].map(userMention).filter((m): m is string => m !== undefined);
    if (blockKitProblems(message, [...liveMentionTexts(options, notification), ...people]).length === 0) return message;
  } catch {
    // the message without the incident's status, below
  }
  return renderNotification(notification, options).message;
}

/** Who acknowledged it and after how long; else the escalation so far and what comes next. */
function responseLine(view: IncidentView): string | undefined {
  const lines: string[] = [];
  const who = userMention(view.acknowledgedBy) ?? 'someone';
  if (view.acknowledgedAt !== undefined) {
    const after = view.firedAt !== undefined ? ` after ${formatDuration(view.acknowledgedAt - view.firedAt)}` : '';
    lines.push(`:raised_hand: *Acknowledged* by ${who}${after} (${slackDate(view.acknowledgedAt)}).`);
  }
  const levels = view.escalationLevels ?? [];
  const fired = view.escalatedLevel ?? 0;
  if (fired > 0) {
    const to = levels.slice(0, fired).map((n) => escapeShortened(n, 64)).join(', then ');
    lines.push(`:arrow_double_up: *Escalated* to ${to || `level ${fired}`}, not acknowledged in time.`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The Acknowledge button first among the parent's buttons, while the incident waits for one. */
function withAcknowledgeButton(blocks: SlackBlock[], view: IncidentView): SlackBlock[] {
  if (view.acknowledgeValue === undefined || view.acknowledgedAt !== undefined || view.state === 'OK') return blocks;
  const ack = { type: 'button', text: plainTextObject('Acknowledge'), action_id: ACKNOWLEDGE_ACTION, value: view.acknowledgeValue };
  const at = blocks.findIndex((b) => b.type === 'actions');
  if (at < 0) return [...blocks, { type: 'actions', elements: [ack] }];
  return blocks.map((b, i) => (i === at ? { ...b, elements: [ack, ...(b.elements ?? [])] } : b));
}

/** The written postmortem's link among the parent's buttons, once linked. */
function withPostmortemButton(blocks: SlackBlock[], view: IncidentView): SlackBlock[] {
  if (view.postmortemState !== 'linked' || !isButtonUrl(view.postmortemUrl)) return blocks;
  const open = { type: 'button', text: plainTextObject('Open postmortem'), url: view.postmortemUrl, action_id: 'open-postmortem' };
  const at = blocks.findIndex((b) => b.type === 'actions');
  if (at < 0) return [...blocks, { type: 'actions', elements: [open] }];
  return blocks.map((b, i) => (i === at ? { ...b, elements: [...(b.elements ?? []), open] } : b));
}

/** What the thread says when a person acknowledges: `✋ Acknowledged by @user after 2 min`. */
export function renderAcknowledgementReply(notification: AlarmNotification, view: IncidentView, escalationStopped: boolean): SlackMessage {
  const sev = parseAlarmContract(notification.alarmDescription).severity ?? 'NO SEVERITY';
  const who = userMention(view.acknowledgedBy) ?? 'someone';
  const after = view.acknowledgedAt !== undefined && view.firedAt !== undefined ? ` after ${formatDuration(view.acknowledgedAt - view.firedAt)}` : '';
  const stopped = escalationStopped ? ' Escalation stopped.' : '';
  const line = `:raised_hand: *Acknowledged* by ${who}${after}${view.acknowledgedAt !== undefined ? ` · ${slackDate(view.acknowledgedAt)}` : ''}.${stopped}`;
  const message = {
    text: `[${sev}] Acknowledged by ${who}${after}: ${escapeShortened(oneLine(notification.alarmName), 2000)}`,
    blocks: [section(line)],
  };
  return blockKitProblems(message, userMention(view.acknowledgedBy) ? [who] : []).length === 0 ? message : { text: `[${sev}] Acknowledged`, blocks: [section(':raised_hand: *Acknowledged*.')] };
}

/** One escalation level: who is paged now, why, and what follows. */
export interface EscalationStep {
  /** 1-based. */
  readonly level: number;
  readonly levels: number;
  /** The contacts' names and their live mentions (configured in the escalation policy). */
  readonly names: readonly string[];
  readonly mentions: readonly string[];
  /** Minutes without acknowledgement (since it entered ALARM). */
  readonly unacknowledgedMinutes: number;
  /** Whether SNS topics were published to. */
  readonly paged: boolean;
  /** The next level's name and when it fires, if any. */
  readonly next?: { readonly name: string; readonly inMinutes: number };
}

/** The thread reply of an escalation, mentioning who is paged now. */
export function renderEscalationReply(notification: AlarmNotification, step: EscalationStep): SlackMessage {
  const contract = parseAlarmContract(notification.alarmDescription);
  const sev = contract.severity ?? 'NO SEVERITY';
  const mentions = step.mentions.filter(isSlackMention).slice(0, 10);
  const names = step.names.map((n) => escapeShortened(n, 64)).join(', ');
  const lines = [
    `:arrow_double_up: *Escalated* to ${names}${mentions.length ? ` ${mentions.join(' ')}` : ''}: not acknowledged ${step.unacknowledgedMinutes} min after it went to ALARM.` +
      `${step.paged ? ' Paged through their SNS topics too.' : ''}`,
    `Level ${step.level} of ${step.levels}. ${step.next ? `Next: ${escapeShortened(step.next.name, 64)} in ${step.next.inMinutes} min unless acknowledged.` : 'This was the last level.'}`,
  ];
  lines.push(...guidanceLines(contract));
  const lead = mentions.length ? `${mentions.join(' ')} ` : '';
  const message = {
    text: `${lead}${escapeShortened(`[${sev}] Escalated (not acknowledged after ${step.unacknowledgedMinutes} min): ${oneLine(notification.alarmName)}`, SLACK_LIMITS.fallbackText - lead.length)}`,
    blocks: [section(lines.join('\n'))],
  };
  if (blockKitProblems(message, mentions).length === 0) return message;
  return { text: `${lead}[${sev}] Escalated`, blocks: [section(`:arrow_double_up: *Escalated* to level ${step.level}.${mentions.length ? ` ${mentions.join(' ')}` : ''}`)] };
}

/**
 * What a channel the policy notifies gets when an incident opens elsewhere: the alarm's message,
 * mentioning nobody (the incident's channel has the mentions), pointing at the incident's thread.
 */
export function renderIncidentCopy(notification: AlarmNotification, incidentChannel: string, options: IncidentMessageOptions = {}): SlackMessage {
  const rendered = renderNotification(notification, { ...options, mentions: [], mentionsAt: undefined });
  if (rendered.form !== 'whole') return rendered.message;
  const link = /^[CG][A-Z0-9]{6,}$/.test(incidentChannel) ? `<#${incidentChannel}>` : escapeShortened(oneLine(incidentChannel), 100);
  const [header, ...rest] = rendered.message.blocks;
  const message = { text: rendered.message.text, blocks: [header, section(`:link: Updates follow in the incident's thread in ${link}.`), ...rest] };
  return blockKitProblems(message, link.startsWith('<#') ? [link] : []).length === 0 ? message : rendered.message;
}

/** The well-formed configured mentions themselves. */
const liveMentionTexts = (options: IncidentMessageOptions, n: AlarmNotification): string[] => liveMentions(options, n).map((m) => m.mention);

function replyLabel(state: string, reply: IncidentReply, view: IncidentView, at: number | undefined): string {
  if (state === 'ALARM' && !reply.late) return reply.previousState === 'ALARM' ? 'still in ALARM' : 'back in ALARM';
  if (state === 'OK' && !reply.late && view.firedAt !== undefined && at !== undefined) return `RESOLVED after ${formatDuration(at - view.firedAt)}`;
  return incidentLabel({ state, stateAt: at ?? view.stateAt, reopened: 0 });
}

/**
 * A thread reply for one later notification of an incident: the state it reports with its time,
 * why, and what follows (first move on ALARM, the postmortem due date on a SEV1/SEV2 resolution).
 * `view` is the incident after this notification.
 */
export function renderIncidentReply(notification: AlarmNotification, view: IncidentView, reply: IncidentReply, options: IncidentMessageOptions = {}): SlackMessage {
  try {
    const message = replyMessage(notification, view, reply, options);
    if (blockKitProblems(message, liveMentionTexts(options, notification)).length === 0) return message;
  } catch {
    // the notification's own message, below
  }
  // Whatever went wrong with the reply, the notification's own message says what happened.
  return renderNotification(notification, options).message;
}

function replyMessage(notification: AlarmNotification, view: IncidentView, reply: IncidentReply, options: IncidentMessageOptions): SlackMessage {
  const n = notification;
  const contract = parseAlarmContract(n.alarmDescription);
  const sev = contract.severity ?? 'NO SEVERITY';
  const at = cloudWatchTime(n.stateChangeTime);
  const label = replyLabel(n.newState, reply, view, at);
  const emoji = stateEmoji(n.newState);
  const mentions = n.newState === 'ALARM' && !reply.late && contract.severity
    ? liveMentions(options, n).filter((m) => m.severity === contract.severity).map((m) => m.mention).slice(0, 10)
    : [];
  const due = reply.late ? undefined : postmortemDueAt(view, n, options);

  const lines: string[] = [`${emoji} *${escapeShortened(label, 80)}*${at !== undefined ? ` · ${slackDate(at)}` : ''}${mentions.length ? ` ${mentions.join(' ')}` : ''}`];
  if (reply.late) {
    lines.push(`:hourglass_flowing_sand: *Delivered late*: this ${escapeShortened(oneLine(n.newState), 30)} is older than the state shown above ` +
      `(${incidentLabel(view)} since ${slackDate(view.stateAt)}); the message above keeps the latest.`);
  }
  if (n.newState === 'ALARM' && !reply.late) lines.push(...guidanceLines(contract));
  if (n.newState === 'INSUFFICIENT_DATA') lines.push(CANNOT_EVALUATE);
  if (due !== undefined) {
    lines.push(`:memo: *Postmortem due by ${slackDate(due)}* (${postmortemDueRule(options.postmortem)})` +
      `${contract.runbookUrl ? ": the runbook's Postmortem section says how" : ''}.`);
  }
  // Each line is bounded (the first move to 1000, the rest to a few hundred): well within a section.
  const blocks: SlackBlock[] = [section(lines.join('\n'))];
  if (n.reason) blocks.push(section(`*Why:* ${escapeShortened(n.reason, SLACK_LIMITS.sectionText - 8)}`));

  let tail = '';
  if (due !== undefined) tail = ` — postmortem due by ${utcText(due)}`;
  else if (n.newState === 'ALARM' && !reply.late && (contract.firstMove || contract.never)) tail = guidanceTail(contract);
  else if (reply.late) tail = ' (delivered late)';
  const mention = mentions.length ? `${mentions.join(' ')} ` : '';
  const fallback = escapeShortened(`[${sev}] ${label}: ${oneLine(n.alarmName)}${tail}`, SLACK_LIMITS.fallbackText - mention.length);
  return { text: `${mention}${fallback}`, blocks };
}
