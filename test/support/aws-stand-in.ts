// Real HTTP servers on 127.0.0.1 answering like the AWS APIs the escalation path calls, for the SDK
// clients the functions use, reached through AWS_ENDPOINT_URL_SCHEDULER, AWS_ENDPOINT_URL_SNS,
// AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_CLOUDWATCH exactly as the functions reach AWS:
//  - EventBridge Scheduler (REST JSON): CreateSchedule (POST /schedules/{Name}; the request checked
//    as the service does: name, at() expression, target, role, flexible time window; 409
//    ConflictException for an existing name), DeleteSchedule (DELETE /schedules/{Name}; 404
//    ResourceNotFoundException), GetSchedule. It keeps the schedules, so a test can "fire" one:
//    take it (it deletes itself, ActionAfterCompletion DELETE) and invoke its target with its Input.
//  - SNS (query protocol, XML answers): Publish to the topics it knows; NotFound otherwise.
//  - Lambda (REST JSON): Invoke with InvocationType Event answers 202 and queues the payload.
//  - CloudWatch: DescribeAlarms in the protocol @aws-sdk/client-cloudwatch 3.1164.0 speaks, AWS
//    JSON 1.0 in awsQuery-compatible mode (POST / with X-Amz-Target
//    GraniteServiceVersion20100801.DescribeAlarms, application/x-amz-json-1.0, x-amzn-query-mode;
//    timestamps as epoch seconds; errors as {__type, message} plus x-amzn-query-error). It keeps
//    the alarms a test sets, answers by name and by AlarmTypes (metric alarms only without them,
//    as CloudWatch does), and refuses what CloudWatch refuses (AlarmNames with AlarmNamePrefix,
//    over 100 names, an unknown type). An alarm a test gives a `definition` (its Metrics, as a
//    template has them) is described with it. GetMetricData answers from `metrics` (the CloudWatch
//    model's metric store, minutes of epoch time): one datapoint per Period from StartTime, where the
//    metric has samples, newest first, in pages of `metricDataPageSize` datapoints with a NextToken.
import { randomUUID } from 'crypto';
import * as http from 'http';
import { MetricStore } from './cloudwatch-model';
import { listenOnLoopback } from './loopback';

export interface StoredSchedule {
  readonly name: string;
  readonly group: string;
  readonly expression: string;
  readonly timezone?: string;
  readonly at: number;
  readonly actionAfterCompletion?: string;
  readonly target: { Arn: string; RoleArn: string; Input?: string; RetryPolicy?: unknown };
  readonly flexibleTimeWindow: { Mode: string };
}

export interface AwsCall {
  readonly service: 'scheduler' | 'sns' | 'lambda' | 'cloudwatch';
  readonly operation: string;
  readonly body: any;
  status?: number;
}

/** An alarm as the CloudWatch stand-in keeps it. */
export interface StoredAlarm {
  readonly type: 'MetricAlarm' | 'CompositeAlarm' | 'LogAlarm';
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** When it entered the state (epoch ms). */
  readonly at: number;
  /** What DescribeAlarms tells of a metric alarm besides its state (e.g. `Metrics`). @default - a plain metric alarm */
  readonly definition?: Record<string, unknown>;
}

export interface AwsStandIn {
  readonly url: string;
  readonly calls: AwsCall[];
  /** Pending schedules, by group/name. */
  readonly schedules: Map<string, StoredSchedule>;
  /** What SNS was asked to publish. */
  readonly published: Array<{ topicArn: string; subject?: string; message: string }>;
  /** CloudWatch's alarms, by name (in the stand-in's one account and region). */
  readonly alarms: Map<string, StoredAlarm>;
  /** CloudWatch's metric data, by minute of epoch time (GetMetricData reads it). */
  metrics: MetricStore;
  /** At most this many datapoints per GetMetricData page. @default 100800, CloudWatch's limit */
  metricDataPageSize: number;
  /** Asynchronous Lambda invocations not yet delivered. */
  readonly invocations: Array<{ functionName: string; payload: any }>;
  /** Makes the next calls of an operation fail with this status and error type (e.g. 500 InternalServerException). */
  failNext(operation: string, times: number, status?: number, errorType?: string): void;
  /** The next `times` calls of `operation` get no answer at all (the connection stays open): a service that hangs. */
  stallNext(operation: string, times: number): void;
  /** Removes and returns the schedules due at `now` (they fired; ActionAfterCompletion DELETE), earliest first. */
  takeDue(now: number): StoredSchedule[];
  /** The environment the SDK clients read to come here. */
  env(): Record<string, string>;
  reset(): void;
  close(): Promise<void>;
}

