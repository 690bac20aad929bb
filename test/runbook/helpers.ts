// In-process helpers for the runbook rule tests: the rule fixtures (shared with the CLI smoke
// tests), a runbook that passes every rule to vary, and one place that pins "today".
import * as fs from 'fs';
import * as path from 'path';
import { RunbookFinding } from '../../lib/core/finding';
import { lintRunbook, lintRunbookFile } from '../../lib/runbook/lint';
import { ParsedRunbook, parseRunbook } from '../../lib/runbook/parser';
import { RunbookLintOptions, RunbookRule } from '../../lib/runbook/rules/rule';

/** The rule fixtures: `<stem>.pass.md` passes every rule, each `<stem>.fail*.md` fails one. */
export const RULES_DIR = path.join(__dirname, '..', 'fixtures', 'cli', 'rules');
/** "Today" for every freshness rule in these tests, so they do not rot. */
export const NOW = new Date('2026-11-23T12:00:00Z');

/** A runbook that passes every rule (SEV2, owner orders, last_updated 2026-11-01, links contacts.md). */
export const BASE = fs.readFileSync(path.join(RULES_DIR, 'owner.pass.md'), 'utf8');

/** BASE with each `[from, to]` replaced once; a `from` that is not there throws, so no test checks BASE by mistake. */
export function variant(...edits: Array<[string, string]>): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`variant: "${from}" is not in the runbook`);
    return text.replace(from, to);
  }, BASE);
}

/** Parses `text` as a runbook file in RULES_DIR (relative links resolve from there). */
export function parse(text: string, name = 'case.md'): ParsedRunbook {
  return parseRunbook(text, path.join(RULES_DIR, name));
}

/** The findings of one rule on `text`, "today" being NOW unless the options say otherwise. */
export function check(rule: RunbookRule, text: string, options: RunbookLintOptions = {}): RunbookFinding[] {
  return rule.check(parse(text), { now: NOW, ...options });
}

/** The findings of every rule on `text`. */
export function lint(text: string, options: RunbookLintOptions = {}): RunbookFinding[] {
  return lintRunbook(parse(text), { now: NOW, ...options });
}

export const fixture = (name: string) => path.join(RULES_DIR, name);

/** Every failing fixture of a rule: `<stem>.fail.md` and one `<stem>.fail-<way>.md` per other way to fail. */
export function failingFixtures(stem: string): string[] {
  return fs.readdirSync(RULES_DIR).filter((f) => f === `${stem}.fail.md` || f.startsWith(`${stem}.fail-`)).sort();
}

/**
 * The fixture contract of a rule: `<stem>.pass.md` passes every rule, and each failing fixture
 * fails this rule, at error level, with a line and a fix, and nothing else.
 */
export function describeFixtures(stem: string, rule: RunbookRule): void {
  describe(`fixtures ${stem}.*.md`, () => {
    test(`${stem}.pass.md passes every rule`, () => {
      expect(lintRunbookFile(fixture(`${stem}.pass.md`), { now: NOW })).toEqual([]);
    });

    const failing = failingFixtures(stem);
    test('there is at least one failing fixture', () => expect(failing.length).toBeGreaterThan(0));
    test.each(failing)(`%s fails ${rule.id} and nothing else`, (file) => {
      const findings = lintRunbookFile(fixture(file), { now: NOW });
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f).toMatchObject({ ruleId: rule.id, level: 'error', file: fixture(file) });
        expect(f.line).toBeGreaterThanOrEqual(1);
        expect(f.column).toBeGreaterThanOrEqual(1);
        expect(f.fix).not.toBe('');
      }
    });
  });
}
