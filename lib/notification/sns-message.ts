// Reads what CloudWatch sends into an AlarmNotification: its SNS notifications, and its "CloudWatch
// Alarm State Change" events on EventBridge (an organisation's alarms of every account, routed to one
// bus), either of them also inside SQS messages. Never throws and never drops a notification:
// whatever arrives becomes something renderable, marked when it could not be read. Pure module:
// bundled into the Lambda handlers.
import { wellFormed } from '../core/text';

/** One dimension of a metric. */
export interface MetricDimension {
  readonly name: string;
  readonly value: string;
}

/** The metric a single-metric alarm watches (the `Trigger` of the notification). */
export interface AlarmMetric {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions: MetricDimension[];
  /** `Statistic` (e.g. `AVERAGE`) or `ExtendedStatistic` (e.g. `p99`). */
  readonly statistic?: string;
  /** Seconds. */
  readonly period?: number;
  readonly evaluationPeriods?: number;
  readonly comparisonOperator?: string;
  readonly threshold?: number;
}

/** One entry of a metric-math alarm's `Trigger.Metrics`. */
export interface AlarmMetricQuery {
  readonly id: string;
  /** The math expression, for expression entries. */
  readonly expression?: string;
  readonly label?: string;
  /** `Namespace MetricName`, for metric entries. */
  readonly metric?: string;
  /** True for the entry whose value the alarm compares. */
  readonly returnData: boolean;
}

/** A child alarm that triggered a composite alarm. */
export interface TriggeringChild {
  /** The child's name (read from its ARN). */
  readonly name: string;
  readonly arn?: string;
  readonly state?: string;
}

/** A CloudWatch alarm state-change notification, as read from SNS or EventBridge. */
export interface AlarmNotification {
  /** The alarm's name, or `(unnamed alarm)`. */
  readonly alarmName: string;
  /** The alarm description, which carries the contract (docs/design/alarm-contract.md). */
  readonly alarmDescription?: string;
  /** `ALARM`, `OK`, `INSUFFICIENT_DATA`, or whatever arrived. */
  readonly newState: string;
  readonly oldState?: string;
  readonly reason?: string;
  /** As CloudWatch wrote it, e.g. `2019-02-12T15:45:24.006+0000`. */
  readonly stateChangeTime?: string;
  readonly accountId?: string;
  /** The region's display name, e.g. `US East (N. Virginia)` (SNS), or its code, `us-east-1` (EventBridge). */
  readonly regionName?: string;
  readonly alarmArn?: string;
  /** The SNS topic the notification came through. */
  readonly topicArn?: string;
  /** The SNS message id, or the EventBridge event id (for duplicate detection). */
  readonly messageId?: string;
  readonly subject?: string;
  /** The watched metric of a single-metric alarm. */
  readonly metric?: AlarmMetric;
  /** The queries of a metric-math alarm. */
  readonly metricQueries?: AlarmMetricQuery[];
  /** The rule of a composite alarm. */
  readonly alarmRule?: string;
  /** The children that triggered a composite alarm. */
  readonly triggeringChildren?: TriggeringChild[];
  /** Set when the message could not be read as an alarm: the message as it arrived. */
  readonly unreadableMessage?: string;
  /** Why the message could not be read. */
  readonly unreadableReason?: string;
}

type Json = Record<string, unknown>;

