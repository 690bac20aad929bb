// How the gate's findings reach the CDK: one validation-report violation per finding, with the
// rule id, the alarm, what is missing, the fix and the construct path. The same text whichever
// front door (RunbookPolicy, IncidentReadinessChecks) ran the engine.
import { PolicyViolation, PolicyViolatingResource } from 'aws-cdk-lib';
import { refusalNote } from '../core/acknowledgement';
import { FindingLevel } from '../core/finding';
import { JudgedFinding } from '../assembly/judge';

/** `RuleId[detail]` for a granular finding (cdk-nag's convention), else the rule id. */
export function reportedRuleName(f: { readonly ruleId: string; readonly detail?: string }): string {
  return f.detail ? `${f.ruleId}[${f.detail}]` : f.ruleId;
}

/**
 * The report level. `fatal` is the one level CDK never lets an acknowledgement suppress (and for
 * which the CLI offers none): errors of the rule that can never be acknowledged, and refusals of an
 * acknowledgement (one without a reason), which CDK's own suppression must not undo.
 */
export function reportedSeverity(j: JudgedFinding): string {
  if (j.finding.level !== FindingLevel.ERROR) return 'warning';
  return !j.acknowledgeable || j.decision.refused ? 'fatal' : 'error';
}

/** "alarm "X" is a page ...", "alarm "X": cannot verify ...". */
function sentence(j: JudgedFinding): string {
  const f = j.finding;
  const subject = `alarm "${f.alarm}"`;
  return /^(is|has|links|does|fires|sets|names|carries|reaches|gives)\b/.test(f.message) ? `${subject} ${f.message}` : `${subject}: ${f.message}`;
}

/**
 * One violation per finding. An alarm in a Stage's assembly carries no construct path or template
 * location (its path leads the description instead): the `cdk` CLI keeps only violations of the
 * stacks it selected, and a plain `cdk synth` selects none inside a Stage.
 */
export function violationsOf(judged: readonly JudgedFinding[]): PolicyViolation[] {
  return judged.map((j) => {
    const inStage = j.alarm.template.inStage;
    const path = j.alarm.constructPath;
    const resource: PolicyViolatingResource = inStage || path === undefined
      ? { locations: ['Properties/AlarmDescription'] }
      : { constructPath: path, templatePath: j.alarm.template.file, resourceLogicalId: j.alarm.logicalId, locations: ['Properties/AlarmDescription'] };
    const where = inStage || path === undefined ? `${j.finding.path}: ` : '';
    return {
      ruleName: reportedRuleName(j.finding),
      description: `${where}${sentence(j)}${refusalNote(j.decision)}`,
      fix: j.finding.fix,
      severity: reportedSeverity(j),
      violatingResources: [resource],
    };
  });
}
