// RunbookAlarm: a CloudWatch alarm that cannot exist without a severity, nor page without a runbook.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Severity } from '../core/severity';
import { applyContract, bindContract } from './private/contract-binding';
import { RunbookBinding } from './runbook';
import { IRunbookAlarm, RUNBOOK_ALARM_SYMBOL, RunbookAlarmContractProps, isRunbookAlarm } from './runbook-alarm-contract';

/** Props of {@link RunbookAlarm}: the usual alarm props plus the contract. */
export interface RunbookAlarmProps extends cloudwatch.AlarmProps, RunbookAlarmContractProps {}

/** A CloudWatch alarm that carries a severity, a runbook URL and a first move in its description. */
export class RunbookAlarm extends cloudwatch.Alarm implements IRunbookAlarm {
  /**
   * True for any alarm that carries the contract: a RunbookAlarm or a RunbookCompositeAlarm
   * (also when built by another copy of this library).
   */
  public static isRunbookAlarm(x: unknown): x is IRunbookAlarm {
    return isRunbookAlarm(x);
  }

  public readonly severity: Severity;
  /** The bound runbook, if any. */
  public readonly runbook?: RunbookBinding;
  public readonly firstMove?: string;
  public readonly owner?: string;
  /** True when this alarm pages a human. */
  public readonly isPage: boolean;

  constructor(scope: Construct, id: string, props: RunbookAlarmProps) {
    const contract = bindContract(scope, id, 'RunbookAlarm', props);
    super(scope, id, { ...props, alarmDescription: contract.description });
    Object.defineProperty(this, RUNBOOK_ALARM_SYMBOL, { value: true });
    this.severity = contract.severity;
    this.runbook = contract.runbook;
    this.firstMove = contract.firstMove;
    this.owner = contract.owner;
    this.isPage = contract.isPage;
    applyContract(this, contract, props.routing);
  }
}
