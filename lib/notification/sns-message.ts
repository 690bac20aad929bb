// Reads what CloudWatch sends through SNS into an AlarmNotification. Never throws and never drops
// a notification: whatever arrives becomes something renderable, marked when it could not be read.
// Pure module: bundled into the Lambda handler.

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

/** A CloudWatch alarm state-change notification, as read from SNS. */
export interface AlarmNotification {
  /** The alarm's name, or `(unnamed alarm)`. */
  readonly alarmName: string;
  /** The alarm description, which carries the contract (SPEC §3). */
  readonly alarmDescription?: string;
  /** `ALARM`, `OK`, `INSUFFICIENT_DATA`, or whatever arrived. */
  readonly newState: string;
  readonly oldState?: string;
  readonly reason?: string;
  /** As CloudWatch wrote it, e.g. `2019-02-12T15:45:24.006+0000`. */
  readonly stateChangeTime?: string;
  readonly accountId?: string;
  /** The region's display name, e.g. `US East (N. Virginia)`. */
  readonly regionName?: string;
  readonly alarmArn?: string;
  /** The SNS topic the notification came through. */
  readonly topicArn?: string;
  /** The SNS message id (for duplicate detection). */
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

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The last `:`-separated part of an alarm ARN is its name. */
export function alarmNameFromArn(arn: string): string {
  const m = /^arn:[^:]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn);
  return m ? m[1] : arn;
}

function dimensionsOf(v: unknown): MetricDimension[] {
  // CloudWatch has sent both `{name, value}` and `{Name, Value}`.
  return arr(v).filter(isObject).map((d) => ({
    name: String(d.name ?? d.Name ?? ''),
    value: String(d.value ?? d.Value ?? ''),
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
    const metric = stat && isObject(stat.Metric) ? stat.Metric : undefined;
    return {
      id: String(m.Id ?? ''),
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
    unreadableMessage: raw,
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
  const envelope: Envelope = { topicArn, messageId, subject };
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

function safeStringify(v: unknown): string {
  try {
    return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Every alarm notification in whatever the function was invoked with: an SNS event
 * (`{ Records: [{ Sns }] }`), one record, an `Sns` object, a CloudWatch message (object or string),
 * or a record from the function's on-failure destination (`{ requestPayload }`), so a failed
 * notification can be re-driven by invoking the function with it.
 */
export function notificationsFromEvent(event: unknown): AlarmNotification[] {
  if (isObject(event) && isObject(event.requestPayload)) return notificationsFromEvent(event.requestPayload);
  if (isObject(event) && Array.isArray(event.Records)) {
    return event.Records.flatMap((r) => notificationsFromEvent(r));
  }
  if (isObject(event) && isObject(event.Sns)) return notificationsFromEvent(event.Sns);
  if (isObject(event) && 'Message' in event) {
    const envelope = { topicArn: str(event.TopicArn), messageId: str(event.MessageId), subject: str(event.Subject) };
    const message = event.Message;
    if (typeof message === 'string') return [parseAlarmNotification(message, envelope.topicArn, envelope.messageId, envelope.subject)];
    if (isObject(message) && looksLikeAlarm(message)) return [fromAlarmObject(message, envelope)];
    return [unreadable(safeStringify(message), 'the SNS message is empty or not text', envelope)];
  }
  if (isObject(event) && looksLikeAlarm(event)) return [fromAlarmObject(event, {})];
  if (typeof event === 'string') return [parseAlarmNotification(event)];
  return [unreadable(safeStringify(event), 'the event is neither an SNS notification nor a CloudWatch alarm', {})];
}
