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

/** "alarm "X" is a page ...", "alarm "X": cannot verify ..."; for a part of the assembly that is no alarm, its message. */
function sentence(j: JudgedFinding): string {
  const f = j.finding;
  if (!j.alarm) return `the gate cannot judge ${f.message}`;
  const subject = `alarm "${f.alarm}"`;
  return /^(is|has|links|does|fires|sets|names|carries|reaches|gives|could)\b/.test(f.message) ? `${subject} ${f.message}` : `${subject}: ${f.message}`;
}

/**
 * One violation per finding, its construct path leading the description. No violation carries a
 * construct path or template location of its own: the `cdk` CLI prints only violations of the
 * stacks it selected (none inside a Stage on a plain `cdk synth`; none at all for a resource whose
 * `aws:cdk:path` claims another stack), and turns a failure it prints nothing of into success.
 * A violation without a construct is always printed, and fails the synth whatever was selected.
 */
export function violationsOf(judged: readonly JudgedFinding[]): PolicyViolation[] {
  return judged.map((j) => {
    const resource: PolicyViolatingResource = { locations: j.alarm ? ['Properties/AlarmDescription'] : [] };
    const claimed = j.alarm?.claimedPath ? ` (its aws:cdk:path claims ${j.alarm.claimedPath})` : '';
    return {
      ruleName: reportedRuleName(j.finding),
      description: `${j.finding.path}${claimed}: ${sentence(j)}${refusalNote(j.decision)}`,
      fix: j.finding.fix,
      severity: reportedSeverity(j),
      violatingResources: [resource],
    };
  });
}
