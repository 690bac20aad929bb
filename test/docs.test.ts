// The docs hold up: every relative link of README.md, RULES.md and docs/**/*.md resolves (to a
// file, and to a heading when it names one, slugged as GitHub does), and every code block compiles
// or parses: ```ts blocks are type-checked against this repository's lib/ in one in-process
// TypeScript program (nothing is run, aws-cdk-lib is never loaded), ```json and ```yaml parse.
// A block that is deliberately partial says so in its info string (```ts fragment) and is skipped.
import * as fs from 'fs';
import * as path from 'path';
import type { Token } from 'markdown-it';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { CodeBlock, codeBlocks, parseMarkdown } from './support/doc-blocks';

const REPO = path.resolve(__dirname, '..');

/** The pages checked: the front door, the rules and everything under docs/. */
function docPages(): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
  return ['README.md', 'RULES.md'].map((f) => path.join(REPO, f)).concat(walk(path.join(REPO, 'docs')).sort());
}

const rel = (file: string): string => path.relative(REPO, file);

/** A heading's anchor as GitHub makes it: lower case, punctuation and emoji dropped, spaces to hyphens. */
function githubSlug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The text a heading renders to (inline code without its backticks, link text without the URL). */
function inlineText(token: Token): string {
  return (token.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'softbreak' ? ' ' : '')).join('');
}

interface Page {
  readonly file: string;
  readonly tokens: Token[];
  readonly anchors: Set<string>;
}

const pages = new Map<string, Page>();
function page(file: string): Page {
  let p = pages.get(file);
  if (!p) {
    const tokens = parseMarkdown(file);
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (t.type === 'heading_open') {
        const base = githubSlug(inlineText(tokens[i + 1]));
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.add(n === 0 ? base : `${base}-${n}`);
      }
      // Explicit anchors: <a id="..."> or <a name="...">.
      if (t.type === 'html_block' || t.type === 'html_inline') {
        for (const m of t.content.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
      }
      for (const c of t.children ?? []) {
        if (c.type === 'html_inline') for (const m of c.content.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
      }
    });
    p = { file, tokens, anchors };
    pages.set(file, p);
  }
  return p;
}

interface Link {
  readonly from: string;
  readonly line: number;
  readonly target: string;
}

