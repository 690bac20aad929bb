// The plain-data view of one CloudWatch alarm that every alarm rule reads, and the adapter that
// builds it from a synthesized template resource. Every front door (RunbookPolicy,
// IncidentReadinessChecks, `runbook-alarms lint --assembly`) reads the synthesized templates
// through lib/assembly, which builds each view with alarmViewFromProperties.
// Pure module: no CDK imports.
import { AlarmContract, parseAlarmContract } from '../core/contract';

/** The CloudFormation type of a metric alarm. */
export const METRIC_ALARM_TYPE = 'AWS::CloudWatch::Alarm';
/** The CloudFormation type of a composite alarm. */
export const COMPOSITE_ALARM_TYPE = 'AWS::CloudWatch::CompositeAlarm';

/** One alarm or OK action of an alarm. */
export interface AlarmActionView {
  /** The action as written in the template, as JSON text (`"arn:..."`, `{"Ref":"Topic"}`). */
  readonly target: string;
  /** True when the action is a topic of the paging route. */
  readonly isPageTopic: boolean;
}

/** What the alarm rules know about one alarm. */
export interface AlarmView {
  /** Where it is: the construct path, else `<template>#<logicalId>`. */
  readonly path: string;
  /** Its logical id in the template, when known. */
  readonly logicalId?: string;
  /** The stack (construct path or stack name) it belongs to, when known. */
  readonly stack?: string;
  /** `AWS::CloudWatch::Alarm` or `AWS::CloudWatch::CompositeAlarm`. */
  readonly type: string;
  /** True for a composite alarm. */
  readonly composite: boolean;
  /** The AlarmName, when it is a literal. */
  readonly alarmName?: string;
  /** The AlarmDescription, when it is a literal string. */
  readonly description?: string;
  /**
   * True when the description is an unresolved token (a reference, a parameter): it cannot be verified.
   * False for an `Fn::Join` or `Fn::Sub` whose literal parts give a severity (then `description` is undefined).
   */
  readonly descriptionUnresolved: boolean;
  /**
   * For a description built with `Fn::Join` or `Fn::Sub`: its literal parts, each reference written
   * `{ref}` (what is known of the deployed text). @default - a literal description, or none
   */
  readonly literalDescription?: string;
  /** The contract read from the description (or the literal parts of a joined one) with parseAlarmContract (empty when there is none). */
  readonly contract: AlarmContract;
  /** AlarmActions. */
  readonly alarmActions: AlarmActionView[];
  /** OKActions. */
  readonly okActions: AlarmActionView[];
  /** True when actions are unresolved tokens (the list itself, not its items). */
  readonly actionsUnresolved: boolean;
  /** ActionsEnabled (CloudFormation's default is true; an unresolved value counts as true). */
  readonly actionsEnabled: boolean;
  /** EvaluationPeriods, when a literal number. */
  readonly evaluationPeriods?: number;
  /** DatapointsToAlarm, when a literal number. */
  readonly datapointsToAlarm?: number;
  /** TreatMissingData, when set (the literal value, or `(token)`). */
  readonly treatMissingData?: string;
  /** True when any alarm (or insufficient-data) action reaches a page topic: the alarm is then a page whatever its description says. */
  readonly reachesPageTopic: boolean;
}

/** Where an alarm comes from, for {@link alarmViewFromProperties}. */
export interface AlarmLocation {
  readonly path: string;
  readonly logicalId?: string;
  readonly stack?: string;
  readonly type: string;
}

/** Decides whether one resolved action (template JSON) is a page topic. */
export type PageTopicTest = (action: unknown) => boolean;

/** The alarm's name as a person would say it. */
export function alarmDisplayName(alarm: AlarmView): string {
  return alarm.alarmName ?? alarm.logicalId ?? alarm.path;
}

/**
 * The alarm type a resource type names, written in any case (`aws::cloudwatch::alarm` from a type
 * override is still judged: the gate fails closed), else undefined.
 */
export function alarmType(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  const lower = type.trim().toLowerCase();
  return lower === METRIC_ALARM_TYPE.toLowerCase() ? METRIC_ALARM_TYPE : lower === COMPOSITE_ALARM_TYPE.toLowerCase() ? COMPOSITE_ALARM_TYPE : undefined;
}

