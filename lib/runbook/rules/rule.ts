// What a runbook rule is: a pure function from a parsed runbook (and settings) to findings.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { ParsedRunbook } from '../parser';
import { Severity } from '../../core/severity';
import { closest } from '../../core/text';

/** Maximum age of a runbook's `last_updated`, in days, per severity (a struct, for jsii). */
export interface RunbookMaxAgeDays {
  /** @default 90 */
  readonly sev1?: number;
  /** @default 90 */
  readonly sev2?: number;
  /** @default 180 */
  readonly sev3?: number;
  /** @default 180 */
  readonly sev4?: number;
}

/** The field of {@link RunbookMaxAgeDays} that holds a severity's limit. */
export function maxAgeKey(severity: Severity): keyof RunbookMaxAgeDays {
  return severity.toLowerCase() as keyof RunbookMaxAgeDays;
}

/** Settings of the runbook rules. */
export interface RunbookLintOptions {
  /**
   * "Today" for the freshness rules.
   * @default - the date in RUNBOOK_ALARMS_NOW when set, else the current time (read once, when the check starts)
   */
  readonly now?: Date;
  /** Maximum age of `last_updated` in days, per severity. @default SEV1/SEV2 90, SEV3/SEV4 180 */
  readonly maxAgeDays?: RunbookMaxAgeDays;
  /** Owners allowed in `owner`. @default any owner */
  readonly owners?: string[];
  /** Check that relative links resolve. @default true */
  readonly checkLinks?: boolean;
}

/** The settings a rule sees: the lint options with "today" already resolved by the caller. */
export interface RunbookRuleSettings extends RunbookLintOptions {
  readonly now: Date;
}

/** One runbook rule: a pure function from a parsed runbook and its settings to findings. */
export interface RunbookRule {
  readonly id: string;
  readonly level: FindingLevel;
  /** One line: what the rule checks. */
  readonly description: string;
  /** Why the rule exists and how to fix a finding (SARIF help text, RULES.md). */
  readonly help: string;
  check(doc: ParsedRunbook, settings: RunbookRuleSettings): RunbookFinding[];
}

/** Builds a finding of `rule` in `doc`. */
export function finding(
  rule: Pick<RunbookRule, 'id' | 'level'>,
  doc: ParsedRunbook,
  line: number,
  column: number,
  message: string,
  fix: string,
): RunbookFinding {
  return { ruleId: rule.id, level: rule.level, file: doc.file, line, column, message, fix };
}

/** The keys the runbook template uses; any other key is the author's own. */
export const FRONT_MATTER_KEYS = ['title', 'owner', 'last_updated', 'severity'] as const;

/** Other names people give the template's keys (a wiki's habits, another tool's template). */
const KEY_ALIASES: Record<string, readonly string[]> = {
  owner: ['owners', 'team', 'owned_by', 'ownedby', 'maintainer'],
  last_updated: ['last_reviewed', 'reviewed', 'updated', 'last_review', 'lastupdated', 'last_modified', 'review_date', 'date'],
  severity: ['sev'],
};

/**
 * The front matter key the author probably meant as `wanted` when `wanted` itself is missing: a
 * near spelling (`ownr`, `Owner`, `last-updated`) or a known other name (`last_reviewed`), with
 * its line. Undefined when there is none.
 */
export function misspelledKey(doc: ParsedRunbook, wanted: (typeof FRONT_MATTER_KEYS)[number]): { key: string; line: number } | undefined {
  const others = FRONT_MATTER_KEYS.filter((k) => k !== wanted) as readonly string[];
  const squash = (k: string) => k.toLowerCase().replace(/[-_ ]/g, '');
  for (const key of Object.keys(doc.frontMatterLines)) {
    if (key === wanted || others.includes(key)) continue;
    const near = squash(key) === squash(wanted)
      || KEY_ALIASES[wanted]?.some((a) => squash(a) === squash(key))
      || (key.length > 3 && closest(key, [wanted, ...others]) === wanted);
    if (near) return { key, line: doc.frontMatterLines[key] };
  }
  return undefined;
}
