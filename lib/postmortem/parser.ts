// Reads a postmortem (docs/postmortems.md): its front matter (or the SRE guide's header lines
// `Status: … Author: … Date: …` under the title), its sections, and the action items of its
// tables. The document is read as runbooks are (lib/runbook/document.ts: markdown-it), its tables
// as GFM writes them (./table.ts); this module only says what the parts mean. Judging is the rules' job.
import { Severity, parseSeverity } from '../core/severity';
import { DocumentLine, DocumentSection, MarkdownDocument, readDocument, sectionsOf } from '../runbook/document';
import { FrontMatter } from '../runbook/front-matter';
import { LineKind, inlineText } from '../runbook/markdown';
import { Table, readTables } from './table';
import { readRunbookText } from '../runbook/parser';

/** The sections of the guide's template. */
export enum PostmortemSectionName {
  SUMMARY = 'Summary',
  IMPACT = 'Impact',
  TIMELINE = 'Timeline',
  ROOT_CAUSE = 'Root cause',
  DETECTION = 'Detection',
  LESSONS = 'What went well / poorly',
  ACTION_ITEMS = 'Action items',
}

/** Every section a postmortem has, in the template's order. */
export const POSTMORTEM_SECTIONS: readonly PostmortemSectionName[] = [
  PostmortemSectionName.SUMMARY,
  PostmortemSectionName.IMPACT,
  PostmortemSectionName.TIMELINE,
  PostmortemSectionName.ROOT_CAUSE,
  PostmortemSectionName.DETECTION,
  PostmortemSectionName.LESSONS,
  PostmortemSectionName.ACTION_ITEMS,
];

const SECTION_NAMES: Array<[RegExp, PostmortemSectionName]> = [
  [/^(summary|overview|tl;?dr)\b/, PostmortemSectionName.SUMMARY],
  [/^impact\b/, PostmortemSectionName.IMPACT],
  [/^timeline\b/, PostmortemSectionName.TIMELINE],
  [/^(root[- ]?causes?|causes?|contributing factors|why it happened)\b/, PostmortemSectionName.ROOT_CAUSE],
  [/^(detection|how (we|it was) (noticed|detected))\b/, PostmortemSectionName.DETECTION],
  [/^(what went (well|wrong|poorly)|lessons( learned)?|learnings|retrospective)\b/, PostmortemSectionName.LESSONS],
  [/^(action items?|follow[- ]?ups?|actions|next steps|corrective actions)\b/, PostmortemSectionName.ACTION_ITEMS],
];

/** Where a postmortem is in its life. */
export enum PostmortemStatus {
  DRAFT = 'Draft',
  IN_REVIEW = 'In review',
  FINAL = 'Final',
}

/** The fields a postmortem names (front matter keys; the guide's header lines name some of them). */
export const POSTMORTEM_FIELDS = ['incident', 'severity', 'status', 'author', 'runbook', 'date'] as const;
export type PostmortemFieldName = (typeof POSTMORTEM_FIELDS)[number] | 'due';

/** A field's value as written, and where. */
export interface PostmortemField {
  readonly value: string;
  readonly line: number;
  readonly column: number;
  /** True when it comes from a header line under the title rather than the front matter. */
  readonly header: boolean;
}

/** A heading, and the section of the template it stands for. */
export interface PostmortemHeading {
  readonly line: number;
  readonly endLine: number;
  readonly level: number;
  readonly text: string;
  readonly section?: PostmortemSectionName;
}

export type PostmortemSection = DocumentSection<PostmortemHeading>;

/** The columns of an action-items table the rules read. */
export type ActionItemColumn = 'number' | 'action' | 'type' | 'owner' | 'due' | 'ticket' | 'status';

/** One row of an action-items table: each column's cell (undefined: the table has no such column). */
export interface ActionItem {
  readonly line: number;
  /** The row's `#` cell, else its position in the table (1-based). */
  readonly label: string;
  /** The cells as written (markdown kept). */
  readonly cells: Partial<Record<ActionItemColumn, string>>;
  /** The cells as the reader sees them rendered (`[PAY-1](url)` → `PAY-1 (url)`, `**open**` → `open`). */
  readonly text: Partial<Record<ActionItemColumn, string>>;
}

/** An action-items table: which column is which, and its rows. */
export interface ActionItemTable {
  /** The header row's line. */
  readonly line: number;
  readonly columns: Partial<Record<ActionItemColumn, number>>;
  /** The header as written. */
  readonly header: readonly string[];
  readonly items: ActionItem[];
}

