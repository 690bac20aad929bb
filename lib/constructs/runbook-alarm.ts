// RunbookAlarm: a CloudWatch alarm that cannot exist without a severity, nor page without a runbook.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { IAlertRouting } from './alert-routing';
import { applyContract, bindContract } from './private/contract-binding';
import { Runbook, RunbookBinding } from './runbook';
import { Severity } from '../core/severity';

/** The contract fields every runbook alarm takes. */
export interface RunbookAlarmContractProps {
  /** How bad it is when this alarm fires. */
  readonly severity: Severity;
  /** The procedure. Required for pages (SEV1, SEV2, or anything routed to the page topic). @default - none */
  readonly runbook?: Runbook;
  /** Free text for the human: what is happening and why it matters. @default - `alarmDescription`, else none */
  readonly summary?: string;
  /** What to do first. @default - the runbook's first move */
  readonly firstMove?: string;
  /** Owning team. @default - the runbook's owner */
  readonly owner?: string;
  /** A dashboard URL to include. @default - none */
  readonly dashboardUrl?: string;
  /** Wires alarm actions (and OK actions for pages) by severity. @default - no actions */
  readonly routing?: IAlertRouting;
}

/** Props of {@link RunbookAlarm}: the usual alarm props plus the contract. */
export interface RunbookAlarmProps extends cloudwatch.AlarmProps, RunbookAlarmContractProps {}

/** A CloudWatch alarm that carries a severity, a runbook URL and a first move in its description. */
export class RunbookAlarm extends cloudwatch.Alarm {
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
    this.severity = contract.severity;
    this.runbook = contract.runbook;
    this.firstMove = contract.firstMove;
    this.owner = contract.owner;
    this.isPage = contract.isPage;
    applyContract(this, contract, props.routing);
  }
}
