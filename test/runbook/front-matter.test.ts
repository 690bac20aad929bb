// The parser reads template-shaped front matter without the YAML library (the lint hot path);
// it must read exactly what YAML reads, and hand everything else to YAML.
import * as fc from 'fast-check';
import { parseDocument } from 'yaml';
import { NumberedLine, readSimpleFrontMatter } from '../../lib/runbook/front-matter';
import { parseRunbook } from '../../lib/runbook/parser';

const asLines = (text: string): NumberedLine[] => text.split('\n').map((t, i) => ({ line: i + 2, text: t }));

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/);
const value = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 _.,()/:#'"!&*|>%@`[\]{}-]{1,30}$/),
  fc.constantFrom('2026-11-16', 'SEV2', 'true', 'No', 'null', '12', '1e5', 'payments team', 'a - b', 'x #y', 'y', '.inf'),
  fc.uuid(),
  fc.constantFrom('12345678-1234-1234-1234-123456789012', '1e345678-1234-1234-1234-123456789012', '0x345678-1234-1234-1234-123456789012'),
);

test('whenever the fast path answers, it answers what YAML does, with the same key lines', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 6 }), (entries) => {
      const text = entries.map(([k, v]) => `${k}: ${v}`).join('\n');
      const fast = readSimpleFrontMatter(asLines(text));
      if (!fast) return; // handed to YAML
      const doc = parseDocument(text);
      expect(doc.errors).toEqual([]);
      expect(fast.values).toEqual(doc.toJS());
      entries.forEach(([k], i) => expect(fast.lines[k]).toBe(i + 2));
    }),
    { numRuns: 2000 },
  );
});

test.each([
  ['a quoted value', 'title: "Orders: backlog"'],
  ['a list', 'owners: [a, b]'],
  ['a number', 'version: 12'],
  ['a boolean', 'paged: true'],
  ['a comment', '# reviewed by ops\ntitle: x'],
  ['a duplicate key', 'owner: a\nowner: b'],
  ['an empty value', 'owner:'],
  ['nested keys', 'owner:\n  team: a'],
])('%s goes to the YAML parser', (_what, text) => {
  expect(readSimpleFrontMatter(asLines(text))).toBeUndefined();
});

test('a duplicate key is still a front matter error with its line', () => {
  const doc = parseRunbook('---\nowner: a\nowner: b\n---\n# x\n', 'x.md');
  expect(doc.frontMatterErrors).toEqual([expect.objectContaining({ line: 3 })]);
});

test('the template shape is read by the fast path, with line numbers', () => {
  const doc = parseRunbook('---\ntitle: Orders backlog\nowner: orders\nlast_updated: 2026-11-01\nseverity: SEV2\n---\n# x\n', 'x.md');
  expect(doc.frontMatter).toEqual({ title: 'Orders backlog', owner: 'orders', last_updated: '2026-11-01', severity: 'SEV2' });
  expect(doc.frontMatterLines).toEqual({ title: 2, owner: 3, last_updated: 4, severity: 5 });
});
