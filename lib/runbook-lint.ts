// Lints a parsed runbook with every runbook rule (SPEC §7). Used by Runbook.fromFile at synth
// time and by `runbook-alarms lint`.
import { RunbookFinding } from './finding';
import { ParsedRunbook, readRunbook } from './runbook-parser';
import { checklistRule } from './runbook-rules/checklist';
import { frontMatterRule } from './runbook-rules/front-matter';
import { lastUpdatedRule, staleRule } from './runbook-rules/last-updated';
import { linksRule } from './runbook-rules/links';
import { ownerRule } from './runbook-rules/owner';
import { placeholderRule } from './runbook-rules/placeholder';
import { RunbookLintOptions, RunbookRule } from './runbook-rules/rule';
import { secretsRule } from './runbook-rules/secrets';
import { sectionsRule } from './runbook-rules/sections';
import { severityRule } from './runbook-rules/severity';

export type { RunbookLintOptions, RunbookMaxAgeDays, RunbookRule } from './runbook-rules/rule';

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

/** Runs every runbook rule; findings sorted by line, then column. */
export function lintRunbook(doc: ParsedRunbook, options: RunbookLintOptions = {}): RunbookFinding[] {
  const findings = RUNBOOK_RULES.flatMap((rule) => rule.check(doc, options));
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
