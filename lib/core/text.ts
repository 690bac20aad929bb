// Text helpers every layer shares: well-formed text, one line, shortening that never cuts a
// character in half, and "did you mean" for typos. Pure module: bundled into the Lambda handler.

type WellFormable = { toWellFormed?: () => string };
// Without the u flag a regex sees UTF-16 units: a high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with every lone surrogate (which JSON can carry, and which no encoder accepts) replaced by U+FFFD. */
export function wellFormed(text: string): string {
  const native = (text as WellFormable).toWellFormed;
  return typeof native === 'function' ? native.call(text) : text.replace(LONE_SURROGATE, '\ufffd');
}

/** True when the text holds a lone surrogate (Slack shows it as garbage, `encodeURIComponent` throws on it). */
export function hasLoneSurrogate(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text);
}

/** Collapses line breaks, runs of whitespace and control characters to single spaces, trimmed. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
}

// Grapheme clusters (a letter and its accents, a flag, a family emoji joined with ZWJ) as the
// reader sees them; Node's full ICU has them (without it, code points). Made on first need: the
// segmenter costs 10–20 ms to build, which no cold start should pay for a notification that fits.
let graphemes: Intl.Segmenter | null | undefined;
const segmenter = (): Intl.Segmenter | null =>
  (graphemes ??= typeof Intl === 'object' && typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('en', { granularity: 'grapheme' }) : null);

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
// Below U+0300 (where combining marks start) every character is a cluster of its own, but CR LF.
const simple = (c: number) => c < 0x300;

/**
 * The largest index ≤ `index` where `text` can be cut without splitting a character the reader
 * sees as one: never inside a surrogate pair, an emoji sequence or a letter with its marks.
 * Looks only at the text up to `index` and the code point there, so it costs O(index), not O(text).
 */
export function cutPoint(text: string, index: number): number {
  if (index >= text.length) return text.length;
  if (index <= 0) return 0;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  if (simple(before) && simple(after) && !(before === 0x0d && after === 0x0a)) return index;
  // A pair split at `index` is no cut point whatever the segmenter says.
  let at = isLow(after) && isHigh(before) ? index - 1 : index;
  const seg = segmenter();
  if (seg && at > 0) {
    // The boundary rules need what precedes and the one code point after the cut.
    const segment = seg.segment(text.slice(0, at + 2)).containing(at);
    if (segment) at = segment.index;
  } else if (!seg && at > 0 && text.charCodeAt(at - 1) === 0x0d && text.charCodeAt(at) === 0x0a) at--;
  return at;
}

/**
 * Shortens to at most `max` UTF-16 units ending in `…`, cut where {@link cutPoint} allows (the
 * cluster that would not fit is left out whole), trailing spaces dropped.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return text.slice(0, cutPoint(text, max - 1)).trimEnd() + '…';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The option closest to a mistyped word (at most `maxDistance` edits away, case-insensitive), for "did you mean" hints. */
export function closest(word: string, options: readonly string[], maxDistance = 3): string | undefined {
  const lower = word.toLowerCase();
  let best: { option: string; distance: number } | undefined;
  for (const option of options) {
    const distance = editDistance(lower, option.toLowerCase());
    if (!best || distance < best.distance) best = { option, distance };
  }
  return best && best.distance <= maxDistance ? best.option : undefined;
}