function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function actionsOf(value: unknown, isPageTopic: PageTopicTest): { actions: AlarmActionView[]; unresolved: boolean } {
  if (value === undefined || value === null) return { actions: [], unresolved: false };
  if (!Array.isArray(value)) {
    // A whole list from a parameter or a condition (Fn::If): there are actions, we cannot see which
    // for sure; it pages when a page topic is one that can be chosen.
    return { actions: [{ target: JSON.stringify(value), isPageTopic: isPageTopic(value) }], unresolved: true };
  }
  return {
    actions: value.map((a) => ({ target: typeof a === 'string' ? a : JSON.stringify(a), isPageTopic: isPageTopic(a) })),
    unresolved: false,
  };
}

// What stands for a reference in a description built with Fn::Join or Fn::Sub: it cannot read as
// (or start) a contract line, as the reference itself (`${Token[…]}`) could not when it was rendered.
export const REFERENCE = '{ref}';

/**
 * The text of a description built with `Fn::Join` or `Fn::Sub` (a summary holding a reference,
 * say), with each reference written as `{ref}`: the literal parts, wherever they stand, as the
 * deployed description will have them. RunbookAlarm writes the contract lines literal.
 */
function literalText(raw: unknown, depth = 0): string | undefined {
  if (typeof raw === 'string') return raw;
  if (raw === null || typeof raw !== 'object' || depth > 5) return undefined;
  const join = (raw as Record<string, unknown>)['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => literalText(part, depth + 1) ?? REFERENCE).join(join[0]);
  }
  const sub = (raw as Record<string, unknown>)['Fn::Sub'];
  const text = Array.isArray(sub) ? sub[0] : sub;
  return typeof text === 'string' ? text.replace(/\$\{(?!!)[^}]*\}/g, REFERENCE) : undefined;
}

/**
 * Builds the view from an alarm's resolved CloudFormation `Properties` (template JSON, with
 * intrinsics such as `{"Ref": ...}` where values are not literal).
 */
export function alarmViewFromProperties(
  location: AlarmLocation,
  properties: Record<string, unknown> | undefined,
  isPageTopic: PageTopicTest,
): AlarmView {
  const p = properties ?? {};
  const rawDescription = p.AlarmDescription;
  const description = typeof rawDescription === 'string' ? rawDescription : undefined;
  const joined = description === undefined ? literalText(rawDescription) : undefined;
  const joinedContract = joined === undefined ? undefined : parseAlarmContract(joined);
  // A joined description whose literal parts give a severity is verifiable (its length is not); one
  // whose severity is itself a reference is not.
  const joinedVerifiable = joinedContract?.severityText !== undefined && !joinedContract.severityText.includes(REFERENCE);
  const descriptionUnresolved = rawDescription !== undefined && rawDescription !== null && description === undefined && !joinedVerifiable;
  const alarm = actionsOf(p.AlarmActions, isPageTopic);
  const ok = actionsOf(p.OKActions, isPageTopic);
  const tmd = p.TreatMissingData;
  return {
    path: location.path,
    logicalId: location.logicalId,
    stack: location.stack,
    type: location.type,
    composite: location.type === COMPOSITE_ALARM_TYPE,
    alarmName: typeof p.AlarmName === 'string' ? p.AlarmName : undefined,
    description,
    descriptionUnresolved,
    literalDescription: joined,
    contract: joinedContract ?? parseAlarmContract(description),
    alarmActions: alarm.actions,
    okActions: ok.actions,
    actionsUnresolved: alarm.unresolved,
    actionsEnabled: p.ActionsEnabled !== false && p.ActionsEnabled !== 'false',
    evaluationPeriods: literalNumber(p.EvaluationPeriods),
    datapointsToAlarm: literalNumber(p.DatapointsToAlarm),
    treatMissingData: tmd === undefined || tmd === null ? undefined : typeof tmd === 'string' ? tmd : '(token)',
    // Insufficient-data actions fire as alarm actions do: routed to a page topic, they page someone too.
    reachesPageTopic: alarm.actions.some((a) => a.isPageTopic) || actionsOf(p.InsufficientDataActions, isPageTopic).actions.some((a) => a.isPageTopic),
  };
}
