// Reads a runbook markdown file (docs/design/runbook-format.md) into its parts: front matter, sections, checklist
// items, links, the first move. The front matter is YAML, the body CommonMark; this module puts
// the two readings together into what the rules look at. It only reads: judging is the rules' job.
// Pure apart from reading the file: the CDK constructs and the CLI both use it.
import * as fs from 'fs';
import { Severity, SeverityPolicy } from '../core/severity';
import { DocumentLine, DocumentSection, readDocument, sectionsOf } from './document';
import { FrontMatter } from './front-matter';
import { ClassifiedItem, ItemClass, classifyItem } from './items';
import { LineKind, MarkdownLink, MarkdownListItem, MarkdownReferences, inlineText } from './markdown';

/** The sections every runbook has, in this order. */
export enum RunbookSectionName {
  DETECT = 'Detect',
  TRIAGE = 'Triage',
  MITIGATE = 'Mitigate',
  VERIFY = 'Verify',
  COMMS = 'Comms',
  POSTMORTEM = 'Postmortem',
}

/** The required sections in their required order. */
export const REQUIRED_SECTIONS: RunbookSectionName[] = [
  RunbookSectionName.DETECT,
  RunbookSectionName.TRIAGE,
  RunbookSectionName.MITIGATE,
  RunbookSectionName.VERIFY,
  RunbookSectionName.COMMS,
  RunbookSectionName.POSTMORTEM,
];

const SECTION_ALIASES: Array<[RegExp, RunbookSectionName]> = [
  [/^detect(ion)?\b/, RunbookSectionName.DETECT],
  [/^triage\b/, RunbookSectionName.TRIAGE],
  [/^mitigat(e|ion)\b/, RunbookSectionName.MITIGATE],
  [/^verif(y|ication)\b/, RunbookSectionName.VERIFY],
  [/^comm(s|unicate|unication|unications)\b/, RunbookSectionName.COMMS],
  [/^post[- ]?mortem\b/, RunbookSectionName.POSTMORTEM],
];

/** A line of the file (1-based line, the text without its line ending). */
export type RunbookLine = DocumentLine;

/** A `- [ ] step` item (any list marker, any depth). */
export interface ChecklistItem {
  /** The line of the list marker. */
  readonly line: number;
  /** The whole step: wrapped lines joined by a space, inline code kept as written. */
  readonly text: string;
  readonly checked: boolean;
}

/** A list item under Mitigate (a checklist item or a plain bullet), classified. */
export interface MitigateItem extends ClassifiedItem {
  /** The line of the list marker. */
  readonly line: number;
  /** True for a checklist item (`- [ ] step`), false for a plain bullet (`- ⚠️ never …`). */
  readonly task: boolean;
}

/** One `Key: value` of a header line. */
export interface HeaderLineField {
  /** The front matter key it stands for (`last_updated` for `Last updated`), else the key as written, lower case. */
  readonly key: string;
  /** The key as written (`Last updated`). */
  readonly written: string;
  readonly value: string;
  /** 1-based column of the key. */
  readonly column: number;
}

/**
 * The line under the title that the SRE guide's template writes instead of front matter:
 * `Last updated: 2026-06-24 / Owner: payments / Related SLO: checkout-availability`.
 */
export interface RunbookHeaderLine {
  readonly line: number;
  readonly fields: HeaderLineField[];
}

/** A top-level markdown heading (ATX `## x` or setext, underlined with `===` or `---`). */
export interface RunbookHeading {
  readonly line: number;
  /** The heading's last line: its underline when setext, else `line`. */
  readonly endLine: number;
  /** 1 for `#`, 2 for `##`, ... */
  readonly level: number;
  /** The heading text as written, without the `#` marks. */
  readonly text: string;
  /** The required section this heading stands for, if any. */
  readonly section?: RunbookSectionName;
}

/** A level-2 section: its heading and the lines up to the next level-1 or level-2 heading. */
export type RunbookSection = DocumentSection<RunbookHeading>;

