// Guards RUNBOOK_RULES: no runbook rule may silently disappear from the lint, lose its tests or
// its documentation, and findings come out in file order.
import * as fs from 'fs';
import * as path from 'path';
import { FindingLevel } from '../../../lib/core/finding';
import { RUNBOOK_RULES, lintRunbook } from '../../../lib/runbook/lint';
import { NOW, parse, variant } from '../helpers';

// rule id -> its test file here, in the order findings are reported
const RULES: Array<[string, string]> = [
  ['Runbook-FrontMatter', 'front-matter.test.ts'],
  ['Runbook-Owner', 'owner.test.ts'],
  ['Runbook-LastUpdated', 'last-updated.test.ts'],
  ['Runbook-Stale', 'stale.test.ts'],
  ['Runbook-Severity', 'severity.test.ts'],
  ['Runbook-HeaderLine', 'header-line.test.ts'],
  ['Runbook-Sections', 'sections.test.ts'],
  ['Runbook-Checklist', 'checklist.test.ts'],
  ['Runbook-Placeholder', 'placeholder.test.ts'],
  ['Runbook-Secret', 'secrets.test.ts'],
  ['Runbook-Link', 'links.test.ts'],
];

test('RUNBOOK_RULES holds every runbook rule of docs/design/rules.md#runbook-rules, once each, all errors', () => {
  expect(RUNBOOK_RULES.map((r) => r.id)).toEqual(RULES.map(([id]) => id));
  expect(RUNBOOK_RULES.every((r) => r.level === FindingLevel.ERROR)).toBe(true);
});

/** Where a rule is exported from: its module under lib/runbook/rules and its export name. */
function homeOf(id: string): { module: string; name: string } | undefined {
  const dir = path.join(__dirname, '..', '..', '..', 'lib', 'runbook', 'rules');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const module = file.replace(/\.ts$/, '');
    const exports = require(path.join(dir, module)) as Record<string, unknown>;
    const name = Object.keys(exports).find((k) => (exports[k] as { id?: unknown })?.id === id);
    if (name) return { module, name };
  }
  return undefined;
}

test.each(RULES)('%s has its own test file, with a compliant case and non-compliant ones', (id, file) => {
  const home = homeOf(id);
  expect(home).toBeDefined();
  const text = fs.readFileSync(path.join(__dirname, file), 'utf8');
  expect(text).toContain(`import { ${home!.name} as rule } from '../../../lib/runbook/rules/${home!.module}';`);
  expect(text).toMatch(/^test\('compliant/m);
  expect(text).toMatch(/\('non-compliant: /);
  expect(text).toContain(`describeFixtures(`);
});

test('every rule says what it checks and how to fix a finding (SARIF help, RULES.md)', () => {
  for (const r of RUNBOOK_RULES) {
    expect(r.description).not.toBe('');
    expect(r.help.length).toBeGreaterThan(40);
  }
});

test('lintRunbook runs every rule and sorts findings by line, then column', () => {
  const text = variant(
    ['owner: orders\n', ''],
    ['## Comms\nPost in `#incidents` with the next update time.', '## Comms\nPost in <channel>. TODO'],
    ['Within 5 business days for SEV2.', 'Use AKIA4QN7XZ2KJH6RTW5M.'],
  );
  const findings = lintRunbook(parse(text), { now: NOW });
  expect(findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([
    ['Runbook-Owner', 1, 1],
    ['Runbook-Sections', 24, 1], // Comms holds only placeholders
    ['Runbook-Placeholder', 25, 9],
    ['Runbook-Placeholder', 25, 20],
    ['Runbook-Secret', 28, 5],
  ]);
});
