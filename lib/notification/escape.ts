// Makes text that comes from an alarm safe to put in a Slack message: it can show anything but
// never mention anyone nor form a link. Pure module: bundled into the Lambda handler.
import { oneLine, shorten } from '../core/text';

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
 * Escapes for `mrkdwn` and keeps the result within `max` characters, shortening the raw text with
 * `…` (so an entity such as `&amp;` is never cut in half).
 */
export function escapeShortened(text: string, max: number): string {
  const whole = escapeMrkdwn(text);
  if (whole.length <= max) return whole;
  // The longest raw prefix whose escaped, shortened form fits: entities make the escaped text
  // longer than the raw text by an amount that depends on where the cut falls.
  let lo = 0;
  let hi = Math.min(text.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeMrkdwn(shorten(text, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : escapeMrkdwn(shorten(text, lo));
}

/** Inline code: backticks cannot close the span early. */
export function escapeCode(text: string, max: number): string {
  return escapeShortened(oneLine(text).replace(/`/g, "'"), max);
}
