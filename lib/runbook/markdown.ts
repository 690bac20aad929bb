// Reads a runbook's markdown body as CommonMark (markdown-it) into what the rules look at:
// top-level headings, checklist items, link targets and what each line is, all with file lines.
// Block structure is parsed for the whole body; inline parsing runs only where a link can be.
import MarkdownIt from 'markdown-it';
import type { StateBlock, StateInline, Token } from 'markdown-it';

/** What a line of the file is, as CommonMark reads it. */
export enum LineKind {
  /** The front matter block, its `---` lines included. */
  FRONT_MATTER = 'frontMatter',
  /** A top-level heading (both lines of a setext heading). */
  HEADING = 'heading',
  /** The opening or closing line of a fenced code block. */
  FENCE = 'fence',
  /** A line of code: inside a fenced or an indented code block. */
  CODE = 'code',
  /** Inside an HTML comment block (`<!-- ... -->`). */
  COMMENT = 'comment',
  /** Anything else: prose, lists, quotes, HTML, blank lines. */
  TEXT = 'text',
}

/** A top-level heading as markdown-it found it. */
export interface MarkdownHeading {
  /** The heading's first line (the text line of a setext heading). */
  readonly line: number;
  /** The heading's last line (the underline of a setext heading). */
  readonly endLine: number;
  readonly level: number;
  /** The text as written, without the `#` marks or the underline (lines joined by a space). */
  readonly text: string;
}

/** A task list item (`- [ ] step`, `1. [x] step`) at any list depth. */
export interface MarkdownChecklistItem {
  /** The line of the list marker. */
  readonly line: number;
  /** The item's first paragraph after the box: wrapped lines joined by a space, markdown (inline code) kept. */
  readonly text: string;
  readonly checked: boolean;
}

/** A list item that is no task (`- note`, `1. note`), at any list depth. */
export interface MarkdownListItem {
  /** The line of the list marker. */
  readonly line: number;
  /** The item's first paragraph as written (markdown kept, line breaks kept). */
  readonly text: string;
}

/** How a link target is written. */
export enum LinkKind {
  /** `[text](target)` */
  INLINE = 'inline',
  /** `![alt](target)` */
  IMAGE = 'image',
  /** `[label]: target` */
  REFERENCE_DEFINITION = 'reference',
}

/** A link target written in the body: inline links, images and reference definitions. */
export interface MarkdownLink {
  readonly line: number;
  /** 1-based column of the `[` (or `!` of an image). */
  readonly column: number;
  /** The destination as written (backslash escapes and entities resolved), not percent-encoded. */
  readonly target: string;
  readonly kind: LinkKind;
}

/** The CommonMark reading of a runbook body. */
export interface MarkdownOutline {
  readonly headings: MarkdownHeading[];
  readonly checklist: MarkdownChecklistItem[];
  /** The other list items (a warning is often written as a plain bullet). */
  readonly bullets: MarkdownListItem[];
  readonly links: MarkdownLink[];
  /** The kind of each body line, by index from the body's first line. */
  readonly kinds: LineKind[];
  /** The reference definitions (`[label]: url`), for {@link inlineText} of text from this body. */
  readonly references: MarkdownReferences;
}

/** Reference definitions by normalized label, as markdown-it keeps them. */
export type MarkdownReferences = Record<string, { href: string; title?: string }>;

