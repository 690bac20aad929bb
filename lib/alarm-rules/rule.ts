// What an alarm rule is (docs/design/rules.md#alarm-rules): a pure function from one alarm, seen as plain data, to findings.
// Every front door (RunbookPolicy, IncidentReadinessChecks, `runbook-alarms lint --assembly`)
// runs the same rules through this shape. Pure module: no CDK imports.
import { ContractConflict } from '../core/contract';
import { FindingLevel } from '../core/finding';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { SeverityPolicy } from '../core/severity';
import { AlarmView, alarmDisplayName } from './alarm-view';
import { RunbookFileCache } from '../runbook/file-cache';

/** The cdk-nag pack name; every alarm rule id starts with it. */
export const PACK_NAME = 'IncidentReadiness';

/** A problem one alarm rule found in one alarm. */
export interface AlarmFinding {
  /** Stable rule id, e.g. `IncidentReadiness-PageRunbook`. */
  readonly ruleId: string;
  readonly level: FindingLevel;
  /** The construct path (in-process) or `aws:cdk:path` / `<template>#<logicalId>` (from a template). */
  readonly path: string;
  /** The alarm as a person would name it: its AlarmName, else its logical id, else its path. */
  readonly alarm: string;
  /** What is wrong or missing. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * A granular finding id when the finding is a variant of its rule at another level
   * (`CannotVerify`, `Stale`); cdk-nag prints it as `RuleId[detail]`. @default - none
   */
  readonly detail?: string;
}

/** Settings shared by all alarm rules. */
export interface AlarmRuleContext {
  /**
   * The URL the project root is published under (the CDK context key
   * `cdk-runbook-alarms:runbookBaseUrl`). Runbook URLs under it are checked as files.
   * @default - runbook URLs are not mapped to files (IncidentReadiness-RunbookExists does not apply)
   */
  readonly runbookBaseUrl?: string;
  /** The directory the base URL maps to. @default process.cwd() */
  readonly projectRoot?: string;
  /**
   * Where else the team keeps runbooks: hosts (`wiki.acme.com`) or URL prefixes. A runbook URL
   * outside the base URL and these is a warning (IncidentReadiness-RunbookExists[OutsideBaseUrl]).
   * @default - none
   */
  readonly runbookUrlPrefixes?: string[];
  /** Settings of the runbook lint run on linked runbook files. @default - the runbook lint defaults */
  readonly runbookLint?: RunbookLintOptions;
  /**
   * Report a runbook past its review date (`Runbook-Stale`) as an error instead of a warning.
   * @default false - a calendar never blocks an urgent deploy; `runbook-alarms lint` can be strict
   */
  readonly staleRunbookIsError?: boolean;
  /** Reuse lint results of runbook files across alarms. @default - a cache per call of checkAlarm */
  readonly runbookCache?: RunbookFileCache;
}

/** One alarm rule of docs/design/rules.md#alarm-rules. */
export interface AlarmRule {
  /** The id as cdk-nag prints it: `IncidentReadiness-<Name>`. */
  readonly id: string;
  /** The level of its usual findings. (A rule may report a lesser level, e.g. "cannot verify".) */
  readonly level: FindingLevel;
  /** False for the one rule no acknowledgement may silence (IncidentReadiness-PageRunbook). */
  readonly acknowledgeable: boolean;
  /** One line: what the rule checks. */
  readonly description: string;
  /** Why it exists, operationally. */
  readonly explanation: string;
  check(alarm: AlarmView, context: AlarmRuleContext): AlarmFinding[];
}

/** A finding of `rule` on `alarm`. */
export function alarmFinding(
  rule: Pick<AlarmRule, 'id' | 'level'>,
  alarm: AlarmView,
  message: string,
  fix: string,
  level: FindingLevel = rule.level,
  detail?: string,
): AlarmFinding {
  const f: AlarmFinding = { ruleId: rule.id, level, path: alarm.path, alarm: alarmDisplayName(alarm), message, fix };
  return detail === undefined ? f : { ...f, detail };
}

/**
 * True when the alarm pages a human (docs/design/severity.md#what-a-page-is): SEV1/SEV2 by its contract, or any action that
 * reaches a paging route, whatever the description says.
 */
export function isPage(alarm: AlarmView): boolean {
  return SeverityPolicy.isPageAlarm(alarm.contract.severity, alarm.reachesPageTopic);
}

/** Why the alarm counts as a page, for messages. */
export function pageReason(alarm: AlarmView): string {
  const sev = alarm.contract.severity;
  const bySeverity = sev !== undefined && SeverityPolicy.isPage(sev);
  if (bySeverity && alarm.reachesPageTopic) return `a page (${sev}, routed to a page topic)`;
  if (bySeverity) return `a page (${sev})`;
  if (alarm.pageRule !== undefined && !alarm.alarmActions.some((a) => a.isPageTopic)) return `a page (EventBridge rule ${alarm.pageRule} sends its state changes to a page topic)`;
  if (alarm.alarmActions.some((a) => a.isPageTopic && a.target.includes(':ssm-incidents:'))) return 'a page (its actions engage an Incident Manager response plan)';
  return 'a page (its actions reach a page topic)';
}

/** `level ruleId path (alarm name): message. Fix: fix` — the one-line form every front door prints. */
export function formatAlarmFinding(f: AlarmFinding): string {
  const named = f.alarm !== f.path ? ` (alarm ${f.alarm})` : '';
  return `${f.level} ${f.ruleId} ${f.path}${named}: ${f.message}. Fix: ${f.fix}`;
}

/** "line 2 (`Severity: SEV4`) and line 4 (`Severity: SEV1`)": where a conflict stands in the description. */
export function conflictText(conflict: ContractConflict): string {
  return `line ${conflict.first.line} (\`${conflict.first.text}\`) and line ${conflict.second.line} (\`${conflict.second.text}\`)`;
}

/** The conflicts of the alarm's contract over the given keys. */
export function conflictsOf(alarm: AlarmView, keys: readonly string[]): ContractConflict[] {
  return (alarm.contract.conflicts ?? []).filter((c) => keys.includes(c.key));
}
