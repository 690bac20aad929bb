// In-process helpers for the postmortem rule tests: the fixtures, a postmortem that passes every
// rule to vary, and one place that pins "today" and the project root.
import * as fs from 'fs';
import * as path from 'path';
import { RunbookFinding } from '../../lib/core/finding';
import { lintPostmortem, lintPostmortemFile, postmortemRuleSettings } from '../../lib/postmortem/lint';
import { ParsedPostmortem, parsePostmortem } from '../../lib/postmortem/parser';
import { PostmortemLintOptions, PostmortemRule } from '../../lib/postmortem/rules/rule';

/** The project root of the fixtures: its runbooks/ holds the runbook the postmortems name. */
export const ROOT = path.join(__dirname, '..', 'fixtures', 'postmortems');
/** The rule fixtures: `pass.md` passes every rule, each `<stem>.fail*.md` fails one rule. */
export const RULES_DIR = path.join(ROOT, 'rules');
/** "Today" in these tests, so they do not rot. */
export const NOW = new Date('2026-11-23T12:00:00Z');

/** A Final SEV2 postmortem that passes every rule (incident 2026-11-16, runbook updated 2026-11-18). */
export const BASE = fs.readFileSync(path.join(RULES_DIR, 'pass.md'), 'utf8');

/** BASE with each `[from, to]` replaced once; a `from` that is not there throws. */
export function variant(...edits: Array<[string, string]>): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`variant: "${from}" is not in the postmortem`);
    return text.replace(from, to);
  }, BASE);
}

export function parse(text: string, name = 'case.md'): ParsedPostmortem {
  return parsePostmortem(text, path.join(RULES_DIR, name));
}

const settings = (options: PostmortemLintOptions = {}) => postmortemRuleSettings({ now: NOW, root: ROOT, ...options });

/** The findings of one rule on `text`. */
export function check(rule: PostmortemRule, text: string, options: PostmortemLintOptions = {}): RunbookFinding[] {
  return rule.check(parse(text), settings(options));
}

/** The findings of every rule on `text`. */
export function lint(text: string, options: PostmortemLintOptions = {}): RunbookFinding[] {
  return lintPostmortem(parse(text), settings(options));
}

export const fixture = (name: string) => path.join(RULES_DIR, name);

/** Each failing fixture of a rule fails it (at its level, with a line and a fix) and nothing else; pass.md passes every rule. */
export function describeFixtures(stem: string, rule: PostmortemRule): void {
  describe(`fixtures ${stem}.fail*.md`, () => {
    test('pass.md passes every rule', () => expect(lintPostmortemFile(fixture('pass.md'), settings())).toEqual([]));
    const failing = fs.readdirSync(RULES_DIR).filter((f) => f === `${stem}.fail.md` || f.startsWith(`${stem}.fail-`)).sort();
    test('there is at least one failing fixture', () => expect(failing.length).toBeGreaterThan(0));
    test.each(failing)(`%s fails ${rule.id} and nothing else`, (file) => {
      const findings = lintPostmortemFile(fixture(file), settings());
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f).toMatchObject({ ruleId: rule.id, level: rule.level, file: fixture(file) });
        expect(f.line).toBeGreaterThanOrEqual(1);
        expect(f.column).toBeGreaterThanOrEqual(1);
        expect(f.fix).not.toBe('');
      }
    });
  });
}
