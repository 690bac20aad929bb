// Runs the alarm rules on in-process alarms and sorts their findings by acknowledgement: what
// RunbookPolicy and IncidentReadinessChecks share, so both front doors decide alike.
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RUNBOOK_BASE_URL_CONTEXT } from '../constructs/runbook';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { AlarmFinding, AlarmRuleContext, AlarmView, RunbookFileCache, alarmRuleById, checkAlarm } from '../alarm-rules';
import { FoundAcknowledgement, findAcknowledgement } from './acknowledgements';
import { ConstructAlarmReader } from './construct-alarm-view';

/** Settings both front doors take. */
export interface AlarmCheckSettings {
  readonly runbookBaseUrl?: string;
  readonly projectRoot?: string;
  readonly runbookLint?: RunbookLintOptions;
  readonly staleRunbookIsError?: boolean;
}

/** A finding and what acknowledgements made of it. */
export interface CheckedFinding {
  readonly finding: AlarmFinding;
  /** The acknowledgement that silences it (never set for IncidentReadiness-PageRunbook). */
  readonly acknowledged?: FoundAcknowledgement;
  /** An acknowledgement that was attempted on a rule that cannot be acknowledged. */
  readonly refused?: FoundAcknowledgement;
}

/** Checks the alarms of one construct tree; lints each runbook file once. */
export class AlarmChecker {
  private readonly reader: ConstructAlarmReader;
  private readonly context: AlarmRuleContext;

  constructor(root: IConstruct, settings: AlarmCheckSettings = {}) {
    this.reader = new ConstructAlarmReader(root);
    const base: unknown = settings.runbookBaseUrl ?? root.node.tryGetContext(RUNBOOK_BASE_URL_CONTEXT);
    this.context = {
      runbookBaseUrl: typeof base === 'string' && base.trim() !== '' ? base : undefined,
      projectRoot: settings.projectRoot,
      runbookLint: settings.runbookLint,
      staleRunbookIsError: settings.staleRunbookIsError,
      runbookCache: new RunbookFileCache(settings.runbookLint),
    };
  }

  /** The view of `node` when it is an alarm. */
  public view(node: IConstruct): AlarmView | undefined {
    return this.reader.read(node);
  }

  /** Every finding of every rule on `resource` (an alarm), with its acknowledgement state. */
  public check(resource: CfnResource, view: AlarmView): CheckedFinding[] {
    return checkAlarm(view, this.context).map((finding) => {
      const ack = findAcknowledgement(resource, finding.ruleId, finding.detail);
      if (!ack) return { finding };
      return alarmRuleById(finding.ruleId)?.acknowledgeable === false ? { finding, refused: ack } : { finding, acknowledged: ack };
    });
  }
}

/** The text of a refused acknowledgement, appended to the finding it tried to silence. */
export function refusalNote(refused: FoundAcknowledgement): string {
  return ` (the acknowledgement of ${refused.id} on ${refused.at || 'the app'} was refused: this rule can never be acknowledged; reason given: "${refused.reason}")`;
}