/** CloudWatch's `StateChangeTime` (`2019-02-12T15:45:24.006+0000`, or ISO 8601) in epoch milliseconds. */
export function cloudWatchTime(raw: string | undefined): number | undefined {
  if (typeof raw !== 'string' || raw === '' || raw.length > 64) return undefined;
  const ms = Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// Every string read is made well-formed: JSON can carry lone surrogates, which no encoder takes.
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? wellFormed(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A name or id that should be text: strings and numbers as they are, anything else as empty (never `String(object)`, which can throw). */
const label = (v: unknown): string => (typeof v === 'string' ? wellFormed(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** The fields `keys` (space-separated) of `v`, each read with `read`, in that order. */
const fieldsOf = <T>(v: Json, keys: string, read: (x: unknown) => T): Record<string, T> => Object.fromEntries(keys.split(' ').map((k) => [k, read(v[k])]));

/** The last `:`-separated part of an alarm ARN is its name. */
export function alarmNameFromArn(arn: string): string {
  const m = /^arn:[^:]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn);
  return m ? m[1] : arn;
}

function dimensionsOf(v: unknown): MetricDimension[] {
  // CloudWatch has sent both `{name, value}` and `{Name, Value}`.
  return arr(v).filter(isObject).map((d) => ({
    name: label(d.name ?? d.Name),
    value: label(d.value ?? d.Value),
  }));
}

function metricOf(trigger: Json): AlarmMetric | undefined {
  const metricName = str(trigger.MetricName);
  const namespace = str(trigger.Namespace);
  if (!metricName && !namespace && !Array.isArray(trigger.Metrics) && num(trigger.Threshold) === undefined) return undefined;
  return {
    namespace,
    metricName,
    dimensions: dimensionsOf(trigger.Dimensions),
    statistic: str(trigger.Statistic) ?? str(trigger.ExtendedStatistic),
    period: num(trigger.Period),
    evaluationPeriods: num(trigger.EvaluationPeriods),
    comparisonOperator: str(trigger.ComparisonOperator),
    threshold: num(trigger.Threshold),
  };
}

function queriesOf(trigger: Json): AlarmMetricQuery[] | undefined {
  const metrics = arr(trigger.Metrics).filter(isObject);
  if (metrics.length === 0) return undefined;
  return metrics.map((m) => {
    const stat = isObject(m.MetricStat) ? m.MetricStat : undefined;
    // An EventBridge event's metric is written on the entry itself (fromAlarmEvent).
    const metric = stat && isObject(stat.Metric) ? stat.Metric : m;
    return {
      id: label(m.Id),
      expression: str(m.Expression),
      label: str(m.Label),
      metric: metric ? [str(metric.Namespace), str(metric.MetricName)].filter(Boolean).join(' ') || undefined : undefined,
      returnData: m.ReturnData !== false,
    };
  });
}

function childrenOf(v: unknown): TriggeringChild[] | undefined {
  const children = arr(v).filter(isObject);
  if (children.length === 0) return undefined;
  return children.map((c) => {
    const arn = str(c.Arn);
    const state = isObject(c.State) ? str(c.State.Value) : str(c.State);
    return { name: arn ? alarmNameFromArn(arn) : '(unknown alarm)', arn, state };
  });
}

/** Fields that come from the SNS envelope rather than from CloudWatch's message. */
interface Envelope {
  readonly topicArn?: string;
  readonly messageId?: string;
  readonly subject?: string;
}

function fromAlarmObject(m: Json, envelope: Envelope): AlarmNotification {
  const trigger = isObject(m.Trigger) ? m.Trigger : undefined;
  const alarmArn = str(m.AlarmArn);
  return {
    alarmName: str(m.AlarmName) ?? (alarmArn ? alarmNameFromArn(alarmArn) : '(unnamed alarm)'),
    alarmDescription: str(m.AlarmDescription),
    newState: str(m.NewStateValue) ?? 'UNKNOWN',
    oldState: str(m.OldStateValue),
    reason: str(m.NewStateReason),
    stateChangeTime: str(m.StateChangeTime),
    accountId: str(m.AWSAccountId) ?? (typeof m.AWSAccountId === 'number' ? String(m.AWSAccountId) : undefined),
    regionName: str(m.Region),
    alarmArn,
    metric: trigger ? metricOf(trigger) : undefined,
    metricQueries: trigger ? queriesOf(trigger) : undefined,
    alarmRule: str(m.AlarmRule),
    triggeringChildren: childrenOf(m.TriggeringChildren),
    ...envelope,
  };
}

function unreadable(raw: string, reason: string, envelope: Envelope): AlarmNotification {
  // The subject line often still names the alarm (`ALARM: "name" in Region`).
  const m = /^'?\s*(ALARM|OK|INSUFFICIENT_DATA)\s*:\s*"(.+)"/.exec(envelope.subject ?? '');
  return {
    alarmName: m ? m[2] : '(unreadable notification)',
    newState: m ? m[1] : 'UNKNOWN',
    unreadableMessage: wellFormed(raw),
    unreadableReason: reason,
    ...envelope,
  };
}

function looksLikeAlarm(m: Json): boolean {
  return 'AlarmName' in m || 'NewStateValue' in m || 'AlarmArn' in m;
}

/**
 * Reads the `Message` of an SNS notification (CloudWatch's JSON) into an {@link AlarmNotification}.
 * A message that is not an alarm comes back with `unreadableMessage` set, never as an error.
 */
export function parseAlarmNotification(message: string, topicArn?: string, messageId?: string, subject?: string): AlarmNotification {
  const envelope: Envelope = { topicArn: str(topicArn), messageId: str(messageId), subject: str(subject) };
  if (typeof message !== 'string') return unreadable(preview(message), 'the message is not text', envelope);
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return unreadable(message, 'the message is not JSON', envelope);
  }
  if (!isObject(parsed) || !looksLikeAlarm(parsed)) {
    return unreadable(message, 'the message is not a CloudWatch alarm notification', envelope);
  }
  return fromAlarmObject(parsed, envelope);
}

/** What to show of something that could not be read: its JSON (or text), whatever it is; never throws. */
export function preview(v: unknown): string {
  try {
    if (typeof v === 'string') return v;
    const json = JSON.stringify(v);
    if (typeof json === 'string') return json;
  } catch {
    // cyclic, too deep for the serializer, or a BigInt: fall through
  }
  try {
    return String(v);
  } catch {
    return '(a value that cannot be shown)';
  }
}

/** How many layers (on-failure record, Records, Sns) are unwrapped; deeper, the event is posted unreadable. */
export const MAX_EVENT_NESTING = 32;

const errorName = (err: unknown): string => {
  try {
    return err instanceof Error ? err.name : typeof err;
  } catch {
    return 'error';
  }
};

/** The detail-type of the EventBridge events CloudWatch sends when an alarm changes state. */
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

/** The tags RunbookAlarm mirrors the contract as: read as the description's contract lines when an event has no description. */
export const CONTRACT_TAGS: readonly string[] = ['Severity', 'Runbook', 'Owner'];

/**
 * An EventBridge "CloudWatch Alarm State Change" event as a notification. Its metrics are written
 * into the SNS trigger's shape and read as the SNS ones are. Metric alarms carry their description
 * (the contract); a composite alarm's event carries none, so its contract is read from the alarm's
 * tags when the alarm propagates them (`alarmTags`).
 */
function fromAlarmEvent(e: Json, d: Json): AlarmNotification {
  const config = isObject(d.configuration) ? d.configuration : {};
  const state = isObject(d.state) ? d.state : {};
  const metrics = arr(config.metrics).filter(isObject).map((m) => {
    const stat = isObject(m.metricStat) ? m.metricStat : {};
    const metric = isObject(stat.metric) ? stat.metric : {};
    return { Id: m.id, Expression: m.expression, Label: m.label, ReturnData: m.returnData, Namespace: metric.namespace, MetricName: metric.name, Statistic: stat.stat, Period: stat.period,
      Dimensions: Object.entries(isObject(metric.dimensions) ? metric.dimensions : {}).map(([name, value]) => ({ name, value })) };
  });
  // One metric is a metric alarm's; more, or an expression, make a metric-math alarm.
  const trigger: Json = metrics.length === 1 && metrics[0].Expression === undefined ? metrics[0] : { Metrics: metrics };
  let reasonData: unknown;
  try {
    reasonData = JSON.parse(String(state.reasonData));
  } catch {
    // no reason data, or not JSON: no triggering children
  }
  const triggering = arr(isObject(reasonData) ? reasonData.triggeringAlarms : undefined).filter(isObject).map((t) => ({ Arn: t.arn, State: isObject(t.state) ? t.state.value : undefined }));
  const tags = isObject(d.alarmTags) ? d.alarmTags : {};
  const tagLines = CONTRACT_TAGS.flatMap((k) => (str(tags[k]) ? [`${k}: ${str(tags[k])}`] : [])).join('\n');
  const alarmArn = str(arr(e.resources)[0]);
  return fromAlarmObject({
    AlarmName: d.alarmName, AlarmArn: alarmArn, AlarmDescription: str(config.description) ?? (tagLines || undefined), NewStateValue: state.value,
    OldStateValue: isObject(d.previousState) ? d.previousState.value : undefined, NewStateReason: state.reason, StateChangeTime: state.timestamp ?? e.time,
    AWSAccountId: e.account, Region: e.region, Trigger: metrics.length ? trigger : undefined, AlarmRule: config.alarmRule, TriggeringChildren: triggering,
  }, { messageId: str(e.id) });
}

/** The notification in one record (past its wrappers): an SNS record's `Sns`, a message, or an alarm. */
function readRecord(event: unknown): AlarmNotification {
  if (isObject(event) && 'Message' in event) {
    const envelope = { topicArn: str(event.TopicArn), messageId: str(event.MessageId), subject: str(event.Subject) };
    const message = event.Message;
    if (typeof message === 'string') return parseAlarmNotification(message, envelope.topicArn, envelope.messageId, envelope.subject);
    if (isObject(message) && looksLikeAlarm(message)) return fromAlarmObject(message, envelope);
    return unreadable(preview(message), 'the SNS message is empty or not text', envelope);
  }
  if (isObject(event) && looksLikeAlarm(event)) return fromAlarmObject(event, {});
  if (isObject(event) && event['detail-type'] === ALARM_STATE_CHANGE && isObject(event.detail)) return fromAlarmEvent(event, event.detail);
  if (typeof event === 'string') return parseAlarmNotification(event);
  return unreadable(preview(event), 'the event is neither an SNS notification nor a CloudWatch alarm', {});
}

/** An SQS message's body: an SNS notification (raw or not), an EventBridge event, or text that is read as it is. */
function sqsBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Past the nesting bound: how deep the on-failure records go, and what is at the bottom (a loop, not recursion). */
function tooDeep(value: unknown): AlarmNotification {
  let inner = value;
  let levels = 0;
  while (isObject(inner) && isObject(inner.requestPayload) && levels < 1_000_000) {
    inner = inner.requestPayload;
    levels++;
  }
  const what = levels > 0 ? `${levels} more levels of on-failure records (requestPayload), innermost: ${preview(inner)}` : preview(inner);
  return unreadable(what, `the event is nested more than ${MAX_EVENT_NESTING} levels deep`, {});
}

/**
 * Every alarm notification in whatever the function was invoked with: an SNS event
 * (`{ Records: [{ Sns }] }`), one record, an `Sns` object, a CloudWatch message (object or string),
 * an EventBridge "CloudWatch Alarm State Change" event, an SQS event whose messages hold any of
 * these, or a record from the function's on-failure destination (`{ requestPayload }`), so a failed
 * notification can be re-driven by invoking the function with it. Never throws: a record that
 * cannot be read becomes an unreadable notification, without touching the others; wrappers are
 * unwrapped with a loop, at most {@link MAX_EVENT_NESTING} deep.
 */
export function notificationsFromEvent(event: unknown): AlarmNotification[] {
  const out: AlarmNotification[] = [];
  // Depth first, in order: the stack holds what is left to read, last first.
  const stack: Array<{ value: unknown; depth: number }> = [{ value: event, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    try {
      if (depth > MAX_EVENT_NESTING) out.push(tooDeep(value));
      else if (isObject(value) && isObject(value.requestPayload)) stack.push({ value: value.requestPayload, depth: depth + 1 });
      else if (isObject(value) && Array.isArray(value.Records)) {
        for (let i = value.Records.length - 1; i >= 0; i--) stack.push({ value: value.Records[i], depth: depth + 1 });
      } else if (isObject(value) && isObject(value.Sns)) stack.push({ value: value.Sns, depth: depth + 1 });
      else if (isObject(value) && value.eventSource === 'aws:sqs' && typeof value.body === 'string') stack.push({ value: sqsBody(value.body), depth: depth + 1 });
      else out.push(readRecord(value));
    } catch (err) {
      out.push(unreadable(preview(value), `the record could not be read (${errorName(err)})`, {}));
    }
  }
  return out;
}

/**
 * An {@link AlarmNotification} rebuilt field by field from anything shaped like one (as a caller of
 * the public renderer may pass): strings well-formed, numbers finite, lists of the right items.
 * What the renderer reads, so that it never meets a value of the wrong type.
 */
export function asAlarmNotification(value: unknown): AlarmNotification {
  // Fields in the order AlarmNotification declares them (a preview shows them so); runs of one kind read by name.
  const n: Json = isObject(value) ? value : {};
  const metric = isObject(n.metric) ? n.metric : undefined;
  const queries = arr(n.metricQueries).filter(isObject);
  const children = arr(n.triggeringChildren).filter(isObject);
  return {
    alarmName: str(n.alarmName) ?? '(unnamed alarm)',
    alarmDescription: str(n.alarmDescription),
    newState: str(n.newState) ?? 'UNKNOWN',
    ...fieldsOf(n, 'oldState reason stateChangeTime accountId regionName alarmArn topicArn messageId subject', str),
    metric: metric
      ? {
        ...fieldsOf(metric, 'namespace metricName', str),
        dimensions: arr(metric.dimensions).filter(isObject).map((d) => ({ name: label(d.name), value: label(d.value) })),
        statistic: str(metric.statistic),
        ...fieldsOf(metric, 'period evaluationPeriods', num),
        comparisonOperator: str(metric.comparisonOperator),
        threshold: num(metric.threshold),
      } as AlarmMetric
      : undefined,
    metricQueries: queries.length > 0
      ? queries.map((q) => ({ id: label(q.id), expression: str(q.expression), label: str(q.label), metric: str(q.metric), returnData: q.returnData !== false }))
      : undefined,
    alarmRule: str(n.alarmRule),
    triggeringChildren: children.length > 0 ? children.map((c) => ({ name: str(c.name) ?? '(unknown alarm)', arn: str(c.arn), state: str(c.state) })) : undefined,
    unreadableMessage: typeof n.unreadableMessage === 'string' ? wellFormed(n.unreadableMessage) : undefined,
    unreadableReason: str(n.unreadableReason),
  };
}
