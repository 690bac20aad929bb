// Every runbook rule through the real CLI: a file that passes and a file that fails it, and
// nothing else, so each fixture proves exactly one rule.
import * as fs from 'fs';
import * as path from 'path';
import { RUNBOOK_RULES } from '../../lib/runbook/lint';
import { FIXTURES, lintJson } from './helpers';

const RULES_DIR = path.join(FIXTURES, 'rules');

// fixture stem -> rule id
const CASES: Array<[string, string]> = [
  ['front-matter', 'Runbook-FrontMatter'],
  ['owner', 'Runbook-Owner'],
  ['last-updated', 'Runbook-LastUpdated'],
  ['stale', 'Runbook-Stale'],
  ['severity', 'Runbook-Severity'],
  ['sections', 'Runbook-Sections'],
  ['checklist', 'Runbook-Checklist'],
  ['placeholder', 'Runbook-Placeholder'],
  ['secret', 'Runbook-Secret'],
  ['link', 'Runbook-Link'],
];

test('every runbook rule has a passing and a failing fixture here', () => {
  expect(CASES.map(([, id]) => id).sort()).toEqual(RUNBOOK_RULES.map((r) => r.id).sort());
});

/** Every failing fixture of a rule: `<stem>.fail.md` and one `<stem>.fail-<way>.md` per other way to fail. */
const failing = (stem: string) => fs.readdirSync(RULES_DIR).filter((f) => f === `${stem}.fail.md` || f.startsWith(`${stem}.fail-`)).sort();

describe.each(CASES)('%s', (stem, ruleId) => {
  test(`${stem}.pass.md passes every rule`, () => {
    const r = lintJson([path.join(RULES_DIR, `${stem}.pass.md`)]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  test.each(failing(stem))(`%s fails ${ruleId} and nothing else`, (file) => {
    const r = lintJson([path.join(RULES_DIR, file)]);
    expect(r.code).toBe(1);
    expect(r.report.findings.length).toBeGreaterThan(0);
    for (const f of r.report.findings) {
      expect(f).toMatchObject({ ruleId, level: 'error', file: `test/fixtures/cli/rules/${file}` });
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.fix).not.toBe('');
    }
  });
});

test('Runbook-FrontMatter reports the YAML error at its line and column in the file', () => {
  const r = lintJson([path.join(RULES_DIR, 'front-matter.fail.md')]);
  // `owner: [orders` is on line 3 of the file; the parser notices the open bracket by line 4.
  expect(r.report.findings[0].line).toBeGreaterThanOrEqual(3);
  expect(r.report.findings[0].message).toMatch(/not valid YAML/);
});

test('Runbook-Owner: an owners allow-list turns an unknown team into an error', () => {
  const file = path.join(RULES_DIR, 'owner.pass.md');
  expect(lintJson([file, '--owner', 'orders', '--owner', 'payments']).code).toBe(0);
  const r = lintJson([file, '--owner', 'payments']);
  expect(r.code).toBe(1);
  expect(r.report.findings).toEqual([expect.objectContaining({ ruleId: 'Runbook-Owner', line: 3, message: expect.stringContaining('"orders"') })]);
});

test('Runbook-Stale: the limit per severity is configurable with --max-age', () => {
  const file = path.join(RULES_DIR, 'stale.pass.md'); // SEV3, 175 days old
  expect(lintJson([file, '--max-age', 'SEV3=100']).report.findings.map((f) => f.ruleId)).toEqual(['Runbook-Stale']);
  expect(lintJson([path.join(RULES_DIR, 'stale.fail.md'), '--max-age', 'SEV2=200']).code).toBe(0);
});

test('Runbook-LastUpdated: a date in the future fails', () => {
  const r = lintJson([path.join(RULES_DIR, 'last-updated.pass.md')], { env: { RUNBOOK_ALARMS_NOW: '2026-11-01' } });
  expect(r.report.findings.map((f) => f.ruleId)).toEqual(['Runbook-LastUpdated']);
  expect(r.report.findings[0].message).toMatch(/future/);
});

test('Runbook-Link: --no-links skips the link check', () => {
  expect(lintJson([path.join(RULES_DIR, 'link.fail.md'), '--no-links']).code).toBe(0);
});

test('Runbook-Secret: the message names the kind of secret, never the secret', () => {
  const r = lintJson([path.join(RULES_DIR, 'secret.fail.md')]);
  expect(r.report.findings[0].message).toMatch(/AWS access key/);
  expect(r.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
});
