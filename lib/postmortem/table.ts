// GFM tables (github.github.com/gfm, "Tables"), read from a section's lines: CommonMark, which
// markdown-it reads the document as, has none, so a table is a paragraph of text lines there. A
// table is a header row, a delimiter row with as many cells, and the rows up to a blank line or a
// line that is no row; a row's cells are split at every `|` not escaped as `\|`, a leading and a
// trailing `|` dropped; rows are cut or padded to the header's width.
import { DocumentLine } from '../runbook/document';
import { LineKind } from '../runbook/markdown';

/** A row: its file line and its cells as written (trimmed, `\|` read as `|`). */
export interface TableRow {
  readonly line: number;
  readonly cells: string[];
}

/** A table: its header row and its body rows. */
export interface Table {
  /** The header row's line. */
  readonly line: number;
  readonly header: TableRow;
  readonly rows: TableRow[];
}

const DELIMITER_CELL = /^:?-+:?$/;

/** A line's cells, or undefined when it holds no `|`. */
function cellsOf(text: string): string[] | undefined {
  if (!text.includes('|')) return undefined;
  let t = text.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|') && !t.endsWith('\\|')) t = t.slice(0, -1);
  // Most rows escape no pipe: one split.
  if (!t.includes('\\|')) return t.split('|').map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '\\' && t[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** The tables among `lines` (text lines only: not in code, comments or headings). */
export function readTables(lines: readonly DocumentLine[]): Table[] {
  const tables: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i];
    const next = lines[i + 1];
    if (head.kind !== LineKind.TEXT || next.kind !== LineKind.TEXT || !next.text.includes('-')) continue;
    const header = cellsOf(head.text);
    const delimiter = header && cellsOf(next.text);
    if (!header || !delimiter || delimiter.length !== header.length || !delimiter.every((c) => DELIMITER_CELL.test(c))) continue;
    const rows: TableRow[] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].kind === LineKind.TEXT && lines[j].text.trim() !== ''; j++) {
      const cells = cellsOf(lines[j].text);
      if (!cells) break;
      rows.push({ line: lines[j].line, cells: header.map((_, k) => cells[k] ?? '') });
    }
    tables.push({ line: head.line, header: { line: head.line, cells: header }, rows });
    i = j - 1;
  }
  return tables;
}
