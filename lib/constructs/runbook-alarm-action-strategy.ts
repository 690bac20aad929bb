// cdk-monitoring-constructs' way in: an alarm action strategy (its `IAlarmActionStrategy`, the hook
// its AlarmFactory calls with every alarm it creates) that gives the alarm a severity, runbook,
// first move and owner while keeping the description cdk-monitoring-constructs generated, and
// routes it by severity. Typed structurally, so this package never loads cdk-monitoring-constructs.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { parseAlarmContract } from '../core/contract';
import { Severity } from '../core/severity';
import { applyContract, bindContract } from './private/contract-binding';
import { Runbook } from './runbook';
import { RunbookAlarmContractProps } from './runbook-alarm-contract';

/**
 * What cdk-monitoring-constructs hands an action strategy for each alarm (its
 * `AlarmActionStrategyProps`); only the alarm is read.
 */
export interface MonitoringAlarmActionProps {
  /** The alarm cdk-monitoring-constructs created. */
  readonly alarm: cloudwatch.AlarmBase;
}

/**
 * An `IAlarmActionStrategy` for cdk-monitoring-constructs: pass it as `actionOverride` of an alarm
 * (or as `action` / `disambiguatorAction` of the facade's `alarmFactoryDefaults`). For each alarm it
 * is given, it keeps the generated description as the summary, appends the contract lines
 * (`Severity`, `Runbook`, `First move`, `Owner`), mirrors them as tags, and adds the routing's
 * actions by severity, with the same checks as {@link RunbookAlarm}: a page needs a runbook (its
 * own, or the `runbookLink` cdk-monitoring-constructs was given), and the description must fit.
 */
export class RunbookAlarmActionStrategy {
  /** @param props the contract of the alarm(s) it is given to, as a RunbookAlarm takes it */
  constructor(private readonly props: RunbookAlarmContractProps) {
    if (props === undefined || props === null) throw new Error('RunbookAlarmActionStrategy needs props with at least a severity');
  }

  /** Called by cdk-monitoring-constructs' AlarmFactory with each alarm it creates. */
  public addAlarmActions(props: MonitoringAlarmActionProps): void {
    const alarm = props.alarm;
    const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm;
    const generated = typeof cfn.alarmDescription === 'string' ? cfn.alarmDescription : undefined;
    const { summary, runbookLink, severity } = readGenerated(generated);
    if (severity !== undefined && severity !== this.props.severity) {
      throw new Error(`cdk-monitoring-constructs alarm '${alarm.node.path}' has two severities: "${severity}" in its description ` +
        `and ${this.props.severity} from RunbookAlarmActionStrategy; keep one (the strategy's is the one routed)`);
    }
    const own = this.props.runbook?.bind(alarm);
    if (own && runbookLink && own.url !== runbookLink) {
      throw new Error(`cdk-monitoring-constructs alarm '${alarm.node.path}' has two runbooks: "Runbook: ${runbookLink}" from its runbookLink ` +
        `and "Runbook: ${own.url}" from RunbookAlarmActionStrategy; keep one (drop runbookLink, or the strategy's runbook)`);
    }
    const contract = bindContract(alarm.node.scope!, alarm.node.id, 'cdk-monitoring-constructs alarm', {
      ...this.props,
      summary: this.props.summary ?? summary,
      runbook: this.props.runbook ?? (runbookLink ? Runbook.fromUrl(runbookLink) : undefined),
    });
    cfn.alarmDescription = contract.description;
    applyContract(alarm, contract, this.props.routing);
  }
}

/**
 * The generated description read with the codec: its text (cdk-monitoring-constructs'
 * `Documentation: <url>` line is text, not contract, so it stays as written), its `Runbook:` URL
 * (the alarm's `runbookLink`), and any severity its author wrote into it (an `alarmDescriptionOverride`).
 */
function readGenerated(description: string | undefined): { summary?: string; runbookLink?: string; severity?: Severity } {
  if (description === undefined) return {};
  const parsed = parseAlarmContract(description);
  const text = parsed.summary.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  return { summary: text.join('\n'), runbookLink: parsed.runbookUrl, severity: parsed.severity };
}
