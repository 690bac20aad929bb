// Makes text that comes from an alarm safe to put in a Slack message: it can show anything but
// never mention anyone nor form a link. Pure module: bundled into the Lambda handler.
import { cutPoint, oneLine, shorten } from '../core/text';

const ZWSP = '\u200b';

/**
 * Breaks everything Slack could read as a mention: `@here`, `@channel`, `@everyone`, `@user`
 * (with `link_names`), the raw `<!here>`, `<@U…>`, `<!subteam^…>`, `<#C…>` forms, and `<scheme:…|text>` links.
 * A zero-width space after `@` / `<` keeps the text readable but inert.
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(?=[\p{L}\p{N}_.-])/gu, `@${ZWSP}`).replace(/<(?=[!@#]|[a-z][a-z0-9+.-]*:)/gi, `<${ZWSP}`);
}

/** Escapes Slack's control characters (`&`, `<`, `>`) and defuses mentions, for `mrkdwn` text. */
export function escapeMrkdwn(text: string): string {
  return defuseMentions(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For `plain_text` objects, which Slack never parses for links or mentions: defused, not escaped. */
export function plainText(text: string, max: number): string {
  return shorten(defuseMentions(oneLine(text)), max);
}

/**
 * Shortens finished `mrkdwn` to at most `max` UTF-16 units ending in `…`. The cut is made on the
 * string that is sent, where {@link cutPoint} allows, and never inside an entity (`&amp;`) or one of
 * our own `<…>` tokens (a Slack date, a configured mention): those are left out whole.
 */
export function shortenMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = cutPoint(text, max - 1);
  // Entities are at most 5 units (`&amp;`): an `&` in the last 4 units before the cut whose `;` is not before it.
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 5) {
    const semi = text.indexOf(';', amp);
    if (semi < 0 || semi >= cut) cut = amp;
  }
  const open = text.lastIndexOf('<', cut - 1);
  if (open >= 0 && text.lastIndexOf('>', cut - 1) < open) cut = open;
  return text.slice(0, cut).trimEnd() + '…';
}

/**
 * Escapes for `mrkdwn` and keeps the result within `max` units, shortened with `…` (see
 * {@link shortenMrkdwn}). Escaping never makes text shorter, so only the first `max` units of a
 * long text (and a few after, for the cut to see what follows) are escaped: linear in `max`, not
 * in the text.
 */
export function escapeShortened(text: string, max: number): string {
  if (text.length <= max) return shortenMrkdwn(escapeMrkdwn(text), max);
  return shortenMrkdwn(escapeMrkdwn(text.slice(0, max + 8)), max);
}

/** Inline code: backticks cannot close the span early. */
export function escapeCode(text: string, max: number): string {
  return escapeShortened(oneLine(text).replace(/`/g, "'"), max);
}
