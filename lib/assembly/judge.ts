// The one engine of the synth gate and `lint --assembly`: every alarm of a synthesized cloud
// assembly, through every alarm rule, for every value its description can take, with
// acknowledgements decided once; and every part of the assembly that could not be read or judged,
// as a finding. The front doors only choose where acknowledgements come from and how findings are printed.
import { Acknowledgement, AcknowledgementDecision, decideAcknowledgement } from '../core/acknowledgement';
import { FindingLevel } from '../core/finding';
import { AlarmFinding, AlarmView, alarmRuleById, alarmViewFromProperties, checkAlarm } from '../alarm-rules';
import { cannotJudgeRule } from '../alarm-rules/cannot-judge';
import { RunbookFileCache } from '../runbook/file-cache';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { AssemblyAlarm, AssemblyProblem } from './reader';

/** What the engine needs besides the alarms. */
export interface JudgeSettings {
  /** Runbook URLs under it are checked as files (IncidentReadiness-RunbookExists). @default - not checked */
  readonly runbookBaseUrl?: string;
  /** The directory the base URL maps to. */
  readonly projectRoot: string;
  /** Where else the team keeps runbooks (hosts or URL prefixes). @default - none */
  readonly runbookUrlPrefixes?: string[];
  /** Settings of the runbook lint run on linked runbook files. */
  readonly runbookLint?: RunbookLintOptions;
  /** A runbook past its review date is an error instead of a warning. @default false */
  readonly staleRunbookIsError?: boolean;
  /** Share one across runs to lint each runbook file once. @default - a new cache */
  readonly runbookCache?: RunbookFileCache;
  /**
   * The acknowledgements on a construct path and its ancestors, closest first, besides those the
   * cloud assembly records (the alarm's stack and below). @default - none
   */
  readonly acknowledgementsAlong?: (path: string | undefined) => readonly Acknowledgement[];
}

