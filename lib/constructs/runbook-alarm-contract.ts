// What every runbook alarm carries, metric or composite: the contract props it is built with and
// the interface it exposes once built.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Severity } from '../core/severity';
import { IAlertRouting } from './alert-routing';
import { Runbook, RunbookBinding } from './runbook';

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
  /** What must never be done: the contract's `Never:` line, shown next to the first move. @default - the runbook's never-do warning */
  readonly never?: string;
  /** Owning team. @default - the runbook's owner */
  readonly owner?: string;
  /** A dashboard URL to include. @default - none */
  readonly dashboardUrl?: string;
  /** Wires alarm actions (and OK actions for pages) by severity. @default - no actions */
  readonly routing?: IAlertRouting;
}

/** An alarm that carries the contract: `RunbookAlarm` and `RunbookCompositeAlarm`. */
export interface IRunbookAlarm extends cloudwatch.IAlarm {
  /** How bad it is when it fires. */
  readonly severity: Severity;
  /** The bound runbook (its URL, first move, owner), if any. */
  readonly runbook?: RunbookBinding;
  /** What to do first, if known. */
  readonly firstMove?: string;
  /** The owning team, if known. */
  readonly owner?: string;
  /** True when the alarm pages a human (SEV1/SEV2, or routed to the page topic). */
  readonly isPage: boolean;
}

/** Marks runbook alarms, so they are recognised across copies of this library. */
export const RUNBOOK_ALARM_SYMBOL = Symbol.for('cdk-runbook-alarms.RunbookAlarm');

/** True for any construct that carries the contract (a RunbookAlarm or a RunbookCompositeAlarm). */
export function isRunbookAlarm(x: unknown): x is IRunbookAlarm {
  return typeof x === 'object' && x !== null && RUNBOOK_ALARM_SYMBOL in x;
}