const ALARM_TYPES = new Set(['MetricAlarm', 'CompositeAlarm', 'LogAlarm']);
const CLOUDWATCH_TARGET = 'GraniteServiceVersion20100801.';
const ALARMS_OF_TYPE: Record<StoredAlarm['type'], string> = { MetricAlarm: 'MetricAlarms', CompositeAlarm: 'CompositeAlarms', LogAlarm: 'LogAlarms' };

/** DescribeAlarms over the stand-in's alarms: the answer's body, or CloudWatch's validation error. */
function describeAlarms(alarms: Map<string, StoredAlarm>, input: any): { body: Record<string, unknown> } | { error: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { error: 'the request body is not a JSON object' };
  const names = input.AlarmNames;
  if (names !== undefined && !(Array.isArray(names) && names.length <= 100 && names.every((n: unknown) => typeof n === 'string' && n.length >= 1 && n.length <= 255))) {
    return { error: 'AlarmNames: at most 100 names of 1 to 255 characters' };
  }
  if (names !== undefined && input.AlarmNamePrefix !== undefined) return { error: 'AlarmNames and AlarmNamePrefix cannot be used together' };
  const types: unknown[] = input.AlarmTypes ?? ['MetricAlarm'];
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string' && ALARM_TYPES.has(t))) return { error: `AlarmTypes: members must be one of ${[...ALARM_TYPES].join(', ')}` };
  const body: Record<string, any[]> = {};
  for (const [name, a] of alarms) {
    if (!types.includes(a.type) || (names !== undefined && !names.includes(name))) continue;
    const arn = `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`;
    (body[ALARMS_OF_TYPE[a.type]] ??= []).push({ AlarmName: name, AlarmArn: arn, StateValue: a.state, StateReason: `stand-in: ${a.state}`, StateUpdatedTimestamp: a.at / 1000,
      ...(a.type === 'CompositeAlarm' ? { AlarmRule: 'ALARM(child)', StateTransitionedTimestamp: a.at / 1000 }
        : a.definition ?? { MetricName: 'Connections', Namespace: 'Payments', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }) });
  }
  for (const t of types as StoredAlarm['type'][]) body[ALARMS_OF_TYPE[t]] ??= [];
  return { body };
}

/** GetMetricData over the stand-in's metric data: the answer's body, or CloudWatch's validation error. */
function getMetricData(store: MetricStore, input: any, pageSize: number): { body: Record<string, unknown> } | { error: string } {
  const queries = input?.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0 || queries.length > 500) return { error: 'MetricDataQueries: 1 to 500 queries' };
  const start = Number(input.StartTime);
  const end = Number(input.EndTime);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return { error: 'StartTime and EndTime: epoch seconds, StartTime before EndTime' };
  // The answer in full, newest datapoint first (ScanBy TimestampDescending, the default), then one page of it.
  const points: Array<{ id: string; t: number; v: number }> = [];
  for (const q of queries) {
    const stat = q.MetricStat;
    if (!stat?.Metric?.MetricName || !Number.isInteger(stat.Period) || stat.Period % 60 !== 0) return { error: `query ${q.Id}: the stand-in answers MetricStat queries with a Period in whole minutes` };
    const metric = { namespace: stat.Metric.Namespace, metricName: stat.Metric.MetricName,
      dimensions: Object.fromEntries((stat.Metric.Dimensions ?? []).map((d: any) => [d.Name, d.Value])) };
    for (let t = start; t + stat.Period <= end; t += stat.Period) {
      const v = store.statistic(metric, stat.Stat, t / 60, (t + stat.Period) / 60);
      if (v !== undefined) points.push({ id: q.Id, t, v });
    }
  }
  points.sort((a, b) => b.t - a.t);
  const from = input.NextToken === undefined ? 0 : Number(input.NextToken);
  if (!Number.isInteger(from) || from < 0 || from > points.length) return { error: 'NextToken: not a token this stand-in gave' };
  const page = points.slice(from, from + pageSize);
  const results = queries.map((q: any) => {
    const mine = page.filter((p) => p.id === q.Id);
    return { Id: q.Id, Label: q.Id, Timestamps: mine.map((p) => p.t), Values: mine.map((p) => p.v), StatusCode: from + pageSize < points.length ? 'PartialData' : 'Complete' };
  });
  return { body: { MetricDataResults: results, Messages: [], ...(from + pageSize < points.length ? { NextToken: String(from + pageSize) } : {}) } };
}

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

