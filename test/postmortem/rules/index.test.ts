// Guards POSTMORTEM_RULES: no postmortem rule may silently disappear from the lint, lose its tests
// or its documentation (RULES.md), and findings come out in file order.
import * as fs from 'fs';
import * as path from 'path';
import { FindingLevel } from '../../../lib/core/finding';
import { POSTMORTEM_RULES } from '../../../lib/postmortem/lint';
import { lint, variant } from '../helpers';

// rule id -> its level and its test file here, in the order findings are reported (SPEC §10 names them)
const RULES: Array<[string, FindingLevel, string]> = [
  ['Postmortem-FrontMatter', FindingLevel.ERROR, 'front-matter.test.ts'],
  ['Postmortem-Sections', FindingLevel.ERROR, 'sections.test.ts'],
  ['Postmortem-ActionItem', FindingLevel.ERROR, 'action-item.test.ts'],
  ['Postmortem-ActionItemOverdue', FindingLevel.ERROR, 'action-item-overdue.test.ts'],
  ['Postmortem-VagueActionItem', FindingLevel.WARNING, 'vague-action-item.test.ts'],
  ['Postmortem-Blame', FindingLevel.WARNING, 'blame.test.ts'],
  ['Postmortem-RunbookNotUpdated', FindingLevel.WARNING, 'runbook-not-updated.test.ts'],
];

test('POSTMORTEM_RULES holds every postmortem rule, once each, at its level', () => {
  expect(POSTMORTEM_RULES.map((r) => [r.id, r.level])).toEqual(RULES.map(([id, level]) => [id, level]));
});

/** Where a rule is exported from: its module under lib/postmortem/rules and its export name. */
function homeOf(id: string): { module: string; name: string } | undefined {
  const dir = path.join(__dirname, '..', '..', '..', 'lib', 'postmortem', 'rules');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const module = file.replace(/\.ts$/, '');
    const exports = require(path.join(dir, module)) as Record<string, unknown>;
    const name = Object.keys(exports).find((k) => (exports[k] as { id?: unknown })?.id === id);
    if (name) return { module, name };
  }
  return undefined;
}

test.each(RULES)('%s has its own module and test file, with a compliant case, non-compliant ones and fixtures', (id, _level, file) => {
  const home = homeOf(id);
  expect(home).toBeDefined();
  const text = fs.readFileSync(path.join(__dirname, file), 'utf8');
  expect(text).toMatch(new RegExp(`import \\{ ${home!.name} as rule(, [A-Za-z]+)? \\} from '../../../lib/postmortem/rules/${home!.module}';`));
  expect(text).toMatch(/^test\('compliant/m);
  expect(text).toMatch(/\('non-compliant: /);
  expect(text).toContain('describeFixtures(');
});

test('every rule says what it checks and why, and RULES.md documents it', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'RULES.md'), 'utf8');
  for (const r of POSTMORTEM_RULES) {
    expect(r.description).not.toBe('');
    expect(r.help.length).toBeGreaterThan(40);
    expect(doc).toContain(`\`${r.id}\``);
  }
});

test('lintPostmortem runs every rule and sorts findings by line, then column', () => {
  const text = variant(
    ['author: Dana Whitfield\n', ''],
    ['The load test for', 'Sam forgot that the load test for'],
    ['Scale the consumer on queue depth (target 100 messages per task)', 'Be careful with scaling'],
    ['2026-11-27 | PAY-1432 | open', '2026-11-20 | PAY-1432 | open'],
  );
  expect(lint(text).map((f) => [f.ruleId, f.line])).toEqual([
    ['Postmortem-FrontMatter', 7],
    ['Postmortem-Blame', 29],
    ['Postmortem-ActionItemOverdue', 42],
    ['Postmortem-VagueActionItem', 42],
  ]);
});
