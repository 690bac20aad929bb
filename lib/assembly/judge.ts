// The one engine of the synth gate and `lint --assembly`: every alarm of a synthesized cloud
// assembly, through every alarm rule, with acknowledgements decided once. The front doors only
// choose where acknowledgements come from and how findings are printed.
import { Acknowledgement, AcknowledgementDecision, decideAcknowledgement } from '../core/acknowledgement';
import { FindingLevel } from '../core/finding';
import { AlarmFinding, AlarmView, alarmRuleById, alarmViewFromProperties, checkAlarm } from '../alarm-rules';
import { RunbookFileCache } from '../runbook/file-cache';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { AssemblyAlarm } from './reader';

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
   * The acknowledgements on an alarm and its ancestors, closest first.
   * @default - those the cloud assembly's metadata records (the alarm's stack and below)
   */
  readonly acknowledgementsFor?: (alarm: AssemblyAlarm) => readonly Acknowledgement[];
}

/** One finding that stands: not acknowledged (or its acknowledgement was refused). */
export interface JudgedFinding {
  /** The finding; an acknowledgement refused for giving no reason raises it to an error. */
  readonly finding: AlarmFinding;
  readonly alarm: AssemblyAlarm;
  /** What the acknowledgements made of it (only a refusal is possible here). */
  readonly decision: AcknowledgementDecision;
  /** False for the rule no acknowledgement can silence (IncidentReadiness-PageRunbook). */
  readonly acknowledgeable: boolean;
}

/** The rules' view of one alarm of the assembly. */
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

/** Runs every alarm rule on one alarm; returns the findings that stand. */
export function judgeAlarm(alarm: AssemblyAlarm, view: AlarmView, settings: JudgeSettings): JudgedFinding[] {
  const findings = checkAlarm(view, {
    runbookBaseUrl: settings.runbookBaseUrl,
    projectRoot: settings.projectRoot,
    runbookUrlPrefixes: settings.runbookUrlPrefixes,
    runbookLint: settings.runbookLint,
    staleRunbookIsError: settings.staleRunbookIsError,
    runbookCache: settings.runbookCache,
  });
  if (findings.length === 0) return [];
  const acks = settings.acknowledgementsFor ? settings.acknowledgementsFor(alarm) : alarm.acknowledgements;
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

/** Runs every alarm rule on every alarm, linting each linked runbook file once. */
export function judgeAlarms(alarms: readonly AssemblyAlarm[], settings: JudgeSettings): JudgedFinding[] {
  const shared: JudgeSettings = settings.runbookCache ? settings : { ...settings, runbookCache: new RunbookFileCache(settings.runbookLint) };
  return alarms.flatMap((alarm) => judgeAlarm(alarm, assemblyAlarmView(alarm), shared));
}
