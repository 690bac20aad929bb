// Real HTTP servers on 127.0.0.1 answering like the AWS APIs the escalation path calls, for the SDK
// clients the functions use, reached through AWS_ENDPOINT_URL_SCHEDULER, AWS_ENDPOINT_URL_SNS and
// AWS_ENDPOINT_URL_LAMBDA exactly as the functions reach AWS:
//  - EventBridge Scheduler (REST JSON): CreateSchedule (POST /schedules/{Name}; the request checked
//    as the service does: name, at() expression, target, role, flexible time window; 409
//    ConflictException for an existing name), DeleteSchedule (DELETE /schedules/{Name}; 404
//    ResourceNotFoundException), GetSchedule. It keeps the schedules, so a test can "fire" one:
//    take it (it deletes itself, ActionAfterCompletion DELETE) and invoke its target with its Input.
//  - SNS (query protocol, XML answers): Publish to the topics it knows; NotFound otherwise.
//  - Lambda (REST JSON): Invoke with InvocationType Event answers 202 and queues the payload.
import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

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
  readonly service: 'scheduler' | 'sns' | 'lambda';
  readonly operation: string;
  readonly body: any;
  status?: number;
}

export interface AwsStandIn {
  readonly url: string;
  readonly calls: AwsCall[];
  /** Pending schedules, by group/name. */
  readonly schedules: Map<string, StoredSchedule>;
  /** What SNS was asked to publish. */
  readonly published: Array<{ topicArn: string; subject?: string; message: string }>;
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

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

export async function startAwsStandIn(options: { topics?: string[] } = {}): Promise<AwsStandIn> {
  const topics = new Set(options.topics ?? []);
  const calls: AwsCall[] = [];
  const schedules = new Map<string, StoredSchedule>();
  const published: AwsStandIn['published'] = [];
  const invocations: AwsStandIn['invocations'] = [];
  const failures = new Map<string, { times: number; status: number; type: string }>();

  const json = (res: http.ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}), 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };
  const xml = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const schedule = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
      const operation = schedule ? ({ POST: 'CreateSchedule', DELETE: 'DeleteSchedule', GET: 'GetSchedule' } as Record<string, string>)[req.method ?? ''] ?? 'Unknown'
        : invoke ? 'Invoke' : new URLSearchParams(raw).get('Action') ?? 'Unknown';
      const service = schedule ? 'scheduler' : invoke ? 'lambda' : 'sns';
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url, calls, schedules, published, invocations,
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
    env: () => ({ AWS_ENDPOINT_URL_SCHEDULER: url, AWS_ENDPOINT_URL_SNS: url, AWS_ENDPOINT_URL_LAMBDA: url }),
    reset() {
      calls.length = 0;
      schedules.clear();
      published.length = 0;
      invocations.length = 0;
      failures.clear();
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
