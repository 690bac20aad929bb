// The plain-data view of one CloudWatch alarm that every alarm rule reads, and the adapter that
// builds it from a synthesized template resource (`runbook-alarms lint --assembly`). The
// in-process adapter (from a CfnAlarm / CfnCompositeAlarm) is lib/private/construct-alarm-view.ts; both
// go through alarmViewFromProperties, so the rules see the same thing either way.
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
   * False for an `Fn::Join` whose literal end holds the contract lines (then `description` is undefined).
   */
  readonly descriptionUnresolved: boolean;
  /** The contract read from the description (or its literal end) with parseAlarmContract (empty when there is none). */
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
  /** True when any alarm action reaches a page topic: the alarm is then a page whatever its description says. */
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

/**
 * The literal end of a description built with `Fn::Join` (a summary holding a reference, say).
 * RunbookAlarm writes the contract lines last and literal, so they can be read from it.
 */
function literalTail(raw: unknown): string | undefined {
  const join = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['Fn::Join'] : undefined;
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;
  const last = join[1][join[1].length - 1];
  return typeof last === 'string' ? last : undefined;
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
  const tail = description === undefined ? literalTail(rawDescription) : undefined;
  const tailContract = tail === undefined ? undefined : parseAlarmContract(tail);
  // A joined description whose literal end holds the contract lines is verifiable (its length is not).
  const tailVerifiable = tailContract?.severityText !== undefined;
  const descriptionUnresolved = rawDescription !== undefined && rawDescription !== null && description === undefined && !tailVerifiable;
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
    contract: tailVerifiable ? tailContract! : parseAlarmContract(description),
    alarmActions: alarm.actions,
    okActions: ok.actions,
    actionsUnresolved: alarm.unresolved,
    actionsEnabled: p.ActionsEnabled !== false && p.ActionsEnabled !== 'false',
    evaluationPeriods: literalNumber(p.EvaluationPeriods),
    datapointsToAlarm: literalNumber(p.DatapointsToAlarm),
    treatMissingData: tmd === undefined || tmd === null ? undefined : typeof tmd === 'string' ? tmd : '(token)',
    reachesPageTopic: alarm.actions.some((a) => a.isPageTopic),
  };
}
