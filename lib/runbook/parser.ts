// Reads a runbook markdown file (SPEC §6) into its parts: front matter, sections, checklist
// items, the first move. It only reads; judging the result is runbook-lint's job.
// Pure apart from reading the file: the CDK constructs and the CLI both use it.
import * as fs from 'fs';
import { LineCounter, isMap, parseDocument } from 'yaml';
import { Severity, SeverityPolicy } from '../core/severity';

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
export interface RunbookLine {
  readonly line: number;
  readonly text: string;
  /** True inside a fenced code block (``` or ~~~), fence lines included. */
  readonly inCode: boolean;
}

/** A `- [ ] step` item. */
export interface ChecklistItem {
  readonly line: number;
  readonly text: string;
  readonly checked: boolean;
}

/** A markdown heading. */
export interface RunbookHeading {
  readonly line: number;
  /** 1 for `#`, 2 for `##`, ... */
  readonly level: number;
  /** The heading text as written, without the `#` marks. */
  readonly text: string;
  /** The required section this heading stands for, if any. */
  readonly section?: RunbookSectionName;
}

/** A level-2 section: its heading and the lines up to the next level-1 or level-2 heading. */
export interface RunbookSection {
  readonly heading: RunbookHeading;
  readonly lines: RunbookLine[];
  readonly checklist: ChecklistItem[];
}

