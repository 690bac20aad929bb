// Reads a runbook's front matter: the `---` block at the top of the file, as YAML (the `yaml`
// package, with line and column of each problem). Template-shaped front matter takes a fast
// path that never loads the YAML parser.
import type * as Yaml from 'yaml';

/** A line of text and its 1-based line in the file. */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/** A YAML problem in the front matter, located in the file. */
export interface FrontMatterError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** What the front matter says. */
export interface FrontMatter {
  /** True when the file starts with a `---` front matter block that is closed. */
  readonly hasFrontMatter: boolean;
  /** The parsed mapping (empty when missing or broken). */
  readonly frontMatter: Record<string, unknown>;
  /** The file line of each top-level key. */
  readonly frontMatterLines: Record<string, number>;
  readonly frontMatterErrors: FrontMatterError[];
  /** The first line after the front matter (1 when there is none). */
  readonly bodyStartLine: number;
}

// Plain strings as YAML reads them: words, a date, a UUID (a postmortem's incident id).
const SIMPLE_ENTRY = /^([A-Za-z_][A-Za-z0-9_-]*):[ \t]+([A-Za-z][A-Za-z0-9 _.,()/-]*?|\d{4}-\d{2}-\d{2}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})[ \t]*$/i;
const YAML_WORDS = /^(true|false|yes|no|on|off|null|y|n)$/i;

/**
 * The front matter as `key: value` lines whose values YAML reads as plain strings (the runbook
 * template's shape), without the YAML parser: most runbooks look like this, and loading and
 * running the parser is the slowest step of a lint run. Returns undefined for anything else
 * (quotes, lists, numbers, comments, indentation, duplicate keys...), which YAML then reads.
 */
export function readSimpleFrontMatter(lines: readonly NumberedLine[]): { values: Record<string, unknown>; lines: Record<string, number> } | undefined {
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

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;
/** Aliases a front matter may expand to: far more than a runbook needs, far fewer than an alias bomb makes. */
const MAX_ALIAS_COUNT = 100;

function firstLineOf(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Reads the front matter at the top of a file, given as its lines. Never throws. */
export function readFrontMatter(fileLines: readonly string[]): FrontMatter {
  const result = {
    hasFrontMatter: false,
    frontMatter: {} as Record<string, unknown>,
    frontMatterLines: {} as Record<string, number>,
    frontMatterErrors: [] as FrontMatterError[],
    bodyStartLine: 1,
  };
  if (fileLines.length === 0 || !OPEN.test(fileLines[0])) return result;
  // Only a `---` (or `...`) at the start of a line closes the block, as Jekyll and GitHub read it:
  // an indented `---` inside a block scalar (`notes: |`) is part of a value.
  const close = fileLines.findIndex((t, i) => i > 0 && CLOSE.test(t));
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
  const lines: NumberedLine[] = fileLines.slice(1, close).map((text, i) => ({ line: i + 2, text }));
  const simple = readSimpleFrontMatter(lines);
  if (simple) {
    result.frontMatter = simple.values;
    result.frontMatterLines = simple.lines;
    return result;
  }
  // Loaded on first use: the CLI's other commands, and template-shaped runbooks, never need it.
  const { LineCounter, isMap, parseDocument } = require('yaml') as typeof Yaml;
  const yamlText = fileLines.slice(1, close).join('\n');
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
  let value: Record<string, unknown> | null;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown> | null;
  } catch (e) {
    // An alias bomb ("billion laughs") or an alias that points at itself: YAML refuses to expand it.
    const alias = /(^|[\s,[{:])\*[^\s,\]}]+/.exec(yamlText);
    const pos = counter.linePos(alias ? alias.index + alias[1].length : 0);
    result.frontMatterErrors.push({
      line: pos.line + 1,
      column: pos.col,
      message: `${firstLineOf((e as Error).message)}; write the values out instead of YAML aliases (*name)`,
    });
    result.frontMatterLines = {};
    return result;
  }
  result.frontMatter = value ?? {};
  return result;
}
