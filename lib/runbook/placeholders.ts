// Placeholders a template leaves for a person to fill in: TODO, TBD, FIXME, XXX and `<...>`
// (HTML tags, comments and autolinks excepted). Used by the parser (a placeholder is never the
// first move) and by the rules.

// The HTML a markdown file uses for layout. Element names that are also words a template leaves to
// fill in (<title>, <name>, <link>, <time>, <data>, <label>, <source>...) stay placeholders.
const HTML_TAGS = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'center', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'ol',
  'p', 'picture', 'pre', 's', 'samp', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'wbr',
]);
const ANGLE = /<([^<>\s][^<>]*?)>/g;
const TODO = /\b(TODO|TBD|FIXME|XXX)\b/g;
const MAY_HOLD_PLACEHOLDER = /<|TODO|TBD|FIXME|XXX/;

/** Placeholders left in a line: `TODO`, `TBD`, `FIXME`, `<fill this in>`. Columns are 1-based. */
export function findPlaceholders(text: string): Array<{ column: number; text: string }> {
  if (!MAY_HOLD_PLACEHOLDER.test(text)) return []; // the common case, checked in one scan
  const found: Array<{ column: number; text: string }> = [];
  for (const m of text.matchAll(TODO)) found.push({ column: m.index + 1, text: m[0] });
  for (const m of text.matchAll(ANGLE)) {
    const inner = m[1].trim();
    if (inner.startsWith('!--') || inner.startsWith('/')) continue; // comments, closing tags
    // Autolinks (CommonMark: a scheme of 2–32 characters, then no space): `<https://x>`, `<a@b.c>`; `<e.g.: a value>` is a placeholder.
    if (/^[a-z][a-z0-9+.-]{1,31}:[^\s<>]*$/i.test(inner) || /^[^\s@]+@[^\s@]+$/.test(inner)) continue;
    if (/^([@#][UWCGS][A-Z0-9]{2,}|!(here|channel|everyone|subteam\^[A-Z0-9]+))(\|[^>]*)?$/.test(inner)) continue; // Slack mentions: <@U0123ABCD>, <!subteam^S0123>
    const tag = /^([a-z][a-z0-9]*)(\s[^>]*)?\/?$/i.exec(inner);
    if (tag && HTML_TAGS.has(tag[1].toLowerCase()) && (tag[2] === undefined || /=/.test(tag[2]))) continue;
    found.push({ column: m.index + 1, text: m[0] });
  }
  return found.sort((a, b) => a.column - b.column);
}

/** True when a text holds a placeholder. */
export function hasPlaceholder(text: string): boolean {
  return findPlaceholders(text).length > 0;
}
