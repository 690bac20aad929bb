// The runbook rules through the real CLI, as smoke tests: each rule is tested in-process in
// test/runbook/rules/; here, that `lint` runs them on files, reports them, and that its flags and
// RUNBOOK_ALARMS_NOW reach the rules.
import * as path from 'path';
import { FIXTURES, lintJson } from './helpers';

const RULES_DIR = path.join(FIXTURES, 'rules');

test('a runbook that passes every rule: no findings, exit 0', () => {
  const r = lintJson([path.join(RULES_DIR, 'owner.pass.md')]);
  expect(r.report.findings).toEqual([]);
  expect(r.code).toBe(0);
});

test('a failing runbook: each finding with its rule, level, file (relative), line and fix; exit 1', () => {
  const r = lintJson([path.join(RULES_DIR, 'sections.fail.md'), path.join(RULES_DIR, 'front-matter.fail.md')]);
  expect(r.code).toBe(1);
  expect([...new Set(r.report.findings.map((f) => `${f.file} ${f.ruleId}`))]).toEqual([
    'test/fixtures/cli/rules/front-matter.fail.md Runbook-FrontMatter',
    'test/fixtures/cli/rules/sections.fail.md Runbook-Sections',
  ]);
  for (const f of r.report.findings) {
    expect(f.level).toBe('error');
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.fix).not.toBe('');
  }
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

test('Runbook-LastUpdated: a date in the future fails (today pinned by RUNBOOK_ALARMS_NOW)', () => {
  const r = lintJson([path.join(RULES_DIR, 'last-updated.pass.md')], { env: { RUNBOOK_ALARMS_NOW: '2026-11-01' } });
  expect(r.report.findings.map((f) => f.ruleId)).toEqual(['Runbook-LastUpdated']);
  expect(r.report.findings[0].message).toMatch(/future/);
});

test('Runbook-Link: --no-links skips the link check', () => {
  expect(lintJson([path.join(RULES_DIR, 'link.fail.md')]).code).toBe(1);
  expect(lintJson([path.join(RULES_DIR, 'link.fail.md'), '--no-links']).code).toBe(0);
});

test('Runbook-Secret: the message names the kind of secret, never the secret', () => {
  const r = lintJson([path.join(RULES_DIR, 'secret.fail.md')]);
  expect(r.report.findings[0].message).toMatch(/AWS access key/);
  expect(r.stdout).not.toContain('AKIA4QN7XZ2KJH6RTW5M');
});
