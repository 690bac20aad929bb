// docs/slo.md: every code block parses (TypeScript without a syntax error, JSON as JSON) and every
// relative link resolves.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const DOC = path.join(__dirname, '..', '..', 'docs', 'slo.md');
const text = fs.readFileSync(DOC, 'utf8');

test('its TypeScript and JSON blocks parse', () => {
  const blocks = [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
  expect(blocks.filter((b) => b.lang === 'ts').length).toBeGreaterThan(0);
  for (const b of blocks) {
    if (b.lang === 'ts') {
      const source = ts.createSourceFile('block.ts', b.code, ts.ScriptTarget.ES2022, true);
      const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    }
    if (b.lang === 'json') expect(() => JSON.parse(b.code)).not.toThrow();
  }
});

test('its relative links resolve', () => {
  const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
  for (const l of links) expect(fs.existsSync(path.resolve(path.dirname(DOC), l))).toBe(true);
});
