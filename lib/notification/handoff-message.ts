// The handoff message: at each handoff of a rotation, the team's channel learns who hands over to
// whom, until when, and which incidents are still unresolved. More sections (a shift's numbers)
// come from the handoff function's section sources, appended in order within Block Kit's limits.
// Pure: the function and the tests render with it.
import { oneLine } from '../core/text';
import { SLACK_LIMITS, SlackBlock, SlackMessage, blockKitProblems, section, slackDate, stateEmoji } from './slack-message';
import { escapeShortened } from './escape';

/** An unresolved incident as the handoff lists it. */
export interface HandoffIncident {
  readonly alarmName: string;
  readonly severity?: string;
  readonly state: string;
  /** When it entered its state (epoch ms). */
  readonly stateAt: number;
  /** Who acknowledged it: a Slack user ID. */
  readonly acknowledgedBy?: string;
  readonly escalatedLevel?: number;
  /** The channel (ID) of its thread. */
  readonly channel: string;
}

/** One handoff of a rotation. */
export interface Handoff {
  /** The rotation's contact name (`primary_oncall`). */
  readonly rotation: string;
  /** The policy's service. */
  readonly service?: string;
  /** Who hands over and who takes over: Slack mentions (`''`: the member has none). */
  readonly from: string;
  readonly to: string;
  /** When the incoming shift started and ends (epoch ms). */
  readonly at: number;
  readonly until: number;
  /** Every incident not resolved at the handoff, most severe first. */
  readonly unresolved: readonly HandoffIncident[];
}

/** How many unresolved incidents the message lists by name (the rest are counted). */
export const HANDOFF_LISTED = 15;

const USER = /^[UW][A-Z0-9]{2,40}$/;
const CHANNEL = /^[CG][A-Z0-9]{6,}$/;
const MENTION = /^<(?:@[UW][A-Z0-9]{2,40}|!subteam\^[A-Z0-9]{2,40})>$/;

/** A person as the message names them: their mention, or `someone with no Slack mention`. */
const person = (mention: string): string => (MENTION.test(mention) ? mention : 'someone with no Slack mention');

function incidentLine(i: HandoffIncident, live: string[]): string {
  const sev = i.severity ? escapeShortened(i.severity, 10) : 'NO SEVERITY';
  const ack = i.acknowledgedBy && USER.test(i.acknowledgedBy) ? `<@${i.acknowledgedBy}>` : undefined;
  if (ack) live.push(ack);
  const where = CHANNEL.test(i.channel) ? `<#${i.channel}>` : escapeShortened(oneLine(i.channel), 80);
  if (where.startsWith('<#')) live.push(where);
  const state = i.state === 'ALARM' ? `in ALARM since ${slackDate(i.stateAt)}` : `${escapeShortened(oneLine(i.state), 30)} since ${slackDate(i.stateAt)}`;
  const response = ack ? `, acknowledged by ${ack}` : i.escalatedLevel ? `, escalated to level ${i.escalatedLevel}, not acknowledged` : ', not acknowledged';
  return `${stateEmoji(i.state)} *[${sev}] ${escapeShortened(oneLine(i.alarmName), 200)}*: ${state}${response}; thread in ${where}`;
}

/**
 * The handoff message; `extra` blocks (the sections of further sources) follow the incidents, as
 * many as Block Kit's 50 blocks allow. Never throws; a message that breaks a Block Kit rule falls
 * back to its text alone.
 */
export function renderHandoffMessage(h: Handoff, extra: readonly SlackBlock[] = []): SlackMessage {
  const live = [h.from, h.to].filter((m) => MENTION.test(m));
  const name = escapeShortened(oneLine(h.rotation), 64);
  const service = h.service ? ` · ${escapeShortened(oneLine(h.service), 60)}` : '';
  // Whole lines only, within a section's 3,000 characters (a cut could split a mention or a date).
  const lines: string[] = [];
  let used = 200;
  for (const i of h.unresolved.slice(0, HANDOFF_LISTED)) {
    const line = incidentLine(i, live);
    if (used + line.length + 1 > SLACK_LIMITS.sectionText) break;
    lines.push(line);
    used += line.length + 1;
  }
  const more = h.unresolved.length - lines.length;
  const count = h.unresolved.length;
  const incidents = count === 0
    ? ':white_check_mark: *No unresolved incidents.*'
    : `*${count} unresolved incident${count > 1 ? 's' : ''}* to hand over:\n${lines.join('\n')}${more > 0 ? `\n…and ${more} more (the incident table has them all)` : ''}`;
  const text = `On-call handoff (${name}${h.service ? `, ${escapeShortened(oneLine(h.service), 60)}` : ''}): ${person(h.from)} → ${person(h.to)}; ` +
    `${count} unresolved incident${count === 1 ? '' : 's'}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `🔁 On-call handoff · ${oneLine(h.rotation).slice(0, 64)}${h.service ? ` · ${oneLine(h.service).slice(0, 60)}` : ''}`, emoji: true } },
    section(`${person(h.from)} hands over to ${person(h.to)}, on call from ${slackDate(h.at)} until ${slackDate(h.until)} (${name}${service}).`),
    section(incidents),
    ...extra.slice(0, SLACK_LIMITS.blocks - 3),
  ];
  const message = { text, blocks };
  if (blockKitProblems(message, live).length === 0) return message;
  return { text, blocks: [section(escapeShortened(text, SLACK_LIMITS.sectionText))] };
}
