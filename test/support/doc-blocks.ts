// The fenced code blocks of a markdown page, as GitHub renders them (CommonMark, read by
// markdown-it): each with its language, the words after it in the info string (`fragment`,
// `file=package.json`) and the line it starts on. Pure: used by the docs tests.
import * as fs from 'fs';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

const md = new MarkdownIt({ html: true });

/** One fenced code block of a page. */
export interface CodeBlock {
  readonly file: string;
  /** 1-based line of the block's first content line. */
  readonly line: number;
  /** The first word of the info string, in lower case (`ts`, `json`, `text`). */
  readonly lang: string;
  /** The other words of the info string (`fragment`, `file=bin/app.ts`, `steps`). */
  readonly flags: string[];
  readonly content: string;
}

/** The tokens of a markdown file. */
export function parseMarkdown(file: string): Token[] {
  return md.parse(fs.readFileSync(file, 'utf8'), {});
}

/** The fenced code blocks of a page, in order. */
export function codeBlocks(file: string, tokens: Token[] = parseMarkdown(file)): CodeBlock[] {
  return tokens.filter((t) => t.type === 'fence').map((t) => {
    const [lang = '', ...flags] = t.info.trim().split(/\s+/).filter((w) => w !== '');
    return { file, line: (t.map?.[0] ?? 0) + 2, lang: lang.toLowerCase(), flags, content: t.content };
  });
}

/** The value of a `key=value` flag of a block, if it has one. */
export function flagValue(block: CodeBlock, key: string): string | undefined {
  return block.flags.find((f) => f.startsWith(`${key}=`))?.slice(key.length + 1);
}