const TASK = /^\[([ xX])\]\s+(\S[\s\S]*)$/;
const DEFINITION_LABEL = /^\[((?:[^\\[\]]|\\.)+)\]:/;
const FENCE_LINE = /^[\s>]*(`{3,}|~{3,})\s*$/;
/** An HTML block that is one heading element and nothing else. */
const HTML_HEADING = /^\s*<h([1-6])(?:\s[^>]*)?>([\s\S]*?)<\/h\1\s*>\s*$/i;

/** Where a link or image starts in the inline source, and whether its target is written inline. */
interface LinkStart {
  readonly offset: number;
  readonly inline: boolean;
}

/** Link starts noted during an inline parse, by the index of the token the link rule pushes. */
const linkStarts = new WeakMap<StateInline, Map<number, LinkStart>>();
/** Block lines where a reference definition may start, per parse (keyed by its env). */
const definitionCandidates = new WeakMap<object, Set<number>>();

/**
 * One markdown-it instance, CommonMark as specified. The core rules are only the block parse:
 * {@link readMarkdown} runs the inline parser only where a link can be. Link destinations are kept
 * as written (no percent-encoding).
 *
 * markdown-it gives inline tokens no source positions and reference definitions no token, so two
 * rules that never match take notes: just before the link and image rules try a `[` or `![`,
 * where the token they would push lands (turned into the token's offset before post-processing
 * moves tokens); just before the reference rule tries a line, that line.
 */
function createParser(): MarkdownIt {
  const md = new MarkdownIt('commonmark');
  // The preset stops nesting at 20 and drops what is deeper; a runbook's content is never dropped.
  md.set({ maxNesting: 100 } as MarkdownIt.Options);
  // Line endings are normalized by the caller (parseRunbook) and NUL by readMarkdown: markdown-it's
  // own normalize pass would copy every body once more.
  md.core.ruler.disable(['normalize', 'inline', 'text_join']);
  md.normalizeLink = (url) => url;
  md.inline.ruler.before('link', 'runbook_link_start', (state, silent) => {
    if (silent) return false;
    const c = state.src.charCodeAt(state.pos);
    if (c !== 0x5b /* [ */ && !(c === 0x21 /* ! */ && state.src.charCodeAt(state.pos + 1) === 0x5b)) return false;
    const labelEnd = c === 0x5b
      ? state.md.helpers.parseLinkLabel(state, state.pos, true)
      : state.md.helpers.parseLinkLabel(state, state.pos + 1, false);
    if (labelEnd < 0) return false;
    let starts = linkStarts.get(state);
    if (!starts) linkStarts.set(state, (starts = new Map()));
    starts.set(state.tokens.length + (state.pending ? 1 : 0), { offset: state.pos, inline: state.src.charCodeAt(labelEnd + 1) === 0x28 /* ( */ });
    return false;
  });
  md.inline.ruler2.before('balance_pairs', 'runbook_link_start', (state) => {
    const starts = linkStarts.get(state);
    if (!starts) return false;
    for (const [index, start] of starts) {
      const token = state.tokens[index];
      if (token && (token.type === 'link_open' || token.type === 'image')) token.meta = { ...token.meta, runbookLink: start };
    }
    linkStarts.delete(state);
    return false;
  });
  md.block.ruler.before('reference', 'runbook_definition_start', (state: StateBlock, startLine: number, _endLine: number, silent: boolean) => {
    if (!silent && state.src.charCodeAt(state.bMarks[startLine] + state.tShift[startLine]) === 0x5b) {
      definitionCandidates.get(state.env)?.add(startLine);
    }
    return false;
  });
  return md;
}

let parser: MarkdownIt | undefined;

/** Where a line of an inline token's content starts in its source line (0-based column). */
function contentColumn(sourceLine: string, contentLine: string): number {
  const wanted = contentLine.trimEnd();
  const at = wanted === '' ? -1 : sourceLine.lastIndexOf(wanted);
  return at >= 0 ? at : sourceLine.length - sourceLine.trimStart().length;
}

/**
 * Places links of one inline token at their file line and column. The token's line starts and
 * each line's column in the file are worked out once per token, not once per link: a paragraph of
 * thousands of links stays linear.
 */
class LinkPlacer {
  private readonly rowStarts: number[] = [0];
  private readonly columns = new Map<number, number>();

  constructor(private readonly token: Token, private readonly lines: readonly string[], private readonly firstLine: number) {
    for (let i = token.content.indexOf('\n'); i >= 0; i = token.content.indexOf('\n', i + 1)) this.rowStarts.push(i + 1);
  }

  public place(offset: number, target: string, kind: LinkKind): MarkdownLink {
    let lo = 0;
    let hi = this.rowStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rowStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const index = this.token.map![0] + lo;
    let column = this.columns.get(lo);
    if (column === undefined) {
      const lineStart = this.rowStarts[lo];
      const lineEnd = lo + 1 < this.rowStarts.length ? this.rowStarts[lo + 1] - 1 : this.token.content.length;
      column = contentColumn(this.lines[index] ?? '', this.token.content.slice(lineStart, lineEnd));
      this.columns.set(lo, column);
    }
    return { line: this.firstLine + index, column: column + (offset - this.rowStarts[lo]) + 1, target, kind };
  }
}

function inlineLinks(token: Token, md: MarkdownIt, env: Record<string, unknown>, lines: readonly string[], firstLine: number, out: MarkdownLink[]): void {
  const children: Token[] = [];
  md.inline.parse(token.content, md, env, children);
  let placer: LinkPlacer | undefined;
  for (const child of children) {
    const isImage = child.type === 'image';
    if (child.type !== 'link_open' && !isImage) continue;
    const start = child.meta?.runbookLink as LinkStart | undefined;
    if (start && !start.inline) continue; // a reference (`[text][label]`): its definition is reported
    const target = child.attrGet(isImage ? 'src' : 'href');
    if (typeof target !== 'string' || target === '') continue;
    placer ??= new LinkPlacer(token, lines, firstLine);
    out.push(placer.place(start?.offset ?? 0, target, isImage ? LinkKind.IMAGE : LinkKind.INLINE));
  }
}

/** An inline code span as written: its backticks, padded when the code itself starts or ends with one. */
function codeSpan(token: Token): string {
  const pad = /^`|`$/.test(token.content) ? ' ' : '';
  return `${token.markup}${pad}${token.content}${pad}${token.markup}`;
}

/**
 * Inline markdown as a reader sees it rendered, as one line of plain text for places that show
 * no markdown (a Slack message, an alarm description): emphasis, HTML tags and escapes are
 * resolved (`**now**` → `now`, `&amp;` → `&`, `\*` → `*`), an image is its alt text, a link its
 * text followed by the URL when it is absolute (`[the dashboard](https://x)` → `the dashboard
 * (https://x)`) and inline code stays as written, backticks included. Line breaks become spaces.
 */
export function inlineText(source: string, references: MarkdownReferences = {}): string {
  // Nothing to resolve (code spans are kept as written): the common first move, `Run \`cmd\``; with
  // single spaces only, nothing to squeeze either.
  if (!/[\\*_&<[!]/.test(source)) return /[^\S ]| {2}/.test(source) ? source.replace(/\s+/g, ' ').trim() : source.trim();
  const md = (parser ??= createParser());
  const tokens: Token[] = [];
  md.inline.parse(source, md, { references }, tokens);
  let out = '';
  const links: Array<{ href: string; start: number }> = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'code_inline':
        out += codeSpan(t);
        break;
      case 'softbreak':
      case 'hardbreak':
        out += ' ';
        break;
      case 'html_inline':
        if (/^<br\b/i.test(t.content)) out += ' '; // other tags show nothing of their own
        break;
      case 'image':
        out += t.content;
        break;
      case 'link_open':
        links.push({ href: t.attrGet('href') ?? '', start: out.length });
        break;
      case 'link_close': {
        const link = links.pop();
        if (!link) break;
        const text = out.slice(link.start).trim();
        const absolute = /^[a-z][a-z0-9+.-]*:/i.test(link.href);
        if (absolute && text !== link.href && `mailto:${text}` !== link.href) out += ` (${link.href})`;
        break;
      }
      case 'text':
      case 'text_special':
        out += t.content;
        break;
      default: // emphasis marks: not shown
        break;
    }
  }
  return out.replace(/[ \t]+/g, ' ').trim();
}

/**
 * Reads a runbook body as CommonMark: `body` is its text with `\n` line endings, `lines` the same
 * text split into lines, its first line being file line `firstLine`. Headings are the top-level
 * ones (not inside lists, quotes, code or HTML comments); a fence closes only on a fence of its own
 * kind at least as long.
 */
export function readMarkdown(body: string, lines: readonly string[], firstLine: number): MarkdownOutline {
  const md = (parser ??= createParser());
  const env: Record<string, unknown> = {};
  const candidates = new Set<number>();
  definitionCandidates.set(env, candidates);
  const tokens = md.parse(body.includes('\0') ? body.replace(/\0/g, '\uFFFD') : body, env); // CommonMark: NUL reads as U+FFFD
  const references = (env.references ?? {}) as MarkdownReferences;
  // A candidate line that no paragraph or heading starts at was taken by the reference rule.
  const blockStarts = new Set<number>();
  const kinds: LineKind[] = new Array<LineKind>(lines.length).fill(LineKind.TEXT);
  const mark = (from: number, to: number, kind: LineKind) => {
    for (let i = from; i < to && i < kinds.length; i++) kinds[i] = kind;
  };
  const headings: MarkdownHeading[] = [];
  const checklist: MarkdownChecklistItem[] = [];
  const bullets: MarkdownListItem[] = [];
  const links: MarkdownLink[] = [];
  const defined = new Set<string>();

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const map = t.map;
    if (!map) continue;
    if (t.type === 'paragraph_open' || t.type === 'heading_open') blockStarts.add(map[0]);
    switch (t.type) {
      case 'heading_open': {
        if (t.level !== 0) break; // a heading inside a list item or a quote is not document structure
        mark(map[0], map[1], LineKind.HEADING);
        headings.push({
          line: firstLine + map[0],
          endLine: firstLine + map[1] - 1,
          level: Number(t.tag.slice(1)),
          text: tokens[i + 1].content.replace(/\s*\n\s*/g, ' '),
        });
        break;
      }
      case 'fence': {
        mark(map[0], map[1], LineKind.CODE);
        kinds[map[0]] = LineKind.FENCE;
        const last = map[1] - 1;
        const close = last > map[0] ? FENCE_LINE.exec(lines[last]) : null;
        if (close && close[1][0] === t.markup[0] && close[1].length >= t.markup.length) kinds[last] = LineKind.FENCE;
        break;
      }
      case 'code_block':
        mark(map[0], map[1], LineKind.CODE);
        break;
      case 'html_block': {
        const h = t.level === 0 ? HTML_HEADING.exec(t.content) : null;
        if (h) {
          // `<h2>Verify</h2>`: a renderer shows a heading, so the rules see one.
          mark(map[0], map[1], LineKind.HEADING);
          headings.push({ line: firstLine + map[0], endLine: firstLine + map[1] - 1, level: Number(h[1]), text: h[2].replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim() });
          break;
        }
        if (!t.content.trimStart().startsWith('<!--')) break;
        mark(map[0], map[1], LineKind.COMMENT);
        // Text after the closing `-->` on the block's last line is still text.
        const last = Math.min(map[1], lines.length) - 1;
        const end = lines[last]?.lastIndexOf('-->') ?? -1;
        if (end >= 0 && lines[last].slice(end + 3).trim() !== '') kinds[last] = LineKind.TEXT;
        break;
      }
      case 'list_item_open': {
        const inline = tokens[i + 1]?.type === 'paragraph_open' ? tokens[i + 2] : undefined;
        const m = inline?.type === 'inline' ? TASK.exec(inline.content) : null;
        if (m) {
          checklist.push({
            line: firstLine + map[0],
            text: m[2].replace(/[ \t]*\\?\n[ \t]*/g, ' ').trim(),
            checked: m[1] !== ' ',
          });
        } else if (inline?.type === 'inline') {
          bullets.push({ line: firstLine + map[0], text: inline.content });
        }
        break;
      }
      case 'inline':
        if (t.content.includes('](')) inlineLinks(t, md, env, lines, firstLine, links);
        break;
    }
  }
  for (const index of candidates) {
    if (blockStarts.has(index)) continue;
    const text = lines[index] ?? '';
    const open = text.indexOf('[');
    const m = DEFINITION_LABEL.exec(text.slice(open));
    if (!m) continue; // a label over several lines: too rare to chase
    const label = md.utils.normalizeReference(m[1]);
    if (defined.has(label)) continue; // a repeated label is never used: the first definition wins
    defined.add(label);
    const target = references[label]?.href;
    if (target) links.push({ line: firstLine + index, column: open + 1, target, kind: LinkKind.REFERENCE_DEFINITION });
  }
  links.sort((a, b) => a.line - b.line || a.column - b.column);
  return { headings, checklist, bullets, links, kinds, references };
}