/** Everything the parser found in a postmortem. */
export interface ParsedPostmortem extends FrontMatter {
  readonly file: string;
  readonly text: string;
  readonly lines: DocumentLine[];
  readonly headings: PostmortemHeading[];
  readonly sections: PostmortemSection[];
  /** The title (the level-1 heading without `Postmortem:` and a trailing `(SEV2)`). */
  readonly title?: string;
  /** The fields, from the front matter, else from the header lines. */
  readonly fields: Partial<Record<PostmortemFieldName, PostmortemField>>;
  /** The header lines under the title (`Status: …`, `Author: … Date: …`), by line. */
  readonly headerLines: readonly number[];
  /** The severity the fields (or the title's `(SEV2)`) give, when valid. */
  readonly severity?: Severity;
  /** The status, when one of Draft / In review / Final. */
  readonly status?: PostmortemStatus;
  /** The tables of the Action items section. */
  readonly actionItems: ActionItemTable[];
}

/** Which template section a heading names, if any (`## Root Cause`, `## 4. Timeline (UTC)`). */
export function postmortemSectionOf(headingText: string): PostmortemSectionName | undefined {
  // `## Root Cause`: nothing to render or strip (most headings).
  const name = /^[a-z][a-z /()-]*$/i.test(headingText) ? headingText.toLowerCase()
    : inlineText(headingText).replace(/[*_`]/g, '').replace(/^[^\p{L}]*/u, '').trim().toLowerCase();
  return SECTION_NAMES.find(([re]) => re.test(name))?.[1];
}

/** A status as people write it (`draft`, `In Review`, `in-review`, `final`); undefined for anything else. */
export function parseStatus(text: string | undefined): PostmortemStatus | undefined {
  const t = text?.trim().toLowerCase().replace(/[-_\s]+/g, ' ');
  if (t === 'draft') return PostmortemStatus.DRAFT;
  if (t === 'in review' || t === 'review') return PostmortemStatus.IN_REVIEW;
  if (t === 'final' || t === 'published') return PostmortemStatus.FINAL;
  return undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const days = new Map<string, number | undefined>();

/** A `YYYY-MM-DD` date as a UTC day number, or undefined when it is not a real date. */
export function dayOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Thousands of postmortems repeat a few hundred dates.
  if (days.has(text)) return days.get(text);
  if (days.size > 4096) days.clear();
  const day = readDay(text);
  days.set(text, day);
  return day;
}

function readDay(text: string): number | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : MONTH_DAYS[mo - 1])) return undefined;
  return Date.UTC(y, mo - 1, d) / 86_400_000;
}

// The header line keys of the guide's template (and the other fields, when written that way).
const HEADER_KEYS: Record<string, PostmortemFieldName | 'reviewer'> = {
  status: 'status', author: 'author', authors: 'author', reviewer: 'reviewer', reviewers: 'reviewer', date: 'date', incident: 'incident',
  'incident id': 'incident', severity: 'severity', runbook: 'runbook', due: 'due',
};
const HEADER_KEY = /(^|\s)(status|authors?|reviewers?|date|incident(?: id)?|severity|runbook|due)\s*:\s*/gi;

/** The `Key: value` fields of a header line, or undefined when the line is not one (it must start with a key). */
function headerFields(text: string): Array<{ key: PostmortemFieldName | 'reviewer'; value: string; column: number }> | undefined {
  const keys = [...text.matchAll(HEADER_KEY)];
  if (keys.length === 0 || text.slice(0, keys[0].index + keys[0][1].length).trim() !== '') return undefined;
  return keys.map((m, i) => {
    const start = m.index + m[0].length;
    const end = i + 1 < keys.length ? keys[i + 1].index : text.length;
    return { key: HEADER_KEYS[m[2].toLowerCase()], value: text.slice(start, end).trim(), column: m.index + m[1].length + 1 };
  });
}

/** A front matter value as text (a YAML date as `YYYY-MM-DD`). */
function asText(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

// Column headers as people write them: `Content`, `Type (prevent/mitigate/process)`, `Due date`...
const COLUMNS: Array<[RegExp, ActionItemColumn]> = [
  [/^(#|no\.?|nr\.?|id|number)$/, 'number'],
  [/^(content|action( items?)?|items?|what|description|task|follow[- ]?up)$/, 'action'],
  [/^(type|kind|category)$/, 'type'],
  [/^(owner|owners|assignee|who|owned by|responsible)$/, 'owner'],
  [/^(due|due date|deadline|by when|when|target date)$/, 'due'],
  [/^(ticket|tickets|issue|issues|link|tracking|jira|ticket \/ issue)$/, 'ticket'],
  [/^(status|state|done\??)$/, 'status'],
];

/** Which column a header cell is (its parenthesised hint dropped). */
function columnOf(header: string): ActionItemColumn | undefined {
  const name = inlineText(header).replace(/\([^)]*\)/g, '').replace(/[*_`]/g, '').trim().toLowerCase();
  return COLUMNS.find(([re]) => re.test(name))?.[1];
}