/** Every link and image of a page, with the line of the block it is in. */
function linksOf(p: Page): Link[] {
  const links: Link[] = [];
  for (const t of p.tokens) {
    for (const c of t.children ?? []) {
      const target = c.type === 'link_open' ? c.attrGet('href') : c.type === 'image' ? c.attrGet('src') : null;
      if (target !== null) links.push({ from: p.file, line: (t.map?.[0] ?? 0) + 1, target });
    }
  }
  return links;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** What is wrong with a relative link, or undefined when it resolves. */
function linkProblem(link: Link): string | undefined {
  const [pathPart, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const cleanPath = decodeURIComponent(pathPart.split('?')[0]);
  const file = cleanPath === '' ? link.from : cleanPath.startsWith('/') ? path.join(REPO, cleanPath) : path.resolve(path.dirname(link.from), cleanPath);
  if (path.relative(REPO, file).startsWith('..')) return `${link.target} leaves the repository`;
  if (!fs.existsSync(file)) return `${link.target}: ${rel(file)} does not exist`;
  if (anchor !== undefined && anchor !== '' && file.endsWith('.md')) {
    const anchors = page(file).anchors;
    if (!anchors.has(anchor)) return `${link.target}: ${rel(file)} has no heading #${anchor}`;
  }
  return undefined;
}

const TYPESCRIPT = ['ts', 'typescript'];
const CHECKED = [...TYPESCRIPT, 'json', 'yaml', 'yml', 'bash', 'sh'];
/** Blocks of these languages are shown as written: program output, runbook text, diagrams. */
const SHOWN = ['text', 'markdown', 'md', 'mermaid'];

const where = (b: CodeBlock, offset = 0): string => `${rel(b.file)}:${b.line + offset}`;

/**
 * Type-checks every ```ts block as its own module, all in one program, with `cdk-runbook-alarms`
 * resolved to this repository's lib/index.ts. Only the blocks are checked (lib/ has its own tsc run).
 * A block that imports a service namespace from the root (`import { aws_s3 } from 'aws-cdk-lib'`)
 * is reported as an error: import the service module (`aws-cdk-lib/aws-s3`), as these docs do.
 */
function typeCheck(blocks: CodeBlock[]): string[] {
  const config = ts.readConfigFile(path.join(REPO, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    declaration: false,
    incremental: false,
    tsBuildInfoFile: undefined,
    noUnusedLocals: false,
    noUnusedParameters: false,
    baseUrl: REPO,
    paths: {
      'cdk-runbook-alarms': ['lib/index.ts'],
      // The package root re-exports core's names and ~300 service modules as namespaces (`aws_s3`),
      // which nobody here imports from the root: reading core only halves the files to parse.
      'aws-cdk-lib': ['node_modules/aws-cdk-lib/core/index.d.ts'],
    },
  };
  const snippets = new Map<string, CodeBlock>();
  const sources = new Map<string, string>();
  for (const b of blocks) {
    const name = path.join(REPO, '.docs-snippets', `${rel(b.file).replace(/[/\\.]/g, '-')}-L${b.line}.ts`);
    snippets.set(name, b);
    sources.set(name, `${b.content}\nexport {};\n`); // each block is a module: its names are its own
  }
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const text = sources.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, languageVersion, true) : getSourceFile(name, languageVersion, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => sources.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => sources.get(name) ?? readFile(name);
  const program = ts.createProgram([...sources.keys()], compilerOptions, host);
  const problems: string[] = [];
  for (const [name, block] of snippets) {
    const sf = program.getSourceFile(name)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line : 0;
      problems.push(`${where(block, line)} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return problems;
}

const all = docPages().map(page);
const blocks = all.flatMap((p) => codeBlocks(p.file, p.tokens));

test('every relative link in README.md, RULES.md and docs/ resolves, anchors included', () => {
  const links = all.flatMap(linksOf).filter((l) => !isExternal(l.target));
  expect(links.length).toBeGreaterThan(50);
  const problems = links.flatMap((l) => {
    const problem = linkProblem(l);
    return problem ? [`${rel(l.from)}:${l.line} ${problem}`] : [];
  });
  expect(problems).toEqual([]);
});

test('every page under docs/ can be reached from README.md', () => {
  const reached = new Set<string>();
  const queue = [path.join(REPO, 'README.md')];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const l of linksOf(page(file))) {
      if (isExternal(l.target)) continue;
      const target = decodeURIComponent(l.target.split('#')[0]);
      if (!target.endsWith('.md')) continue;
      const next = path.resolve(path.dirname(file), target);
      if (fs.existsSync(next) && !path.relative(path.join(REPO, 'docs'), next).startsWith('..')) queue.push(next);
    }
  }
  const orphans = all.map((p) => p.file).filter((f) => f.startsWith(path.join(REPO, 'docs') + path.sep) && !reached.has(f));
  expect(orphans.map(rel)).toEqual([]);
});

test('every code block names its language, and the language is one the docs use', () => {
  const unknown = blocks.filter((b) => ![...CHECKED, ...SHOWN].includes(b.lang)).map((b) => `${where(b)} \`\`\`${b.lang}`);
  expect(unknown).toEqual([]);
  const empty = blocks.filter((b) => b.content.trim() === '').map((b) => where(b));
  expect(empty).toEqual([]);
});

test('every ```json block parses and every ```yaml block is valid YAML', () => {
  const problems: string[] = [];
  for (const b of blocks) {
    if (b.flags.includes('fragment')) continue;
    if (b.lang === 'json') {
      try {
        JSON.parse(b.content);
      } catch (e) {
        problems.push(`${where(b)} ${(e as Error).message}`);
      }
    } else if (b.lang === 'yaml' || b.lang === 'yml') {
      for (const doc of parseAllDocuments(b.content)) {
        for (const e of doc.errors) problems.push(`${where(b, e.linePos?.[0].line ? e.linePos[0].line - 1 : 0)} ${e.message.split('\n')[0]}`);
      }
    }
  }
  expect(blocks.filter((b) => b.lang === 'json').length).toBeGreaterThan(2);
  expect(blocks.filter((b) => b.lang === 'yaml').length).toBeGreaterThan(2);
  expect(problems).toEqual([]);
});

/**
 * A block with a type error, checked in the same program: the check above could pass by checking
 * nothing, so it must report this block, at its line in its page.
 */
const PROBE: CodeBlock = { file: path.join(REPO, 'docs', 'probe.md'), line: 10, lang: 'ts', flags: [],
  content: "import { Severity } from 'cdk-runbook-alarms';\nconst s: Severity = 'SEV5';\n" };

let checked: string[] | undefined;
/** One program for every block and the probe (building it is most of the cost). */
const typeCheckAll = (): string[] => (checked ??= typeCheck([...blocks.filter((b) => TYPESCRIPT.includes(b.lang) && !b.flags.includes('fragment')), PROBE]));

test('every ```ts block type-checks against lib/ (one program, `cdk-runbook-alarms` resolved to lib/index.ts)', () => {
  expect(blocks.filter((b) => TYPESCRIPT.includes(b.lang) && !b.flags.includes('fragment')).length).toBeGreaterThan(10);
  expect(typeCheckAll().filter((p) => !p.startsWith('docs/probe.md:'))).toEqual([]);
});

test('the type check reports a type error in a block at its line in the page', () => {
  expect(typeCheckAll().filter((p) => p.startsWith('docs/probe.md:'))).toEqual([
    expect.stringMatching(/^docs\/probe\.md:11 Type '"SEV5"' is not assignable to type 'Severity'/),
  ]);
});

test('README.md stays a front door: at most 300 lines, and it links every page under docs/ (not design/)', () => {
  const readme = path.join(REPO, 'README.md');
  expect(fs.readFileSync(readme, 'utf8').split('\n').length).toBeLessThanOrEqual(300);
  const linked = new Set(linksOf(page(readme)).map((l) => path.resolve(REPO, decodeURIComponent(l.target.split('#')[0]))));
  const topics = fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(REPO, 'docs', f));
  expect(topics.filter((f) => !linked.has(f)).map(rel)).toEqual([]);
});

test('user docs carry no project history and cite no file outside the repository', () => {
  const history = [/\bissues? \d+\b/i, /\bgate review\b/i, /\bmain's build\b/i, /\bfinal review\b/i, /\bSPEC §/, /\bSPEC\.md\b/];
  const problems = all.flatMap((p) => fs.readFileSync(p.file, 'utf8').split('\n').flatMap((line, i) =>
    history.filter((re) => re.test(line)).map((re) => `${rel(p.file)}:${i + 1} ${re}: ${line.trim()}`)));
  expect(problems).toEqual([]);
});

test('every docs/design page the code cites exists, with the heading it names', () => {
  // Code cites the design as `docs/design/rules.md#alarm-rules`: the citation must keep resolving.
  const sources = (dir: string): string[] => fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : /\.(ts|js|mjs)$/.test(e.name) ? [path.join(dir, e.name)] : []));
  const files = ['lib', 'bin', 'test', 'bench', 'scripts'].flatMap(sources).concat('eslint.config.mjs');
  const problems = files.flatMap((f) => fs.readFileSync(path.join(REPO, f), 'utf8').split('\n').flatMap((line, i) =>
    [...line.matchAll(/\bdocs\/design\/[\w/.-]+\.md(?:#[\w-]+)?/g)].flatMap((m) => {
      const problem = linkProblem({ from: path.join(REPO, 'README.md'), line: i + 1, target: m[0] });
      return problem && !f.endsWith('docs.test.ts') ? [`${f}:${i + 1} ${problem}`] : [];
    })));
  expect(problems).toEqual([]);
});

test('the anchor slugger matches GitHub on the headings these docs use', () => {
  expect(githubSlug('`Severity` and `Route`')).toBe('severity-and-route');
  expect(githubSlug('cdk-monitoring-constructs: RunbookAlarmActionStrategy')).toBe('cdk-monitoring-constructs-runbookalarmactionstrategy');
  expect(githubSlug('Config file: .runbook-alarms.yaml')).toBe('config-file-runbook-alarmsyaml');
  expect(githubSlug('Slack app mode: one thread per incident')).toBe('slack-app-mode-one-thread-per-incident');
  expect(githubSlug('🚑 3. Mitigate')).toBe('-3-mitigate');
  expect(githubSlug('snake_case keys')).toBe('snake_case-keys');
});
