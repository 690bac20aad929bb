// A markdown document with front matter, as the runbook and postmortem parsers both read it: the
// text normalized once, the YAML front matter, the CommonMark outline of the body (markdown-it),
// every line with what it is, and the level-2 sections. Pure apart from nothing: the callers read files.
import { FrontMatter, readFrontMatter } from './front-matter';
import { LineKind, MarkdownChecklistItem, MarkdownOutline, readMarkdown } from './markdown';
import { hasPlaceholder } from './placeholders';

/** A line of the file (1-based line, the text without its line ending). */
export interface DocumentLine {
  readonly line: number;
  readonly text: string;
  /** What the line is, as CommonMark reads it. */
  readonly kind: LineKind;
  /** True inside a fenced or indented code block, fence lines included. */
  readonly inCode: boolean;
}

/** What every markdown document with front matter reads into. */
export interface MarkdownDocument extends FrontMatter {
  /** The file's text, without a byte order mark, every line ending as `\n`. */
  readonly text: string;
  /** The file's lines (`text` split at `\n`), numbered from 1. */
  readonly lines: DocumentLine[];
  /** The body's CommonMark outline (headings, checklist items, links). */
  readonly outline: MarkdownOutline;
}

/** A heading as far as sections need it. */
export interface SectionHeading {
  readonly line: number;
  readonly endLine: number;
  readonly level: number;
}

/** A level-2 section: its heading and the lines up to the next level-1 or level-2 heading. */
export interface DocumentSection<H extends SectionHeading> {
  readonly heading: H;
  readonly lines: DocumentLine[];
  readonly checklist: MarkdownChecklistItem[];
}

/** `\r\n` and `\r` as `\n` (checked first: most files have none). */
function normalizeLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Reads a document: front matter, then the body as CommonMark. Never throws. */
export function readDocument(text: string): MarkdownDocument {
  const source = normalizeLineEndings(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const raw = source.split('\n');
  const fm = readFrontMatter(raw);
  const bodyIndex = fm.bodyStartLine - 1;
  let bodyOffset = 0;
  for (let i = 0; i < bodyIndex; i++) bodyOffset += raw[i].length + 1;
  const outline = readMarkdown(source.slice(bodyOffset), raw.slice(bodyIndex), fm.bodyStartLine);
  const lines: DocumentLine[] = raw.map((t, i) => {
    const kind = i < bodyIndex ? LineKind.FRONT_MATTER : outline.kinds[i - bodyIndex];
    return { line: i + 1, text: t, kind, inCode: kind === LineKind.CODE || kind === LineKind.FENCE };
  });
  return {
    hasFrontMatter: fm.hasFrontMatter, frontMatter: fm.frontMatter, frontMatterLines: fm.frontMatterLines, frontMatterErrors: fm.frontMatterErrors,
    bodyStartLine: fm.bodyStartLine, text: source, lines, outline,
  };
}

/**
 * The level-2 sections of a document, given its headings in line order. One pass each way (a file
 * of thousands of headings stays linear): where each section ends, then which checklist items (in
 * line order) fall inside it.
 */
export function sectionsOf<H extends SectionHeading>(headings: readonly H[], doc: MarkdownDocument): DocumentSection<H>[] {
  const { lines } = doc;
  const items = doc.outline.checklist;
  const sections: DocumentSection<H>[] = [];
  const ends: number[] = new Array<number>(headings.length);
  for (let i = headings.length - 1, end = lines.length + 1; i >= 0; i--) {
    ends[i] = end; // exclusive: the next level-1 or level-2 heading's line
    if (headings[i].level <= 2) end = headings[i].line;
  }
  let item = 0;
  headings.forEach((h, i) => {
    if (h.level !== 2) return;
    const end = ends[i];
    while (item < items.length && items[item].line <= h.endLine) item++;
    const checklist: MarkdownChecklistItem[] = [];
    for (let j = item; j < items.length && items[j].line < end; j++) checklist.push(items[j]);
    sections.push({ heading: h, lines: lines.slice(h.endLine, end - 1), checklist });
  });
  return sections;
}

/**
 * True when the section holds at least one line that says something: text or code, not blank and
 * without a placeholder. A sub-heading alone, a fence line or an HTML comment is not content.
 */
export function hasContent(section: { readonly lines: readonly DocumentLine[] }): boolean {
  return section.lines.some((l) => {
    if (l.kind !== LineKind.TEXT && l.kind !== LineKind.CODE) return false;
    const t = l.text.trim();
    return t !== '' && !hasPlaceholder(t);
  });
}