/** What inline markdown can change in a (trimmed, one-line) cell: markup, entities, escapes, doubled white space. */
const RENDERED = /[\\*_&<[!]|\s\s|\t/;

function actionItemTable(table: Table): ActionItemTable {
  const columns: Partial<Record<ActionItemColumn, number>> = {};
  table.header.cells.forEach((cell, i) => {
    const c = columnOf(cell);
    if (c && columns[c] === undefined) columns[c] = i;
  });
  const named = Object.entries(columns) as Array<[ActionItemColumn, number]>;
  const items = table.rows.map((row, i): ActionItem => {
    const cells: Partial<Record<ActionItemColumn, string>> = {};
    const text: Partial<Record<ActionItemColumn, string>> = {};
    for (const [name, index] of named) {
      const cell = row.cells[index] ?? '';
      cells[name] = cell;
      // Most cells are plain words: nothing to render.
      text[name] = RENDERED.test(cell) ? inlineText(cell) : cell;
    }
    return { line: row.line, label: text.number || String(i + 1), cells, text };
  });
  return { line: table.line, columns, header: table.header.cells, items };
}

/** Parses postmortem markdown. Never throws: problems are left for the linter to report. */
export function parsePostmortem(text: string, file: string): ParsedPostmortem {
  const doc: MarkdownDocument = readDocument(text);
  // Field by field, no object rest or spread: they cost a tenth of the parse.
  const { outline, lines } = doc;
  const fm = doc;
  const headings: PostmortemHeading[] = outline.headings.map((h) => ({ line: h.line, endLine: h.endLine, level: h.level, text: h.text, section: postmortemSectionOf(h.text) }));
  const sections = sectionsOf(headings, doc);

  const fields: Partial<Record<PostmortemFieldName, PostmortemField>> = {};
  for (const key of [...POSTMORTEM_FIELDS, 'due'] as const) {
    const value = asText(fm.frontMatter[key]);
    if (value !== undefined) fields[key] = { value, line: fm.frontMatterLines[key] ?? 1, column: 1, header: false };
  }
  // The guide's header lines: text lines between the title and the first section.
  const h1 = headings.find((h) => h.level === 1);
  const firstSection = headings.find((h) => h.level === 2);
  const headerLines: number[] = [];
  const from = h1 && (!firstSection || h1.line < firstSection.line) ? h1.endLine : fm.bodyStartLine - 1;
  const to = firstSection ? firstSection.line - 1 : lines.length;
  for (let i = from; i < to; i++) {
    const l = lines[i];
    if (l.kind !== LineKind.TEXT || l.text.trim() === '') continue;
    const found = headerFields(l.text);
    if (!found) continue;
    headerLines.push(l.line);
    for (const f of found) {
      if (f.key !== 'reviewer' && !fields[f.key] && f.value !== '') fields[f.key] = { value: f.value, line: l.line, column: f.column, header: true };
    }
  }
  let title = h1?.text.replace(/^post[- ]?mortem\s*[:\-–—]\s*/i, '').trim();
  const titleSeverity = title ? /\((SEV\s*-?\s*[1-4])\)\s*$/i.exec(title) : null;
  if (title && titleSeverity) title = title.slice(0, titleSeverity.index).trim();
  if (!fields.severity && titleSeverity && h1) fields.severity = { value: titleSeverity[1], line: h1.line, column: 1, header: true };

  const actionItems = sections.filter((s) => s.heading.section === PostmortemSectionName.ACTION_ITEMS).flatMap((s) => readTables(s.lines)).map(actionItemTable);
  return {
    file,
    text: doc.text,
    lines,
    hasFrontMatter: fm.hasFrontMatter,
    frontMatter: fm.frontMatter,
    frontMatterLines: fm.frontMatterLines,
    frontMatterErrors: fm.frontMatterErrors,
    bodyStartLine: fm.bodyStartLine,
    headings,
    sections,
    title: title || undefined,
    fields,
    headerLines,
    severity: parseSeverity(fields.severity?.value),
    status: parseStatus(fields.status?.value),
    actionItems,
  };
}

/** Reads and parses a postmortem file. Throws when the file cannot be read or is not UTF-8 text (RunbookTextError). */
export function readPostmortem(file: string): ParsedPostmortem {
  return parsePostmortem(readRunbookText(file), file);
}

/**
 * True when a markdown file is a postmortem rather than a runbook: it lies in a `postmortems`
 * folder, or names an incident in its front matter, or its title starts with "Postmortem".
 */
export function isPostmortem(file: string, text: string): boolean {
  if (/(^|[\\/])post[-_]?mortems?[\\/]/i.test(file)) return true;
  const head = text.slice(0, 4000);
  if (/^---[ \t]*\r?\n(?:(?!---)[^\n]*\n)*?incident[ \t]*:/.test(head)) return true;
  return /^#[ \t]+post[- ]?mortem\b/im.test(head);
}
