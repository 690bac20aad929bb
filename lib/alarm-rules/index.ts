// The alarm rules of docs/design/rules.md#alarm-rules, in one place for every front door: RunbookPolicy (Aspect),
// IncidentReadinessChecks (cdk-nag pack) and `runbook-alarms lint --assembly` (CLI).
// Pure module: no CDK imports. Every front door judges the synthesized templates through
// lib/assembly (the alarms as they will deploy), which builds each alarm's view with alarm-view.ts.
import { alarmSeverityRule } from './alarm-severity';
import { descriptionLengthRule } from './description-length';
import { missingDataRule } from './missing-data';
import { ownerRule } from './owner';
import { pageActionRule } from './page-action';
import { pageFirstMoveRule } from './page-first-move';
import { pageOkActionRule } from './page-ok-action';
import { pageRunbookRule } from './page-runbook';
import { pageSpikeRule } from './page-spike';
import { AlarmView } from './alarm-view';
import { AlarmFinding, AlarmRule, AlarmRuleContext } from './rule';
import { RunbookFileCache } from '../runbook/file-cache';
import { runbookExistsRule } from './runbook-exists';

export * from './alarm-view';
export * from './rule';
export * from '../runbook/file-cache';
export {
  alarmSeverityRule,
  pageRunbookRule,
  runbookExistsRule,
  descriptionLengthRule,
  pageActionRule,
  pageFirstMoveRule,
  pageOkActionRule,
  pageSpikeRule,
  missingDataRule,
  ownerRule,
};

/** Every alarm rule, in the order of the docs/design/rules.md#alarm-rules table (and of findings). */
export const ALARM_RULES: readonly AlarmRule[] = [
  alarmSeverityRule,
  pageRunbookRule,
  runbookExistsRule,
  descriptionLengthRule,
  pageActionRule,
  pageFirstMoveRule,
  pageOkActionRule,
  pageSpikeRule,
  missingDataRule,
  ownerRule,
];

/** The one rule no acknowledgement can silence. */
export const UNACKNOWLEDGEABLE_RULE_ID = pageRunbookRule.id;

/** The rule with this id, if any. */
export function alarmRuleById(id: string): AlarmRule | undefined {
  return ALARM_RULES.find((r) => r.id === id);
}

/**
 * Runs every alarm rule on one alarm. Pass one `runbookCache` in the context when checking many
 * alarms, so each runbook file is linted once.
 */
export function checkAlarm(alarm: AlarmView, context: AlarmRuleContext = {}): AlarmFinding[] {
  const ctx: AlarmRuleContext = context.runbookCache ? context : { ...context, runbookCache: new RunbookFileCache(context.runbookLint) };
  return ALARM_RULES.flatMap((rule) => rule.check(alarm, ctx));
}
