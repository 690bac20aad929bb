// The plain-data view of one CloudWatch alarm that every alarm rule reads, and the adapter that
// builds it from a synthesized template resource and what the evaluator of lib/assembly found.
// Every front door (RunbookPolicy, IncidentReadinessChecks, `runbook-alarms lint --assembly`) reads
// the synthesized templates through lib/assembly, which builds each view with alarmViewFromProperties.
// Pure module: no CDK imports.
import { AlarmContract } from '../core/contract';
import { readContract } from './contract-reading';

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
   * True when the description cannot be known before deployment (a reference, a parameter): it cannot be verified.
   * False for one whose known parts give a severity (then `description` is undefined).
   */
  readonly descriptionUnresolved: boolean;
  /**
   * For a description with parts that cannot be known before deployment: the text, each such part
   * written `{ref}` (what is known of the deployed text). @default - a literal description, or none
   */
  readonly literalDescription?: string;
  /** The contract read from the description (or the known parts of one) as the gate reads it (empty when there is none). */
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
  /** True when any alarm (or insufficient-data) action, or an EventBridge rule, reaches a page topic: the alarm is then a page whatever its description says. */
  readonly reachesPageTopic: boolean;
  /** The EventBridge rule (`<stack>/<logical id>`) that sends the alarm's state changes to a paging route. @default - none */
  readonly pageRule?: string;
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
  if (type === METRIC_ALARM_TYPE || type === COMPOSITE_ALARM_TYPE) return type; // as the CDK writes them
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

// What stands for a part of a description the evaluator cannot know (a reference, an attribute):
// it cannot read as (or start) a contract line, as the reference itself (`${Token[…]}`) could not
// when it was rendered.
export const REFERENCE = '{ref}';

/** One value an alarm's description can take, as the evaluator of CloudFormation values found it. */
export interface DescriptionValue {
  /** The text, each part that cannot be known before deployment written `{ref}`. @default - no description (AWS::NoValue, or none) */
  readonly text?: string;
  /** True when some part of the text is not known. */
  readonly partial: boolean;
}

/** What the evaluator found for one alarm, besides its properties. */
export interface EvaluatedAlarm {
  /** The value of its description this view is of. */
  readonly description: DescriptionValue;
  /** Whether one action (template JSON) could be or contain a paging route. */
  readonly isPageTopic: PageTopicTest;
  /** True when an alarm or insufficient-data action, or an EventBridge rule, reaches a paging route. */
  readonly reachesPageTopic: boolean;
  /** The EventBridge rule that sends its state changes to a paging route. @default - none */
  readonly pageRule?: string;
}

/**
 * Builds the view from an alarm's CloudFormation `Properties` (template JSON, with intrinsics such
 * as `{"Ref": ...}` where values are not literal) and what the evaluator found: one value of its
 * description (an alarm whose description can take several values has one view per value).
 */
export function alarmViewFromProperties(
  location: AlarmLocation,
  properties: Record<string, unknown> | undefined,
  evaluated: EvaluatedAlarm,
): AlarmView {
  const p = properties ?? {};
  const { isPageTopic } = evaluated;
  const d = evaluated.description;
  const description = d.partial ? undefined : d.text;
  const joined = d.partial ? d.text : undefined;
  const contract = readContract(description ?? joined);
  // A description with unknown parts whose known parts give a severity is verifiable (its length is
  // not); one whose severity is itself unknown is not.
  const joinedVerifiable = joined !== undefined && contract.severityText !== undefined && !contract.severityText.includes(REFERENCE);
  const descriptionUnresolved = joined !== undefined && !joinedVerifiable;
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
    contract,
    alarmActions: alarm.actions,
    okActions: ok.actions,
    actionsUnresolved: alarm.unresolved,
    actionsEnabled: p.ActionsEnabled !== false && p.ActionsEnabled !== 'false',
    evaluationPeriods: literalNumber(p.EvaluationPeriods),
    datapointsToAlarm: literalNumber(p.DatapointsToAlarm),
    treatMissingData: tmd === undefined || tmd === null ? undefined : typeof tmd === 'string' ? tmd : '(token)',
    reachesPageTopic: evaluated.reachesPageTopic,
    pageRule: evaluated.pageRule,
  };
}
