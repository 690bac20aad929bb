// Lints a parsed runbook with every runbook rule (SPEC §7). Used by Runbook.fromFile at synth
// time and by `runbook-alarms lint`.
import { RunbookFinding } from '../core/finding';
import { ParsedRunbook, readRunbook } from './parser';
import { checklistRule } from './rules/checklist';
import { frontMatterRule } from './rules/front-matter';
import { lastUpdatedRule, staleRule } from './rules/last-updated';
import { linksRule } from './rules/links';
import { ownerRule } from './rules/owner';
import { placeholderRule } from './rules/placeholder';
import { RunbookLintOptions, RunbookRule, RunbookRuleSettings } from './rules/rule';
import { secretsRule } from './rules/secrets';
import { sectionsRule } from './rules/sections';
import { severityRule } from './rules/severity';

export type { RunbookLintOptions, RunbookMaxAgeDays, RunbookRule } from './rules/rule';

/** Every runbook rule, in the order findings are reported. */
export const RUNBOOK_RULES: readonly RunbookRule[] = [
  frontMatterRule,
  ownerRule,
  lastUpdatedRule,
  staleRule,
  severityRule,
  sectionsRule,
  checklistRule,
  placeholderRule,
  secretsRule,
  linksRule,
];

/**
 * Runs every runbook rule; findings sorted by line, then column. "Today" is `options.now`, which
 * the front door (the CLI, Runbook.fromFile, the synth checks) resolves once, RUNBOOK_ALARMS_NOW
 * included; without one, the clock.
 */
export function lintRunbook(doc: ParsedRunbook, options: RunbookLintOptions = {}): RunbookFinding[] {
  const settings: RunbookRuleSettings = { ...options, now: options.now ?? new Date() };
  const findings = RUNBOOK_RULES.flatMap((rule) => rule.check(doc, settings));
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Reads, parses and lints a runbook file. */
export function lintRunbookFile(file: string, options: RunbookLintOptions = {}): RunbookFinding[] {
  return lintRunbook(readRunbook(file), options);
}

/** `file:line:col level rule-id message (fix)`: the one-line form errors and the CLI print. */
export function formatFinding(f: RunbookFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.level} ${f.ruleId} ${f.message}. Fix: ${f.fix}`;
}
