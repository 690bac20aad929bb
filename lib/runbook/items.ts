// What a list item under Mitigate is to the person paged: a step they can take (one of them is the
// first move), a never-do warning (it travels as the contract's `Never:` line, and is never the
// first move), or text a template left to be replaced (a placeholder, an example, the template's
// own wording). A leading label (`First move:`, `First move (stop the impact fastest):`, `Step 1:`)
// is not part of what the item says. One classifier: the parser and the rules both read it.
import { findPlaceholders } from './placeholders';

/** The classes of a Mitigate list item. */
export enum ItemClass {
  /** A step to take: it can be the first move. */
  STEP = 'step',
  /** A never-do warning (⚠️, "never", "must not", "do not …"): never the first move; travels as `Never:`. */
  WARNING = 'warning',
  /** Text a template leaves for a person to replace: `TODO`, `<…>`, `e.g.`, `例)`, the template's own example wording. */
  TEMPLATE = 'template',
}

/** A list item as the classifier sees it. */
export interface ClassifiedItem {
  readonly kind: ItemClass;
  /** The label the item starts with, as written, without its colon (`First move (stop the impact fastest)`, `Step 1`). */
  readonly label?: string;
  /** True when the label names the first move (`First move`, `Step 1`, `1st move`, `初動`). */
  readonly labelledFirst: boolean;
  /**
   * What the item says, as plain text, without its label. For a warning: what must never be done,
   * without the warning's own lead (`⚠️ What you must never do:`, `Do not`).
   */
  readonly text: string;
  /** For a template item: the text that gives it away (`e.g.)`, `TODO`, `<URL>`, or the template's wording). */
  readonly marker?: string;
}

// A step label: an ordinal move or step (`First move`, `2nd step`, `Step 1`, `Move #2`, `初動`,
// `第一手`), then an optional parenthetical the template gives it, then a colon.
const ORDINAL = 'first|second|third|fourth|fifth|next|last|final|\\d+(?:st|nd|rd|th)';
const LABEL = new RegExp(
  `^(?:(?:${ORDINAL})[ \\t]+(?:move|step|action)|(?:step|move|action)[ \\t]*#?\\d+|初動|第[一二三四五1-5][手歩]|次の手)` +
    // One run of blanks before the colon (two adjacent ones would backtrack quadratically over spaces).
    '[ \\t]*(?:[(（][^)）]*[)）][ \\t]*)?[:：][ \\t]*',
  'i',
);
const FIRST_LABEL = /^(?:first|1st)[ \t]+|^(?:step|move|action)[ \t]*#?1\b|^初動|^第[一1]/i;

// A warning sign opening the item: ⚠️ 🚫 ⛔ ❌ 🛑 ☠️, or their Slack / GitHub shortcodes.
const SIGN = /^(?:[\u26a0\u26d4\u274c\u2620\u{1f6ab}\u{1f6d1}]\ufe0f?|:(?:warning|no_entry|no_entry_sign|x|octagonal_sign|skull_and_crossbones):)[ \t]*/u;
// A prohibition opening the item: the forbidden action follows it.
const PROHIBITION = /^(?:never|do[ \t]+not|don[’']?t|must[ \t]+(?:not|never)|should[ \t]+never|you[ \t]+must[ \t]+(?:not|never))\b[ \t]*/i;
// A lead clause (before its colon) that announces a warning: a word (`Warning:`, `NG:`, `禁止:`) or a
// phrase ending in what not to do (`What you must never do:`, `Things not to do:`, `やってはいけないこと:`).
const WARNING_WORD = /^(?:warning|caution|danger|ng|禁止|厳禁|注意|警告)$/i;
const WARNING_PHRASE = /\b(?:never|not)\b.*\bdo$|いけない(?:こと)?$/i;
const MAX_LEAD = 60;

// How a template shows an example rather than the step: `e.g.`, `eg.)`, `例)`, `例：`, `for example`.
const EXAMPLE = /\be\.[ \t]?g\.?(?:[ \t]*[)）:])?|\beg\.[)）]?|例[ \t]*[)）:：]|\bfor[ \t]+example\b/i;
// The SRE guide's runbook template's own example steps (§3-1), as a person may keep them without the
// `e.g.)` in front: compared whole, in lower case, spaces squeezed.
const TEMPLATE_WORDING: ReadonlySet<string> = new Set([
  'off with a feature flag / roll back the last deploy',
  'scale out / rate limit / failover',
]);

const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What gives away an item as an example or the template's own wording, or undefined. */
function exampleMarker(text: string): string | undefined {
  const example = EXAMPLE.exec(text);
  if (example) return example[0];
  // The template's example steps are menus of options (`a / b / c`): only such a text is compared.
  if (!text.includes(' / ')) return undefined;
  const wording = squeeze(text).toLowerCase().replace(/[.。]$/, '');
  return TEMPLATE_WORDING.has(wording) ? text.trim() : undefined;
}

/** The warning an item gives, without its sign and lead, or undefined when it is no warning. */
function warningText(text: string): string | undefined {
  const sign = SIGN.exec(text);
  const body = sign ? text.slice(sign[0].length) : text;
  const prohibition = PROHIBITION.exec(body);
  const colon = body.search(/[:：]/);
  if (colon > 0 && colon <= MAX_LEAD) {
    // A lead that only announces the warning (`What you must never do:`, `Never do:`, `Warning:`).
    const lead = body.slice(0, colon);
    const bare = lead.trim();
    const announces = prohibition ? /^(?:do|do this|ever do)?[ \t]*$/i.test(lead.slice(prohibition[0].length)) : WARNING_WORD.test(bare) || WARNING_PHRASE.test(bare);
    if (announces) return body.slice(colon + 1).trim();
  }
  if (prohibition) return body.slice(prohibition[0].length);
  return sign ? body : undefined;
}

/** One classified item, always of the same shape (thousands are made in a lint run). */
function item(kind: ItemClass, label: string | undefined, text: string, marker?: string): ClassifiedItem {
  return { kind, label, labelledFirst: label !== undefined && FIRST_LABEL.test(label), text, marker };
}

/**
 * Classifies one list item: `raw` as written (markdown), `plain` as a reader sees it rendered (the
 * parser's `inlineText`: a placeholder such as `<URL>` reads as an HTML tag there, so placeholders
 * are looked for in `raw`). A placeholder makes any item template text; then a warning is a warning (an
 * example in it only describes what not to do); then an example or the template's wording makes
 * a step template text.
 */
export function classifyItem(raw: string, rendered: string): ClassifiedItem {
  const plain = rendered.trim();
  const m = LABEL.exec(plain);
  const label = m ? m[0].replace(/[ \t]*[:：][ \t]*$/, '') : undefined;
  const rest = m ? plain.slice(m[0].length) : plain;
  const placeholder = findPlaceholders(raw)[0];
  if (placeholder) return item(ItemClass.TEMPLATE, label, rest, placeholder.text);
  const warning = warningText(rest);
  if (warning !== undefined) return item(ItemClass.WARNING, label, squeeze(warning));
  const marker = exampleMarker(rest);
  return marker !== undefined ? item(ItemClass.TEMPLATE, label, rest, marker) : item(ItemClass.STEP, label, rest);
}
