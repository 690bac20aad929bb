// The per-alarm checks of `lint --assembly`: the shared alarm rules of lib/rules (the same ones
// RunbookPolicy and the cdk-nag pack run), fed with alarms read from the cloud assembly and
// reported at the alarm's line in its template.
import { FindingLevel } from '../core/finding';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { ALARM_RULES, AlarmFinding, AlarmView, RunbookFileCache, acknowledgementIds, alarmRuleById, alarmViewFromProperties, checkAlarm } from '../alarm-rules';
import { AssemblyAlarm } from './assembly';
import { CliFinding, RuleInfo } from './report';

/** What the alarm checks need besides the alarm. */
export interface AlarmCheckContext {
  readonly runbookBaseUrl?: string;
  /** The directory the base URL maps to. */
  readonly root: string;
  readonly lint: RunbookLintOptions;
  /** One cache for the whole run, so each linked runbook is linted once. */
  readonly runbookCache: RunbookFileCache;
}

/** The alarm rules, as the reports list them. */
export const ALARM_CHECK_RULES: RuleInfo[] = ALARM_RULES.map((r) => ({
  id: r.id,
  level: r.level,
  description: r.description,
  help: r.explanation,
}));

/** "alarm X is a page ...", "alarm X: cannot verify ...". */
function sentence(f: AlarmFinding): string {
  return /^(is|has|links|does|fires|sets|names|carries|reaches)\b/.test(f.message) ? `alarm ${f.alarm} ${f.message}` : `alarm ${f.alarm}: ${f.message}`;
}

/** The rules' view of one alarm of the assembly (its contract decoded once, for every check). */
export function assemblyAlarmView(alarm: AssemblyAlarm): AlarmView {
  return alarmViewFromProperties(
    {
      path: alarm.constructPath ?? `${alarm.template.stack}#${alarm.logicalId}`,
      logicalId: alarm.logicalId,
      stack: alarm.template.stack,
      type: alarm.type,
    },
    alarm.properties,
    alarm.isPageTopic,
  );
}

/** Runs every alarm rule on one alarm of the assembly. */
export function checkAssemblyAlarm(alarm: AssemblyAlarm, view: AlarmView, context: AlarmCheckContext): CliFinding[] {
  const findings = checkAlarm(view, {
    runbookBaseUrl: context.runbookBaseUrl,
    projectRoot: context.root,
    runbookLint: context.lint,
    // `lint` is where a runbook past its review date fails; synth only warns.
    staleRunbookIsError: true,
    runbookCache: context.runbookCache,
  });
  const out: CliFinding[] = [];
  for (const f of findings) {
    // Acknowledgements work as at synth: the closest one for the rule (or `Rule[detail]`) on the
    // alarm or an ancestor silences the finding, except for a rule that can never be acknowledged.
    const wanted = acknowledgementIds(f.ruleId, f.detail);
    const ack = alarm.acknowledgements.find((a) => wanted.includes(a.id));
    const acknowledgeable = alarmRuleById(f.ruleId)?.acknowledgeable !== false;
    if (ack && acknowledgeable) continue;
    const refused = ack ? ` (the acknowledgement on ${ack.at} was refused: this rule can never be acknowledged)` : '';
    out.push({
      ruleId: f.ruleId,
      level: f.level === FindingLevel.ERROR ? FindingLevel.ERROR : FindingLevel.WARNING,
      file: alarm.template.file,
      line: alarm.line,
      column: 1,
      message: sentence(f) + refused,
      fix: f.fix,
      alarm: { stack: alarm.template.stack, logicalId: alarm.logicalId, constructPath: alarm.constructPath },
    });
  }
  return out;
}