/** One finding that stands: not acknowledged (or its acknowledgement was refused). */
export interface JudgedFinding {
  /** The finding; an acknowledgement refused for giving no reason raises it to an error. */
  readonly finding: AlarmFinding;
  /** The alarm it is about. @default - a part of the assembly that is no alarm (see `problem`) */
  readonly alarm?: AssemblyAlarm;
  /** What could not be read or judged, for a finding about no single alarm. @default - none */
  readonly problem?: AssemblyProblem;
  /** What the acknowledgements made of it (only a refusal is possible here). */
  readonly decision: AcknowledgementDecision;
  /** False for the findings no acknowledgement can silence (IncidentReadiness-PageRunbook, IncidentReadiness-CannotJudge). */
  readonly acknowledgeable: boolean;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The rules' views of one alarm of the assembly: one per value its description can take. */
export function assemblyAlarmViews(alarm: AssemblyAlarm): AlarmView[] {
  const location = { path: alarm.constructPath, logicalId: alarm.logicalId, stack: alarm.template.stack, type: alarm.type };
  const descriptions = alarm.descriptions.length > 0 ? alarm.descriptions : [{ partial: false }];
  return descriptions.map((description) => alarmViewFromProperties(location, alarm.properties, {
    description,
    isPageTopic: alarm.isPageTopic,
    reachesPageTopic: alarm.reachesPageTopic,
    pageRule: alarm.pageRule,
  }));
}

/** A CannotJudge finding about `alarm`. */
function unjudged(alarm: AssemblyAlarm, error: string): JudgedFinding {
  const finding: AlarmFinding = {
    ruleId: cannotJudgeRule.id,
    level: FindingLevel.ERROR,
    path: alarm.constructPath,
    alarm: typeof alarm.properties.AlarmName === 'string' ? alarm.properties.AlarmName : alarm.logicalId,
    message: `could not be judged (${alarm.template.file}, resource ${alarm.logicalId}): ${error}`,
    fix: 'report this error with the template to cdk-runbook-alarms; meanwhile the alarm is not shown to carry a runbook',
  };
  return { finding, alarm, decision: {}, acknowledgeable: false };
}

/** Runs every alarm rule on each view of one alarm (one per value of its description); returns the findings that stand. */
export function judgeAlarm(alarm: AssemblyAlarm, views: readonly AlarmView[], settings: JudgeSettings): JudgedFinding[] {
  if (alarm.error !== undefined) return [unjudged(alarm, alarm.error)];
  let findings: AlarmFinding[];
  try {
    const context = {
      runbookBaseUrl: settings.runbookBaseUrl,
      projectRoot: settings.projectRoot,
      runbookUrlPrefixes: settings.runbookUrlPrefixes,
      runbookLint: settings.runbookLint,
      staleRunbookIsError: settings.staleRunbookIsError,
      runbookCache: settings.runbookCache,
    };
    if (views.length === 1) findings = checkAlarm(views[0], context);
    else {
      // A finding of some of the values the description can take says so; the same finding of several is one.
      const byKey = new Map<string, { finding: AlarmFinding; count: number }>();
      for (const view of views) {
        for (const f of checkAlarm(view, context)) {
          const key = `${f.ruleId}\u0000${f.detail ?? ''}\u0000${f.message}`;
          const seen = byKey.get(key);
          if (seen) seen.count++;
          else byKey.set(key, { finding: f, count: 1 });
        }
      }
      findings = [...byKey.values()].map(({ finding, count }) => (count === views.length ? finding
        : { ...finding, message: `${finding.message} (in ${count} of the ${views.length} values its AlarmDescription can take)` }));
    }
  } catch (e) {
    return [unjudged(alarm, errorText(e))];
  }
  if (findings.length === 0) return [];
  const acks = [...alarm.acknowledgements, ...(settings.acknowledgementsAlong?.(alarm.constructPath) ?? [])];
  const out: JudgedFinding[] = [];
  for (const finding of findings) {
    const acknowledgeable = alarmRuleById(finding.ruleId)?.acknowledgeable !== false;
    const decision = decideAcknowledgement(acks, finding.ruleId, finding.detail, acknowledgeable);
    if (decision.acknowledged) continue;
    const raised = decision.refusal === 'no-reason' ? { ...finding, level: FindingLevel.ERROR } : finding;
    out.push({ finding: raised, alarm, decision, acknowledgeable });
  }
  return out;
}

/** The findings of what could not be read or judged (a template, a stack's metadata, a nested stack outside the assembly). */
export function judgeProblems(problems: readonly AssemblyProblem[], acknowledgementsAlong: (path: string | undefined) => readonly Acknowledgement[]): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  for (const problem of problems) {
    const where = problem.constructPath ?? problem.stack ?? problem.file;
    const finding: AlarmFinding = {
      ruleId: cannotJudgeRule.id,
      level: FindingLevel.ERROR,
      path: where,
      alarm: problem.logicalId ?? where,
      message: `${problem.file}${problem.logicalId ? ` (resource ${problem.logicalId})` : ''}: ${problem.message}`,
      fix: problem.fatal
        ? 'make the file readable as CloudFormation reads it (JSON or YAML); until then no page in it is shown to carry a runbook'
        : 'keep the nested stack\'s template in the app (NestedStack, or CfnInclude with loadNestedStacks), or acknowledge IncidentReadiness-CannotJudge[Outside] on it with the reason its alarms are checked elsewhere',
      ...(problem.fatal ? {} : { detail: cannotJudgeRule.outsideDetail }),
    };
    const decision = decideAcknowledgement(acknowledgementsAlong(problem.constructPath), finding.ruleId, finding.detail, !problem.fatal);
    if (decision.acknowledged) continue;
    out.push({ finding, problem, decision, acknowledgeable: !problem.fatal });
  }
  return out;
}

/** Runs every alarm rule on every alarm, linting each linked runbook file once. */
export function judgeAlarms(alarms: readonly AssemblyAlarm[], settings: JudgeSettings): JudgedFinding[] {
  const shared: JudgeSettings = settings.runbookCache ? settings : { ...settings, runbookCache: new RunbookFileCache(settings.runbookLint) };
  return alarms.flatMap((alarm) => {
    let views: AlarmView[];
    try {
      views = assemblyAlarmViews(alarm);
    } catch (e) {
      return [unjudged(alarm, errorText(e))];
    }
    return judgeAlarm(alarm, views, shared);
  });
}
