import fc from 'fast-check';
import { cutPoint, shorten, wellFormed } from '../../lib/core/text';
import { escapeMrkdwn, escapeShortened, plainText, shortenMrkdwn } from '../../lib/notification/escape';
import { hostileText } from '../support/hostile';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Where a reader's characters start and end in `text`: the only places a cut may fall. */
const boundaries = (text: string) => new Set([...graphemes.segment(text)].map((s) => s.index).concat(text.length));
/** True when `at` is such a place (the rules look one code point ahead; 64 units spare the work on long texts). */
const isBoundary = (text: string, at: number) => boundaries(text.slice(0, at + 64)).has(at);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\u200b/g, '');
// Well-formed text without zero-width spaces (the escaper adds them, so they are taken out to compare).
const text = hostileText.map((t) => wellFormed(t).replace(/\u200b/g, ''));

describe('shorten', () => {
  test.each([
    ['a surrogate pair', `${'a'.repeat(19)}👍b`, 21, `${'a'.repeat(19)}…`],
    ['a skin-tone sequence', `${'a'.repeat(18)}👍🏽b`, 21, `${'a'.repeat(18)}…`],
    ['a ZWJ family', `${'a'.repeat(10)}👨‍👩‍👧‍👦 b`, 15, `${'a'.repeat(10)}…`],
    ['a flag', `${'a'.repeat(10)}🇫🇷🇩🇪`, 15, `${'a'.repeat(10)}🇫🇷…`],
    ['a letter and its accents', `${'a'.repeat(10)}e\u0301\u0302x`, 13, `${'a'.repeat(10)}…`],
  ])('never cuts inside %s', (_what, input, max, expected) => {
    expect(shorten(input, max)).toBe(expected);
  });

  test('the cut is on a grapheme boundary of the uncut text, within max, with no lone surrogate (property)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 400 }), (t, max) => {
        const out = shorten(t, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (t.length <= max) return expect(out).toBe(t);
        expect(out.endsWith('…')).toBe(true);
        const kept = out.slice(0, -1);
        expect(t.startsWith(kept)).toBe(true);
        expect(isBoundary(t, kept.length)).toBe(true);
        expect(out).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 500 },
    );
  });

  test('cutPoint looks only at what precedes the cut and the code point after it', () => {
    const family = '👨‍👩‍👧‍👦';
    const t = `x${family}`;
    for (let i = 2; i < t.length; i++) expect(cutPoint(t, i)).toBe(1);
    expect(cutPoint(t, t.length)).toBe(t.length);
    expect(cutPoint(t, 1)).toBe(1);
  });
});

describe('escapeShortened', () => {
  test('a long plain text keeps the whole budget, ending with …', () => {
    const out = escapeShortened('x'.repeat(4800), 1200);
    expect(out).toHaveLength(1200);
    expect(out.endsWith('…')).toBe(true);
  });

  test('entities count against the budget and are never cut in half (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '&', '<', '>', ' ', 'é'), maxLength: 3000 }), fc.integer({ min: 10, max: 2000 }), (t, max) => {
        const out = escapeShortened(t, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(/[<>]/);
        // Text without characters to escape keeps exactly the budget.
        if (!/[&<>\s]/.test(t) && t.length > max) expect(out.length).toBe(max);
      }),
      { numRuns: 300 },
    );
  });

  test('hostile text: within max, escaped, and the cut is a grapheme boundary of the raw text (property)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 3000 }), (t, max) => {
        const out = escapeShortened(t, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)|[<>]/);
        expect(out).not.toMatch(LONE_SURROGATE);
        if (escapeMrkdwn(t).length <= max) return expect(out).toBe(escapeMrkdwn(t));
        const kept = unescape(out.slice(0, -1));
        expect(t.startsWith(kept)).toBe(true);
        expect(isBoundary(t, kept.length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('a 256 KB text of entities comes out at the budget, entities whole', () => {
    const huge = '&'.repeat(256 * 1024);
    const out = escapeShortened(huge, 100);
    expect(out).toBe(`${'&amp;'.repeat(19)}…`);
  });
});

describe('shortenMrkdwn', () => {
  test('never cuts an entity or one of our own <…> tokens', () => {
    const date = '<!date^1795400040^{date_short_pretty} {time_secs}|2026-11-23 02:14:00 UTC>';
    const line = `*Time* ${date}`;
    for (let max = 2; max < line.length; max++) {
      const out = shortenMrkdwn(line, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.endsWith('…')).toBe(true);
      expect(line.startsWith(out.slice(0, -1))).toBe(true);
      expect(out).not.toContain('<');
    }
    for (let max = 2; max < 20; max++) expect(shortenMrkdwn('a &amp; b &lt; c &gt;', max)).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  test('plain text (headers, buttons) is defused and cut the same way', () => {
    expect(plainText('@here 👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 19)).toBe('@\u200bhere 👨‍👩‍👧‍👦…');
    expect(plainText('@here 👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 18)).toBe('@\u200bhere…');
  });
});
