// The per-alarm checks of `lint --assembly`: the few alarm rules the CLI needs (SPEC §7:
// AlarmSeverity, PageRunbook, RunbookExists), decoded with the one contract codec. Kept in one
// module so it can be replaced by the shared alarm rules of lib/rules without touching the rest.
import * as fs from 'fs';
import { parseAlarmContract } from '../alarm-contract';
import { FindingLevel } from '../finding';
import { SeverityPolicy } from '../severity';
import { AssemblyAlarm } from './assembly';
import { AlarmRef, CliFinding, RuleInfo } from './report';
import { fileForRunbookUrl } from './runbook-url';

/** What the alarm checks need besides the alarm. */
export interface AlarmCheckContext {
  readonly runbookBaseUrl?: string;
  readonly root: string;
  /** Lint errors of a runbook file (cached by the caller). */
  readonly runbookErrors: (file: string) => number;
}

export const ALARM_CHECK_RULES: RuleInfo[] = [
  {
    id: 'IncidentReadiness-AlarmSeverity',
    level: FindingLevel.ERROR,
    description: 'every alarm carries a valid severity',
    help: 'Without a severity nobody knows whether to wake up. Add a `Severity: SEV1..SEV4` line to the alarm description (RunbookAlarm does it for you).',
  },
  {
    id: 'IncidentReadiness-PageRunbook',
    level: FindingLevel.ERROR,
    description: 'every page carries a runbook URL',
    help: 'A page (SEV1/SEV2, or an alarm whose actions reach a page topic) wakes a human who needs a procedure. Add a `Runbook: <https URL>` line (RunbookAlarm with `runbook: Runbook.fromFile(...)`).',
  },
  {
    id: 'IncidentReadiness-RunbookExists',
    level: FindingLevel.ERROR,
    description: 'a runbook URL under the configured base URL points at an existing file that passes lint',
    help: 'A link to a missing or broken runbook is no runbook. Create the file (`runbook-alarms new <name>`), fix the URL, or fix the runbook\'s lint errors.',
  },
];

function alarmRef(alarm: AssemblyAlarm): AlarmRef {
  return { stack: alarm.template.stack, logicalId: alarm.logicalId, constructPath: alarm.constructPath };
}

function alarmName(alarm: AssemblyAlarm): string {
  const name = alarm.properties.AlarmName;
  return typeof name === 'string' ? name : alarm.constructPath ?? `${alarm.template.stack}/${alarm.logicalId}`;
}

/** Runs the per-alarm checks on one alarm of the assembly. */
export function checkAssemblyAlarm(alarm: AssemblyAlarm, context: AlarmCheckContext): CliFinding[] {
  const out: CliFinding[] = [];
  const report = (ruleId: string, level: FindingLevel, message: string, fix: string) =>
    out.push({ ruleId, level, file: alarm.template.file, line: alarm.line, column: 1, message, fix, alarm: alarmRef(alarm) });
  const name = alarmName(alarm);
  const description = alarm.properties.AlarmDescription;
  if (description !== undefined && typeof description !== 'string') {
    report('IncidentReadiness-AlarmSeverity', FindingLevel.WARNING, `alarm ${name} has a description computed at deploy time; its contract cannot be verified`,
      'write the description as a literal string (renderAlarmContract) so severity and runbook can be checked');
    return out;
  }
  const contract = parseAlarmContract(description);
  if (contract.severity === undefined) {
    report('IncidentReadiness-AlarmSeverity', FindingLevel.ERROR,
      contract.severityText ? `alarm ${name} has severity "${contract.severityText}", which is not SEV1..SEV4` : `alarm ${name} carries no severity`,
      'add a "Severity: SEV1..SEV4" line to the alarm description (RunbookAlarm writes it)');
  }
  const page = alarm.reachesPageTopic || (contract.severity !== undefined && SeverityPolicy.isPage(contract.severity));
  if (page && !contract.runbookUrl) {
    report('IncidentReadiness-PageRunbook', FindingLevel.ERROR, `alarm ${name} pages a human but carries no runbook`,
      'add a "Runbook: <https URL>" line to the description (RunbookAlarm with runbook: Runbook.fromFile(...))');
  }
  const file = contract.runbookUrl ? fileForRunbookUrl(contract.runbookUrl, context.runbookBaseUrl, context.root) : undefined;
  if (file && !fs.existsSync(file)) {
    report('IncidentReadiness-RunbookExists', FindingLevel.ERROR, `alarm ${name} links ${contract.runbookUrl}, but the file ${file} does not exist`,
      'create it with `runbook-alarms new <name>` or fix the runbook URL');
  } else if (file) {
    const errors = context.runbookErrors(file);
    if (errors > 0) {
      report('IncidentReadiness-RunbookExists', FindingLevel.ERROR, `alarm ${name} links a runbook that fails lint (${errors} error${errors > 1 ? 's' : ''})`,
        `fix the runbook: runbook-alarms lint ${file}`);
    }
  }
  return out;
}