export async function startAwsStandIn(options: { topics?: string[] } = {}): Promise<AwsStandIn> {
  const topics = new Set(options.topics ?? []);
  const calls: AwsCall[] = [];
  const schedules = new Map<string, StoredSchedule>();
  const published: AwsStandIn['published'] = [];
  const invocations: AwsStandIn['invocations'] = [];
  const alarms = new Map<string, StoredAlarm>();
  const failures = new Map<string, { times: number; status: number; type: string }>();

  const json = (res: http.ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}), 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };
  const xml = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(body);
  };

  // AWS JSON 1.0, query-compatible: the error type in the body, and its query code and fault in x-amzn-query-error.
  const awsJson = (res: http.ServerResponse, status: number, body: unknown, queryError?: string) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID(), ...(queryError ? { 'x-amzn-query-error': queryError } : {}) });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const schedule = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
      const target = String(req.headers['x-amz-target'] ?? '');
      const cloudwatch = target.startsWith(CLOUDWATCH_TARGET);
      const operation = schedule ? ({ POST: 'CreateSchedule', DELETE: 'DeleteSchedule', GET: 'GetSchedule' } as Record<string, string>)[req.method ?? ''] ?? 'Unknown'
        : invoke ? 'Invoke' : cloudwatch ? target.slice(CLOUDWATCH_TARGET.length) : new URLSearchParams(raw).get('Action') ?? 'Unknown';
      const service = schedule ? 'scheduler' : invoke ? 'lambda' : cloudwatch ? 'cloudwatch' : 'sns';
      let body: any = raw;
      try {
        body = service === 'sns' ? Object.fromEntries(new URLSearchParams(raw)) : raw ? JSON.parse(raw) : {};
      } catch {
        // kept raw
      }
      const call: AwsCall = { service, operation, body };
      calls.push(call);
      const failing = failures.get(operation);
      if (failing && failing.times > 0) {
        failing.times--;
        call.status = failing.status;
        if (failing.status === 0) return; // stalled: no answer
        if (service === 'cloudwatch') {
          const fault = failing.status >= 500 ? 'Receiver' : 'Sender';
          // The query code of a shape, as the service model maps it (InternalServiceFault is InternalServiceError).
          const code = ({ InternalServiceFault: 'InternalServiceError' } as Record<string, string>)[failing.type] ?? failing.type;
          return awsJson(res, failing.status, { __type: `com.amazonaws.cloudwatch#${failing.type}`, message: 'stand-in failure' }, `${code};${fault}`);
        }
        if (service === 'sns') return xml(res, failing.status, `<ErrorResponse><Error><Type>Receiver</Type><Code>${failing.type}</Code><Message>stand-in failure</Message></Error><RequestId>x</RequestId></ErrorResponse>`);
        return json(res, failing.status, { Message: 'stand-in failure' }, failing.type);
      }
      if (schedule) {
        const name = decodeURIComponent(schedule[1]);
        const group = (req.method === 'POST' ? body?.GroupName : url.searchParams.get('groupName')) ?? 'default';
        const key = `${group}/${name}`;
        if (req.method === 'POST') {
          const m = AT.exec(String(body?.ScheduleExpression ?? ''));
          const problems = [
            !NAME.test(name) && 'Name',
            !m && 'ScheduleExpression',
            !body?.FlexibleTimeWindow?.Mode && 'FlexibleTimeWindow',
            !(typeof body?.Target?.Arn === 'string' && body.Target.Arn.startsWith('arn:')) && 'Target.Arn',
            !(typeof body?.Target?.RoleArn === 'string' && body.Target.RoleArn.startsWith('arn:')) && 'Target.RoleArn',
            body?.ActionAfterCompletion !== undefined && !['NONE', 'DELETE'].includes(body.ActionAfterCompletion) && 'ActionAfterCompletion',
          ].filter(Boolean);
          if (problems.length) {
            call.status = 400;
            return json(res, 400, { Message: `1 validation error detected: ${problems.join(', ')}` }, 'ValidationException');
          }
          if (schedules.has(key)) {
            call.status = 409;
            return json(res, 409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
          }
          const at = Date.UTC(+m![1], +m![2] - 1, +m![3], +m![4], +m![5], +m![6]);
          schedules.set(key, { name, group, expression: body.ScheduleExpression, timezone: body.ScheduleExpressionTimezone, at, actionAfterCompletion: body.ActionAfterCompletion,
            target: body.Target, flexibleTimeWindow: body.FlexibleTimeWindow });
          call.status = 200;
          return json(res, 200, { ScheduleArn: `arn:aws:scheduler:eu-west-1:123456789012:schedule/${group}/${name}` });
        }
        if (!schedules.has(key)) {
          call.status = 404;
          return json(res, 404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
        }
        if (req.method === 'DELETE') {
          schedules.delete(key);
          call.status = 200;
          return json(res, 200, {});
        }
        const s = schedules.get(key)!;
        call.status = 200;
        return json(res, 200, { Name: s.name, GroupName: s.group, ScheduleExpression: s.expression, Target: s.target });
      }
      if (invoke) {
        const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
        if (type !== 'Event') {
          call.status = 400;
          return json(res, 400, { Message: 'the stand-in takes asynchronous invocations only' }, 'InvalidParameterValueException');
        }
        invocations.push({ functionName: decodeURIComponent(invoke[1]), payload: body });
        call.status = 202;
        res.writeHead(202, { 'x-amzn-requestid': randomUUID() });
        return res.end();
      }
      if (cloudwatch) {
        const protocol = [
          req.method !== 'POST' && 'method',
          url.pathname !== '/' && 'path',
          req.headers['content-type'] !== 'application/x-amz-json-1.0' && 'content-type',
        ].filter(Boolean);
        if (!['DescribeAlarms', 'GetMetricData'].includes(operation) || protocol.length) {
          call.status = 400;
          return awsJson(res, 400, { __type: 'com.amazonaws.cloudwatch#InvalidAction', message: `the stand-in answers DescribeAlarms and GetMetricData over AWS JSON 1.0 only (${[operation, ...protocol].join(', ')})` }, 'InvalidAction;Sender');
        }
        const described = operation === 'GetMetricData' ? getMetricData(standIn.metrics, body, standIn.metricDataPageSize) : describeAlarms(alarms, body);
        if ('error' in described) {
          call.status = 400;
          return awsJson(res, 400, { __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: described.error }, 'InvalidParameterValue;Sender');
        }
        call.status = 200;
        return awsJson(res, 200, described.body);
      }
      if (operation === 'Publish') {
        if (!topics.has(body.TopicArn)) {
          call.status = 404;
          return xml(res, 404, '<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>x</RequestId></ErrorResponse>');
        }
        published.push({ topicArn: body.TopicArn, subject: body.Subject, message: body.Message });
        call.status = 200;
        return xml(res, 200, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`);
      }
      call.status = 400;
      return json(res, 400, { Message: `unknown operation ${operation}` }, 'UnknownOperationException');
    });
  });
  const { url, close } = await listenOnLoopback(server);
  const standIn: AwsStandIn = {
    url, calls, schedules, published, invocations, alarms,
    metrics: new MetricStore(),
    metricDataPageSize: 100_800,
    failNext(operation, times, status = 500, errorType = 'InternalServerException') {
      failures.set(operation, { times, status, type: errorType });
    },
    stallNext(operation, times) {
      failures.set(operation, { times, status: 0, type: '' });
    },
    takeDue(now) {
      const due = [...schedules.entries()].filter(([, s]) => s.at <= now).sort((a, b) => a[1].at - b[1].at);
      for (const [k, s] of due) if (s.actionAfterCompletion === 'DELETE') schedules.delete(k);
      return due.map(([, s]) => s);
    },
    env: () => ({ AWS_ENDPOINT_URL_SCHEDULER: url, AWS_ENDPOINT_URL_SNS: url, AWS_ENDPOINT_URL_LAMBDA: url, AWS_ENDPOINT_URL_CLOUDWATCH: url }),
    reset() {
      calls.length = 0;
      schedules.clear();
      published.length = 0;
      invocations.length = 0;
      alarms.clear();
      failures.clear();
      standIn.metrics = new MetricStore();
      standIn.metricDataPageSize = 100_800;
    },
    close,
  };
  return standIn;
}
