// Block Kit as this notifier uses it: the message shapes, Slack's limits, and the check every
// message passes before it is sent (on the final strings: after escaping, shortening and URL
// encoding). Pure module: bundled into the Lambda handler.
import { hasLoneSurrogate } from '../core/text';

/** Block Kit's limits (https://docs.slack.dev/reference/block-kit), in UTF-16 units (never fewer than Slack counts). */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  blocks: 50,
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  buttonValue: 2000,
  actionId: 255,
  /** Our own cap on the `text` fallback (notifications show about one line of it). */
  fallbackText: 3000,
} as const;

/** A Block Kit text object. */
export interface SlackText {
  readonly type: string;
  readonly text: string;
  readonly emoji?: boolean;
  readonly verbatim?: boolean;
}

/** A Block Kit element: link buttons, and the Slack app mode's Acknowledge button (an action with a value). */
export interface SlackElement {
  readonly type: string;
  readonly text: SlackText;
  readonly url?: string;
  /** What an action button sends back to the app (at most 2000 characters). */
  readonly value?: string;
  readonly style?: string;
  readonly action_id?: string;
}

/** A Block Kit layout block. */
export interface SlackBlock {
  readonly type: string;
  readonly text?: SlackText;
  readonly fields?: SlackText[];
  readonly elements?: SlackElement[];
}

/** What is posted to the webhook. */
export interface SlackMessage {
  /** Notification and screen-reader text: `[SEV2] ALARM: <name> — <first move>`. */
  readonly text: string;
  readonly blocks: SlackBlock[];
}

// The only `<…>` our own mrkdwn writes, besides the configured mentions: Slack dates.
const SLACK_DATE = /<!date\^\d+\^\{date_short_pretty\} \{time_secs\}\|[^<>]*>/g;
// What Slack could read as a mention or a link, once our own tokens are taken out.
const MENTION_LIKE = /@[\p{L}\p{N}_.-]/u;
const ANGLE_LIKE = /<(?:[!@#]|[a-z][a-z0-9+.-]*:)/i;
const BARE_AMP = /&(?!amp;|lt;|gt;)/;

const blank = (s: string) => s.trim() === '';

function textProblems(where: string, t: SlackText | undefined, max: number, liveMentions: readonly string[], out: string[]): void {
  if (!t || typeof t.text !== 'string') {
    out.push(`${where}: no text`);
    return;
  }
  if (t.type !== 'mrkdwn' && t.type !== 'plain_text') out.push(`${where}: text type ${t.type}`);
  if (blank(t.text)) out.push(`${where}: empty text`);
  if (t.text.length > max) out.push(`${where}: ${t.text.length} > ${max} characters`);
  if (hasLoneSurrogate(t.text)) out.push(`${where}: lone surrogate`);
  if (t.type === 'mrkdwn') mrkdwnProblems(where, t.text, liveMentions, out);
  else if (MENTION_LIKE.test(t.text) || ANGLE_LIKE.test(t.text)) out.push(`${where}: mention or link in plain text`);
}

function mrkdwnProblems(where: string, text: string, liveMentions: readonly string[], out: string[]): void {
  let rest = text.replace(SLACK_DATE, '');
  for (const m of liveMentions) rest = rest.split(m).join('');
  // A `>` opening a line is our quote markup; every other angle bracket from alarm text is escaped.
  rest = rest.replace(/^>/gm, '');
  if (/[<>]/.test(rest)) out.push(`${where}: unescaped < or >`);
  if (BARE_AMP.test(rest)) out.push(`${where}: unescaped &`);
  if (MENTION_LIKE.test(rest)) out.push(`${where}: live @mention`);
}

function urlProblems(where: string, url: unknown, out: string[]): void {
  if (typeof url !== 'string' || url.length === 0) {
    out.push(`${where}: no url`);
    return;
  }
  if (url.length > SLACK_LIMITS.buttonUrl) out.push(`${where}: url of ${url.length} > ${SLACK_LIMITS.buttonUrl} characters`);
  // What is sent is what was checked: an encoded URL is ASCII, and only http(s) is offered.
  if (!/^https?:\/\/[\x21-\x7e]+$/.test(url)) out.push(`${where}: url not an encoded http(s) URL`);
}

/**
 * Everything wrong with a message by Block Kit's rules and ours: limits, empty texts, lone
 * surrogates, URLs, and any mention or link that is not one of `liveMentions` (the configured
 * ones). Empty when the message can be sent.
 */
export function blockKitProblems(message: SlackMessage, liveMentions: readonly string[] = []): string[] {
  const out: string[] = [];
  if (!message || typeof message.text !== 'string' || blank(message.text)) out.push('text: empty');
  else {
    if (message.text.length > SLACK_LIMITS.fallbackText) out.push(`text: ${message.text.length} > ${SLACK_LIMITS.fallbackText} characters`);
    if (hasLoneSurrogate(message.text)) out.push('text: lone surrogate');
    mrkdwnProblems('text', message.text, liveMentions, out);
  }
  const blocks = Array.isArray(message?.blocks) ? message.blocks : [];
  if (blocks.length === 0) out.push('blocks: none');
  if (blocks.length > SLACK_LIMITS.blocks) out.push(`blocks: ${blocks.length} > ${SLACK_LIMITS.blocks}`);
  const actionIds = new Set<string>();
  blocks.forEach((b, i) => {
    const where = `block ${i} (${b?.type})`;
    switch (b?.type) {
      case 'header':
        if (b.text?.type !== 'plain_text') out.push(`${where}: header text must be plain_text`);
        textProblems(where, b.text, SLACK_LIMITS.headerText, liveMentions, out);
        break;
      case 'section':
        if (b.text === undefined && b.fields === undefined) out.push(`${where}: neither text nor fields`);
        if (b.text !== undefined) textProblems(where, b.text, SLACK_LIMITS.sectionText, liveMentions, out);
        if (b.fields !== undefined) {
          if (b.fields.length === 0 || b.fields.length > SLACK_LIMITS.fields) out.push(`${where}: ${b.fields.length} fields`);
          b.fields.forEach((f, j) => textProblems(`${where} field ${j}`, f, SLACK_LIMITS.fieldText, liveMentions, out));
        }
        break;
      case 'divider':
        break;
      case 'actions': {
        const elements = b.elements ?? [];
        if (elements.length === 0 || elements.length > SLACK_LIMITS.actionsElements) out.push(`${where}: ${elements.length} elements`);
        elements.forEach((e, j) => {
          const at = `${where} element ${j}`;
          if (e?.type !== 'button') out.push(`${at}: not a button`);
          if (e?.text?.type !== 'plain_text') out.push(`${at}: button text must be plain_text`);
          textProblems(at, e?.text, SLACK_LIMITS.buttonText, liveMentions, out);
          // A link, or an action that sends its value back to the app (Acknowledge).
          if (e?.url === undefined && typeof e?.value === 'string') {
            if (e.value.length === 0 || e.value.length > SLACK_LIMITS.buttonValue) out.push(`${at}: value length`);
          } else urlProblems(at, e?.url, out);
          const id = e?.action_id;
          if (typeof id !== 'string' || id.length === 0 || id.length > SLACK_LIMITS.actionId || actionIds.has(id)) out.push(`${at}: action_id missing, too long or repeated`);
          else actionIds.add(id);
          if (e?.style !== undefined && e.style !== 'primary' && e.style !== 'danger') out.push(`${at}: style ${e.style}`);
        });
        break;
      }
      default:
        out.push(`${where}: unknown block type`);
    }
  });
  return out;
}