/** A YAML problem in the front matter, located in the file. */
export interface FrontMatterError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Everything the parser found in a runbook. */
export interface ParsedRunbook {
  /** The path the runbook was read from (as given). */
  readonly file: string;
  readonly lines: RunbookLine[];
  /** True when the file starts with a `---` front matter block that is closed. */
  readonly hasFrontMatter: boolean;
  /** The parsed front matter mapping (empty when missing or broken). */
  readonly frontMatter: Record<string, unknown>;
  /** The file line of each top-level front matter key. */
  readonly frontMatterLines: Record<string, number>;
  readonly frontMatterErrors: FrontMatterError[];
  /** The first line after the front matter (1 when there is none). */
  readonly bodyStartLine: number;
  readonly headings: RunbookHeading[];
  readonly sections: RunbookSection[];
  readonly title?: string;
  readonly owner?: string;
  /** The front matter severity when valid. */
  readonly severity?: Severity;
  /** The first checklist item under Mitigate: what to do first. */
  readonly firstMove?: string;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const CHECKLIST = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(.*\S)\s*$/;

/** Which required section a heading names, if any (`## 3. Mitigate`, `## Communicate`, ...). */
export function sectionOf(headingText: string): RunbookSectionName | undefined {
  const name = headingText
    .replace(/[*_`]/g, '')
    .replace(/^\s*(step\s*)?\d+(\.\d+)*[.):-]?\s*/i, '')
    .trim()
    .toLowerCase();
  return SECTION_ALIASES.find(([re]) => re.test(name))?.[1];
}

function splitLines(text: string): RunbookLine[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: RunbookLine[] = [];
  let fence: string | undefined;
  raw.forEach((t, i) => {
    const m = FENCE.exec(t);
    if (fence === undefined && m) {
      fence = m[1];
      out.push({ line: i + 1, text: t, inCode: true });
    } else if (fence !== undefined) {
      out.push({ line: i + 1, text: t, inCode: true });
      if (m && m[1] === fence) fence = undefined;
    } else {
      out.push({ line: i + 1, text: t, inCode: false });
    }
  });
  return out;
}

function firstLineOf(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

const SIMPLE_ENTRY = /^([A-Za-z_][A-Za-z0-9_-]*):[ \t]+([A-Za-z][A-Za-z0-9 _.,()/-]*?|\d{4}-\d{2}-\d{2})[ \t]*$/;
const YAML_WORDS = /^(true|false|yes|no|on|off|null|y|n)$/i;

/**
 * The front matter as `key: value` lines whose values YAML reads as plain strings (the runbook
 * template's shape), without the YAML parser: most runbooks look like this and the parser is
 * the slowest step of a lint run. Returns undefined for anything else (quotes, lists, numbers,
 * comments, indentation, duplicate keys...), which the YAML parser then reads.
 */
export function readSimpleFrontMatter(lines: RunbookLine[]): { values: Record<string, unknown>; lines: Record<string, number> } | undefined {
  const values: Record<string, unknown> = {};
  const keyLines: Record<string, number> = {};
  for (const l of lines) {
    if (l.text.trim() === '') continue;
    const m = SIMPLE_ENTRY.exec(l.text);
    if (!m || m[1] in keyLines || YAML_WORDS.test(m[2]) || m[1] === '__proto__') return undefined;
    values[m[1]] = m[2];
    keyLines[m[1]] = l.line;
  }
  return Object.keys(keyLines).length > 0 ? { values, lines: keyLines } : undefined;
}

function readFrontMatter(lines: RunbookLine[]) {
  const result = {
    hasFrontMatter: false,
    frontMatter: {} as Record<string, unknown>,
    frontMatterLines: {} as Record<string, number>,
    frontMatterErrors: [] as FrontMatterError[],
    bodyStartLine: 1,
  };
  if (lines.length === 0 || lines[0].text.trim() !== '---') return result;
  const close = lines.findIndex((l, i) => i > 0 && (l.text.trim() === '---' || l.text.trim() === '...'));
  if (close < 0) {
    result.frontMatterErrors.push({
      line: 1,
      column: 1,
      message: 'the front matter opened with --- on line 1 is never closed; end it with a line holding only ---',
    });
    return result;
  }
  result.hasFrontMatter = true;
  result.bodyStartLine = close + 2;
  const simple = readSimpleFrontMatter(lines.slice(1, close));
  if (simple) {
    result.frontMatter = simple.values;
    result.frontMatterLines = simple.lines;
    return result;
  }
  const yamlText = lines
    .slice(1, close)
    .map((l) => l.text)
    .join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false });
  for (const err of doc.errors) {
    const pos = counter.linePos(err.pos[0]);
    result.frontMatterErrors.push({ line: pos.line + 1, column: pos.col, message: firstLineOf(err.message) });
  }
  if (doc.errors.length > 0) return result;
  if (doc.contents === null) return result;
  if (!isMap(doc.contents)) {
    result.frontMatterErrors.push({ line: 2, column: 1, message: 'the front matter must be a YAML mapping of key: value lines' });
    return result;
  }
  for (const item of doc.contents.items) {
    const key = String((item.key as { value?: unknown })?.value ?? item.key);
    const range = (item.key as { range?: [number, number, number] })?.range;
    if (range) result.frontMatterLines[key] = counter.linePos(range[0]).line + 1;
  }
  const value = doc.toJS() as Record<string, unknown> | null;
  result.frontMatter = value ?? {};
  return result;
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** Parses runbook markdown. Never throws: problems are left for the linter to report. */
export function parseRunbook(text: string, file: string): ParsedRunbook {
  const lines = splitLines(text);
  const fm = readFrontMatter(lines);
  const body = lines.slice(fm.bodyStartLine - 1);

  const headings: RunbookHeading[] = [];
  for (const l of body) {
    if (l.inCode) continue;
    const m = HEADING.exec(l.text);
    if (m) headings.push({ line: l.line, level: m[1].length, text: m[2], section: sectionOf(m[2]) });
  }

  const sections: RunbookSection[] = [];
  headings.forEach((h) => {
    if (h.level !== 2) return;
    const next = headings.find((o) => o.line > h.line && o.level <= 2);
    const end = next ? next.line : lines.length + 1;
    const sectionLines = lines.slice(h.line, end - 1);
    const checklist: ChecklistItem[] = [];
    for (const l of sectionLines) {
      const m = l.inCode ? null : CHECKLIST.exec(l.text);
      if (m) checklist.push({ line: l.line, text: m[2].trim(), checked: m[1] !== ' ' });
    }
    sections.push({ heading: h, lines: sectionLines, checklist });
  });

  const h1 = headings.find((h) => h.level === 1);
  const title = asText(fm.frontMatter.title) ?? h1?.text.replace(/^runbook:\s*/i, '');
  const mitigate = sections.find((s) => s.heading.section === RunbookSectionName.MITIGATE);
  return {
    file,
    lines,
    ...fm,
    headings,
    sections,
    title,
    owner: asText(fm.frontMatter.owner),
    severity: SeverityPolicy.parse(asText(fm.frontMatter.severity)),
    firstMove: mitigate?.checklist.find((c) => !hasPlaceholder(c.text))?.text,
  };
}

/** Reads and parses a runbook file. Throws only when the file cannot be read. */
export function readRunbook(file: string): ParsedRunbook {
  return parseRunbook(fs.readFileSync(file, 'utf8'), file);
}

const HTML_TAGS = new Set([
  'a', 'b', 'br', 'code', 'details', 'div', 'em', 'hr', 'i', 'img', 'kbd', 'li', 'ol', 'p', 'pre', 'span',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
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
    if (/^[a-z][a-z0-9+.-]*:/i.test(inner) || /^[^\s@]+@[^\s@]+$/.test(inner)) continue; // autolinks
    const tag = /^([a-z][a-z0-9]*)(\s[^>]*)?\/?$/i.exec(inner);
    if (tag && HTML_TAGS.has(tag[1].toLowerCase()) && (tag[2] === undefined || /=/.test(tag[2]))) continue;
    found.push({ column: m.index + 1, text: m[0] });
  }
  return found.sort((a, b) => a.column - b.column);
}

/** True when a line holds a placeholder. */
export function hasPlaceholder(text: string): boolean {
  return findPlaceholders(text).length > 0;
}
