// What RunbookAlarm and RunbookCompositeAlarm share: check severity and runbook, render the
// contract into the description, mirror it as tags, wire routing.
import { Annotations, Tags, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { AlarmContractTooLongError, MAX_DESCRIPTION_LENGTH, renderAlarmContract, renderContractLines } from '../../core/contract';
import { IAlertRouting } from '../alert-routing';
import { Runbook, RunbookBinding, RunbookError } from '../runbook';
import { RunbookAlarmContractProps } from '../runbook-alarm-contract';
import { isGated } from './gate-registry';
import { registerPageTopic } from './page-topics';
import { Route, Severity, SeverityPolicy } from '../../core/severity';

/** The contract props both alarm constructs take, and the alarm description they may fall back to. */
export interface ContractProps extends RunbookAlarmContractProps {
  readonly alarmDescription?: string;
}

export interface BoundContract {
  readonly warnings: Array<[string, string]>;
  readonly description: string;
  readonly severity: Severity;
  readonly runbook?: RunbookBinding;
  readonly firstMove?: string;
  readonly never?: string;
  readonly owner?: string;
  readonly isPage: boolean;
}

/** The id of a linked runbook's non-blocking lint findings (a review date passed). */
const RUNBOOK_WARNING = 'cdk-runbook-alarms:runbook';

// AWS tag values: at most 256 characters of letters, digits, spaces and _ . : / = + - @
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/**
 * Validates the props and renders the description, before the alarm exists (its props need the
 * description). `scope` is the alarm's parent; errors name the alarm's future path.
 */
export function bindContract(scope: IConstruct, id: string, kind: string, props: ContractProps): BoundContract {
  const where = `${kind} '${scope.node.path ? `${scope.node.path}/` : ''}${id}'`;
  const warnings: Array<[string, string]> = [];
  if (props === undefined || props === null || (props as { severity?: unknown }).severity === undefined) {
    throw new Error(`${where} needs a severity: pass severity: Severity.SEV1 (outage) to Severity.SEV4 (no user impact)`);
  }
  const severity = SeverityPolicy.parse(String(props.severity));
  if (!severity || severity !== props.severity) {
    throw new Error(`${where}: severity "${String(props.severity)}" is not one of Severity.SEV1, SEV2, SEV3, SEV4`);
  }
  const route = props.routing?.routeFor(severity);
  const isPage = SeverityPolicy.isPageAlarm(severity, route === Route.PAGE);
  if (isPage && !props.runbook) {
    throw new Error(
      `${where} is a page (${severity}${route === Route.PAGE ? ', routed to the page topic' : ''}) and has no runbook: ` +
        "pass runbook: Runbook.fromFile('runbooks/<scenario>.md') or Runbook.fromUrl('https://...'). " +
        'An alert without a runbook is noise.',
    );
  }
  const runbook = props.runbook ? bindRunbook(props.runbook, scope, where) : undefined;
  for (const w of runbook?.warnings ?? []) warnings.push([RUNBOOK_WARNING, w]);
  if (runbook?.severity && runbook.severity !== severity) {
    warnings.push(['cdk-runbook-alarms:severity-mismatch',
      `${where} is ${severity} but its runbook is written for ${runbook.severity}; align the alarm or the runbook's front matter`]);
  }
  const firstMove = props.firstMove ?? runbook?.firstMove;
  const never = props.never ?? runbook?.never;
  const owner = props.owner ?? runbook?.owner;
  const summary = props.summary ?? props.alarmDescription;
  checkTokenSummary(where, summary, { severity, runbookUrl: runbook?.url, firstMove, never, owner, dashboardUrl: props.dashboardUrl });
  let description: string;
  try {
    description = renderAlarmContract({
      summary,
      severity,
      runbookUrl: runbook?.url,
      firstMove,
      never,
      owner,
      dashboardUrl: props.dashboardUrl,
    });
  } catch (e) {
    if (e instanceof AlarmContractTooLongError) throw new Error(`${where}: ${e.message}`, { cause: e });
    throw e;
  }
  return { description, severity, runbook, firstMove, never, owner, isPage, warnings };
}

/**
 * Binds the runbook in the alarm's parent (the alarm does not exist yet), and makes its errors
 * name the alarm rather than only the parent (a stack with many alarms says nothing).
 */
function bindRunbook(runbook: Runbook, scope: IConstruct, where: string): RunbookBinding {
  try {
    return runbook.bind(scope);
  } catch (e) {
    if (!(e instanceof RunbookError)) throw e;
    const prefix = `${scope.node.path}: `;
    const detail = scope.node.path && e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    throw new RunbookError(`${where}: ${detail}`, e.findings);
  }
}

/** What a token in the summary is budgeted at: its value is only known at deploy time. */
export const SUMMARY_TOKEN_BUDGET = 128;
const TOKEN_PLACEHOLDER = /\$\{Token\[[^\]]+\]\}/g;

/**
 * A summary holding tokens (`Queue ${queue.queueName} ...`) cannot be shortened safely, and its
 * length is only known at deploy time: budget each token at 128 characters and refuse a summary
 * that might push the description past 1024, rather than let CloudFormation reject the deploy.
 */
function checkTokenSummary(where: string, summary: string | undefined, contract: Parameters<typeof renderContractLines>[0]): void {
  if (summary === undefined || !Token.isUnresolved(summary)) return;
  const tokens = summary.match(TOKEN_PLACEHOLDER) ?? [];
  const worst = summary.replace(TOKEN_PLACEHOLDER, '').trim().length + tokens.length * SUMMARY_TOKEN_BUDGET;
  const room = MAX_DESCRIPTION_LENGTH - renderContractLines(contract).join('\n').length - 2;
  if (worst > room) {
    throw new Error(
      `${where}: the summary holds ${tokens.length} token${tokens.length === 1 ? '' : 's'} (values known only at deploy time, ` +
        `budgeted at ${SUMMARY_TOKEN_BUDGET} characters each) and may need ${worst} characters where ${room} are left beside the contract; ` +
        'shorten the summary or use fewer references in it',
    );
  }
}

/** Mirrors the contract as tags and wires the routing. */
export function applyContract(alarm: cloudwatch.AlarmBase, contract: BoundContract, routing?: IAlertRouting): void {
  const tag = (key: string, value: string | undefined) => {
    if (value === undefined) return;
    if (Token.isUnresolved(value) || TAG_VALUE.test(value)) {
      Tags.of(alarm).add(key, value);
    } else {
      Annotations.of(alarm).addWarningV2(`cdk-runbook-alarms:tag-${key.toLowerCase()}`,
        `The ${key} tag was not set: "${value}" is not a valid AWS tag value (256 characters of letters, digits, spaces, _ . : / = + - @). The description still carries it.`);
    }
  };
  tag('Severity', contract.severity);
  tag('Runbook', contract.runbook?.url);
  tag('Owner', contract.owner);
  for (const [id, message] of contract.warnings) {
    if (id !== RUNBOOK_WARNING) {
      Annotations.of(alarm).addWarningV2(id, message);
      continue;
    }
    // A runbook past its review date is the gate's IncidentReadiness-RunbookExists[Stale] warning when
    // the gate runs (one warning, one acknowledgement id); without the gate, this is the only one.
    // Decided at validation, once every Aspect (RunbookPolicy included) has run.
    alarm.node.addValidation({
      validate: () => {
        if (!isGated(alarm)) Annotations.of(alarm).addWarningV2(id, message);
        return [];
      },
    });
  }
  if (routing) {
    registerPageTopic(alarm, routing.pageTopic);
    routing.bindAlarm(alarm, contract.severity);
  }
}
