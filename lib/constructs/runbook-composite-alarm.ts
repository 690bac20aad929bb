// RunbookCompositeAlarm: the composite twin of RunbookAlarm.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Severity } from '../core/severity';
import { CONTRACT_TAGS } from '../notification/sns-message';
import { applyContract, bindContract } from './private/contract-binding';
import { RunbookBinding } from './runbook';
import { IRunbookAlarm, RUNBOOK_ALARM_SYMBOL, RunbookAlarmContractProps } from './runbook-alarm-contract';

/** Props of {@link RunbookCompositeAlarm}. */
export interface RunbookCompositeAlarmProps extends cloudwatch.CompositeAlarmProps, RunbookAlarmContractProps {}

/**
 * A composite alarm that carries a severity, a runbook URL and a first move; its contract tags
 * travel in its EventBridge events and notifications (tag propagation).
 */
export class RunbookCompositeAlarm extends cloudwatch.CompositeAlarm implements IRunbookAlarm {
  public readonly severity: Severity;
  public readonly runbook?: RunbookBinding;
  public readonly firstMove?: string;
  public readonly owner?: string;
  public readonly isPage: boolean;

  constructor(scope: Construct, id: string, props: RunbookCompositeAlarmProps) {
    const contract = bindContract(scope, id, 'RunbookCompositeAlarm', props);
    super(scope, id, { ...props, alarmDescription: contract.description });
    Object.defineProperty(this, RUNBOOK_ALARM_SYMBOL, { value: true });
    this.severity = contract.severity;
    this.runbook = contract.runbook;
    this.firstMove = contract.firstMove;
    this.owner = contract.owner;
    this.isPage = contract.isPage;
    applyContract(this, contract, props.routing);
    // A composite alarm's EventBridge events carry no description: its contract travels in its tags (docs/design/decisions/0019).
    (this.node.defaultChild as cloudwatch.CfnCompositeAlarm).actionConfiguration = {
      alarmTagsPropagation: { enabled: true, includedTagKeys: [...CONTRACT_TAGS] },
    };
  }
}
