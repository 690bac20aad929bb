// Runbook-FrontMatter: the file starts with a --- YAML front matter block that parses.
import * as fs from 'fs';
import { frontMatterRule as rule } from '../../../lib/runbook/rules/front-matter';
import { BASE, check, describeFixtures, fixture, lint } from '../helpers';

const body = BASE.slice(BASE.indexOf('# Runbook'));

test('compliant: template-shaped front matter, and front matter only YAML can read', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, BASE.replace('title: Orders queue backlog', 'title: "Orders: queue backlog" # quoted, with a comment'))).toEqual([]);
});

test('non-compliant: no front matter at all', () => {
  expect(check(rule, body)).toEqual([expect.objectContaining({ line: 1, column: 1, message: 'the runbook has no front matter' })]);
});

test('non-compliant: front matter that is never closed', () => {
  const [f] = check(rule, BASE.replace('---\n# Runbook', '# Runbook'));
  expect(f).toMatchObject({ line: 1, column: 1, message: expect.stringMatching(/never closed; end it with a line holding only ---/) });
});

test('non-compliant: YAML that does not parse, at its line and column in the file', () => {
  const findings = check(rule, fs.readFileSync(fixture('front-matter.fail.md'), 'utf8'));
  // `owner: [orders` is on line 3 of the file; the parser notices the open bracket by line 4.
  expect(findings[0].line).toBeGreaterThanOrEqual(3);
  expect(findings[0].column).toBeGreaterThanOrEqual(1);
  expect(findings[0].message).toMatch(/^front matter is not valid YAML: /);
  expect(findings.every((f) => !/ at line \d+, column \d+/.test(f.message))).toBe(true); // the position is in the finding, not the text
});

test('non-compliant: YAML that is not a mapping', () => {
  expect(check(rule, `---\n- a\n- b\n---\n${body}`)).toEqual([
    expect.objectContaining({ line: 2, column: 1, message: 'front matter is not valid YAML: the front matter must be a YAML mapping of key: value lines' }),
  ]);
});

test('a duplicate key is a YAML error at the duplicate', () => {
  expect(check(rule, BASE.replace('owner: orders', 'owner: orders\nowner: payments'))).toEqual([expect.objectContaining({ line: 4 })]);
});

test('broken front matter is reported once, by this rule: owner and dates are not judged on it', () => {
  expect(lint(body).map((f) => f.ruleId)).toEqual(['Runbook-FrontMatter']);
});

describeFixtures('front-matter', rule);

describe('front matter in other shapes', () => {
  test('a YAML alias bomb is a finding at the first alias, quickly, never a crash or a hang', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const name of 'bcdefghi') levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`).join(',')}]`);
    const text = BASE.replace('title: Orders queue backlog', `title: x\n${levels.join('\n')}`);
    const started = process.hrtime.bigint();
    const findings = lint(text);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000); // 9^9 strings if it were expanded
    expect(findings.filter((f) => f.ruleId === 'Runbook-FrontMatter')).toEqual([
      expect.objectContaining({ line: 4, column: 8, message: expect.stringMatching(/alias.*write the values out instead of YAML aliases/i) }),
    ]);
    // Nothing is read from a front matter that cannot be expanded: no owner or date finding on top.
    expect(findings.map((f) => f.ruleId)).not.toContain('Runbook-Owner');
  });

  test('a few aliases are fine', () => {
    expect(check(rule, BASE.replace('title: Orders queue backlog', 'title: &t Orders queue backlog\nsummary: *t'))).toEqual([]);
  });

  test('an indented --- inside a block scalar does not close the front matter', () => {
    const doc = lint(BASE.replace('title: Orders queue backlog', 'title: Orders queue backlog\nnotes: |\n  before\n  ---\n  after'));
    expect(doc).toEqual([]);
  });

  test('TOML front matter (+++) is named as such', () => {
    const toml = BASE.replace(/^---\n([\s\S]*?)\n---\n/, (_m, b: string) => `+++\n${b.replace(/: (.*)/g, ' = "$1"')}\n+++\n`);
    expect(check(rule, toml)).toEqual([expect.objectContaining({ line: 1, column: 1, message: expect.stringMatching(/TOML \(\+\+\+\); runbooks use YAML/) })]);
  });

  test('front matter that does not start on line 1 is pointed at, with how to fix it', () => {
    expect(check(rule, `\n\n${BASE}`)).toEqual([expect.objectContaining({
      line: 3, message: 'the front matter starts on line 3; it is front matter only on line 1', fix: 'remove the 2 lines above the opening ---',
    })]);
  });
});