/** Everything the parser found in a runbook. */
export interface ParsedRunbook extends FrontMatter {
  /** The path the runbook was read from (as given). */
  readonly file: string;
  /** The file's text, without a byte order mark, every line ending as `\n`. */
  readonly text: string;
  /** The file's lines (`text` split at `\n`), numbered from 1. */
  readonly lines: RunbookLine[];
  readonly headings: RunbookHeading[];
  readonly sections: RunbookSection[];
  /** Every link target in the body (inline links, images, reference definitions), in order. */
  readonly links: MarkdownLink[];
  readonly title?: string;
  readonly owner?: string;
  /** The front matter severity when valid. */
  readonly severity?: Severity;
  /**
   * What to do first: the Mitigate checklist item labelled as the first move (`First move: …`),
   * else its first checklist item that is a step (not a warning, not template text); without its label.
   */
  readonly firstMove?: string;
  /** The line of the first move's checklist item. */
  readonly firstMoveLine?: number;
  /** The never-do warning: the first warning among Mitigate's list items, without its sign and lead. */
  readonly never?: string;
  /** The line of the never-do warning's list item. */
  readonly neverLine?: number;
  /** Mitigate's list items (checklist items and bullets), classified, in line order. */
  readonly mitigateItems: MitigateItem[];
  /** The header line under the title (`Last updated: … / Owner: …`), when there is one. */
  readonly headerLine?: RunbookHeaderLine;
}

// The header line's keys that front matter keys stand for; other keys (`Related SLO`) are kept as written.
const HEADER_KEYS: Record<string, string> = {
  'last updated': 'last_updated', 'updated': 'last_updated', 'last reviewed': 'last_updated', 'last_updated': 'last_updated',
  'owner': 'owner', 'team': 'owner', 'severity': 'severity', 'expected severity': 'severity',
};
const HEADER_FIELD = /^([A-Za-z][A-Za-z _-]{0,30}?)[ \t]*:[ \t]*(\S.*)$/;

/**
 * The header line: the first text line between the title and the first section, made only of
 * `Key: value` fields separated by ` / ` (or ` | `), one of them a front matter key.
 */
function readHeaderLine(lines: readonly RunbookLine[], from: number, to: number): RunbookHeaderLine | undefined {
  for (let i = from; i < to && i < lines.length; i++) {
    const l = lines[i];
    if (l.kind !== LineKind.TEXT || !l.text.includes(':')) continue;
    const fields: HeaderLineField[] = [];
    let column = 1;
    for (const part of l.text.split(/(\s[/|]\s)/)) {
      if (/^\s[/|]\s$/.test(part)) {
        column += part.length;
        continue;
      }
      const m = HEADER_FIELD.exec(part.trim());
      if (!m) return undefined;
      const written = m[1].trim();
      fields.push({ key: HEADER_KEYS[written.toLowerCase()] ?? written.toLowerCase(), written, value: m[2].trim(), column: column + part.length - part.trimStart().length });
      column += part.length;
    }
    return fields.some((f) => Object.values(HEADER_KEYS).includes(f.key)) ? { line: l.line, fields } : undefined;
  }
  return undefined;
}

