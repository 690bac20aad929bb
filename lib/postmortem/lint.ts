// Lints a parsed postmortem with every postmortem rule (RULES.md#postmortem-rules). Used by
// `runbook-alarms lint` and `runbook-alarms postmortem status`.
import * as path from 'path';
import { RunbookFinding } from '../core/finding';
import { unreadableTextFinding } from '../runbook/lint';
import { RunbookTextError } from '../runbook/parser';
import { ParsedPostmortem, readPostmortem } from './parser';
import { actionItemRule } from './rules/action-item';
import { actionItemOverdueRule } from './rules/action-item-overdue';
import { blameRule } from './rules/blame';
import { frontMatterRule } from './rules/front-matter';
import { PostmortemLintOptions, PostmortemRule, PostmortemRuleSettings, RunbookDates } from './rules/rule';
import { runbookNotUpdatedRule } from './rules/runbook-not-updated';
import { sectionsRule } from './rules/sections';
import { vagueActionItemRule } from './rules/vague-action-item';

export type { PostmortemLintOptions, PostmortemRule } from './rules/rule';

/** Every postmortem rule, in the order findings are reported. */
export const POSTMORTEM_RULES: readonly PostmortemRule[] = [
  frontMatterRule,
  sectionsRule,
  actionItemRule,
  actionItemOverdueRule,
  vagueActionItemRule,
  blameRule,
  runbookNotUpdatedRule,
];

/** The settings of one run: "today" resolved once, the root, one runbook cache for every postmortem. */
export function postmortemRuleSettings(options: PostmortemLintOptions = {}): PostmortemRuleSettings {
  return { ...options, now: options.now ?? new Date(), root: path.resolve(options.root ?? process.cwd()), runbooks: new RunbookDates() };
}

/** Runs every postmortem rule; findings sorted by line, then column. */
export function lintPostmortem(doc: ParsedPostmortem, settings: PostmortemRuleSettings = postmortemRuleSettings()): RunbookFinding[] {
  const findings = POSTMORTEM_RULES.flatMap((rule) => rule.check(doc, settings));
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Reads, parses and lints a postmortem file; a file that is not UTF-8 text is one Postmortem-FrontMatter finding. */
export function lintPostmortemFile(file: string, settings: PostmortemRuleSettings = postmortemRuleSettings()): RunbookFinding[] {
  try {
    return lintPostmortem(readPostmortem(file), settings);
  } catch (e) {
    if (e instanceof RunbookTextError) return [unreadablePostmortemFinding(e)];
    throw e;
  }
}

/** The finding for a postmortem that is not UTF-8 text. */
export function unreadablePostmortemFinding(e: RunbookTextError): RunbookFinding {
  return unreadableTextFinding(e, frontMatterRule, 'postmortem');
}
