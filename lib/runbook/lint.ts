// Lints a parsed runbook with every runbook rule (docs/design/rules.md#runbook-rules). Used by Runbook.fromFile at synth
// time and by `runbook-alarms lint`.
import { FindingLevel, RunbookFinding } from '../core/finding';
import { ParsedRunbook, RunbookTextError, readRunbook } from './parser';
import { checklistRule } from './rules/checklist';
import { frontMatterRule } from './rules/front-matter';
import { headerLineRule } from './rules/header-line';
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
  headerLineRule,
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

/** Reads, parses and lints a runbook file; a file that is not UTF-8 text is one finding at its first bad byte. */
export function lintRunbookFile(file: string, options: RunbookLintOptions = {}): RunbookFinding[] {
  let doc: ParsedRunbook;
  try {
    doc = readRunbook(file);
  } catch (e) {
    if (e instanceof RunbookTextError) return [unreadableTextFinding(e)];
    throw e;
  }
  return lintRunbook(doc, options);
}

/**
 * The finding for a runbook that is not UTF-8 text (Runbook-FrontMatter: nothing in it, front
 * matter included, can be read as written). Nothing else is reported for that file.
 */
export function unreadableTextFinding(e: RunbookTextError, rule: { readonly id: string; readonly level: FindingLevel } = frontMatterRule, what = 'runbook'): RunbookFinding {
  return {
    ruleId: rule.id,
    level: rule.level,
    file: e.file,
    line: e.line,
    column: e.column,
    message: `${e.problem}; a ${what} is UTF-8 markdown`,
    fix: `save the file as UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`), or keep files that are not ${what}s out of the linted paths`,
  };
}

/** `file:line:col level rule-id message (fix)`: the one-line form errors and the CLI print. */
export function formatFinding(f: RunbookFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.level} ${f.ruleId} ${f.message}. Fix: ${f.fix}`;
}