/** Which required section a heading names, if any (`## 3. Mitigate`, `## Communicate`, ...). */
export function sectionOf(headingText: string): RunbookSectionName | undefined {
  // As rendered (`## **Verify**`, `## [Mitigate](#mitigate)`), without what leads up to the name:
  // numbering, an emoji, punctuation (`## 3. Mitigate`, `## 🚑 Mitigate`, `## Step 3: Mitigate`).
  const plain = /^(?!step)[a-z][^\\`*_&<[!]*$/i.test(headingText); // `## Verify`: nothing to render or strip
  const name = plain ? headingText.trim().toLowerCase() : inlineText(headingText)
    .replace(/[*_`]/g, '')
    .replace(/^[^\p{L}]*(step[^\p{L}]*)?/iu, '')
    .trim()
    .toLowerCase();
  return SECTION_ALIASES.find(([re]) => re.test(name))?.[1];
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}


/** Parses runbook markdown. Never throws: problems are left for the linter to report. */
export function parseRunbook(text: string, file: string): ParsedRunbook {
  const doc = readDocument(text);
  const { outline, lines, text: source, ...fm } = doc;
  // Field by field: an object spread here cost a sixth of the whole parse.
  const headings: RunbookHeading[] = outline.headings.map((h) => ({ line: h.line, endLine: h.endLine, level: h.level, text: h.text, section: sectionOf(h.text) }));
  const sections: RunbookSection[] = sectionsOf(headings, doc);

  const h1 = headings.find((h) => h.level === 1);
  const title = asText(fm.frontMatter.title) ?? h1?.text.replace(/^runbook:\s*/i, '');
  const mitigate = sections.find((s) => s.heading.section === RunbookSectionName.MITIGATE);
  const mitigateItems = mitigate ? classifyMitigate(mitigate, outline.bullets, outline.references) : [];
  const steps = mitigateItems.filter((i) => i.task && i.kind === ItemClass.STEP);
  const first = steps.find((i) => i.labelledFirst) ?? steps[0];
  const never = mitigateItems.find((i) => i.kind === ItemClass.WARNING && i.text !== '');
  const firstSection = headings.find((h) => h.level <= 2 && h !== h1);
  const headerLine = readHeaderLine(lines, h1 ? h1.endLine : fm.bodyStartLine - 1, firstSection ? firstSection.line - 1 : lines.length);
  return {
    file,
    text: source,
    lines,
    ...fm,
    headings,
    sections,
    links: outline.links,
    title,
    owner: asText(fm.frontMatter.owner),
    severity: SeverityPolicy.parse(asText(fm.frontMatter.severity)),
    // As the reader sees them: they go to Slack and into the alarm description, which show no markdown.
    firstMove: first && first.text !== '' ? first.text : undefined,
    firstMoveLine: first?.line,
    never: never?.text,
    neverLine: never?.line,
    mitigateItems,
    ...(headerLine ? { headerLine } : {}),
  };
}

/** Mitigate's checklist items and the bullets inside it, each classified as the reader sees it rendered. */
function classifyMitigate(section: RunbookSection, bullets: readonly MarkdownListItem[], references: MarkdownReferences): MitigateItem[] {
  const from = section.heading.endLine;
  const to = section.lines.length > 0 ? section.lines[section.lines.length - 1].line : from;
  // Field by field, one shape: an object spread here would cost more than the classification.
  const at = (text: string, line: number, task: boolean): MitigateItem => {
    const c = classifyItem(text, inlineText(text, references));
    return { kind: c.kind, label: c.label, labelledFirst: c.labelledFirst, text: c.text, marker: c.marker, line, task };
  };
  const items = section.checklist.map((c) => at(c.text, c.line, true));
  let bulletsIn = false;
  for (const b of bullets) {
    if (b.line <= from || b.line > to) continue;
    items.push(at(b.text, b.line, false));
    bulletsIn = true;
  }
  return bulletsIn ? items.sort((a, b) => a.line - b.line) : items;
}

/** A runbook file that cannot be read as text: binary, or not UTF-8. */
export class RunbookTextError extends Error {
  constructor(
    public readonly file: string,
    /** Where the first byte that is not UTF-8 text is (1-based). */
    public readonly line: number,
    public readonly column: number,
    /** What is wrong, without the location: `is not UTF-8 (byte 0xe9)`. */
    public readonly problem: string,
  ) {
    super(`${file}:${line}:${column} ${problem}`);
    this.name = 'RunbookTextError';
  }
}

/**
 * A runbook file's text, strictly UTF-8: a Latin-1 file or an image named `.md` would otherwise
 * be read with U+FFFD in place of what was written, and that text sent to Slack. Throws a
 * {@link RunbookTextError} naming the line and column of the first bad byte; fs errors as they are.
 */
export function readRunbookText(file: string): string {
  const bytes = fs.readFileSync(file);
  const text = bytes.toString('utf8');
  // Decoding replaces bad bytes with U+FFFD: only a text holding one (or a NUL) needs a closer look.
  if (!text.includes('\uFFFD') && !text.includes('\0')) return text;
  const nul = bytes.indexOf(0);
  const bad = nul >= 0 ? nul : firstInvalidUtf8(bytes);
  if (bad < 0) return text; // a U+FFFD written as such
  const before = bytes.subarray(0, bad).toString('utf8');
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  throw new RunbookTextError(file, line, column, nul >= 0
    ? 'the file is not text (it holds a NUL byte)'
    : `the file is not UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')})`);
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629); -1 when all do. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates or > U+10FFFF).
    const [min, max] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}

/** Reads and parses a runbook file. Throws when the file cannot be read or is not UTF-8 text. */
export function readRunbook(file: string): ParsedRunbook {
  return parseRunbook(readRunbookText(file), file);
}
