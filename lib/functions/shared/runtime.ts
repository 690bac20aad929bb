// What every function of this package needs at run time: its secrets (Secrets Manager, through the
// SDK the Lambda runtime ships, loaded on first use), structured logs, the Lambda context, and a
// bounded memory of recent ids. No CDK.
import { parseAlarmContract } from '../../core/contract';
import { Severity } from '../../core/severity';
import { shorten } from '../../core/text';
import { AlarmNotification, notificationsFromEvent } from '../../notification/sns-message';
import type { Redactor } from './redact';

/** Where secrets (webhook URLs, bot tokens) come from. Production: Secrets Manager; tests inject their own. */
export interface SecretSource {
  getSecretString(secretId: string): Promise<string>;
}

/** The part of the Lambda context the handler uses. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
  /** The function's own ARN (the escalation function schedules its next level with it). */
  readonly invokedFunctionArn?: string;
}

/** A structured log line. */
export type LogEntry = { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;

/**
 * A package of the AWS SDK the Lambda runtime ships, loaded on first use. `require`, not
 * `import()`: the runtime's SDK is found through NODE_PATH, which only CommonJS resolution reads.
 */
export function loadSdk<T>(name: string): Promise<T> {
  return Promise.resolve().then(() => require(name) as T);
}

/**
 * An SDK package loaded once, on first use, and made into what its user needs (a client and its
 * commands); a load that failed is tried again on the next call.
 */
export function lazySdk<M, T>(name: string, make: (m: M) => T): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (!loaded) {
      loaded = loadSdk<M>(name).then(make);
      loaded.catch(() => (loaded = undefined));
    }
    return loaded;
  };
}

/**
 * Short timeouts and few attempts for the functions' AWS calls: a service that does not answer must
 * not eat the time left for Slack. `throwOnRequestTimeout`: without it, recent SDKs only warn when
 * `requestTimeout` passes and wait on (a hung endpoint held a call until the function timed out).
 */
export const SHORT_CALLS = { maxAttempts: 3, requestHandler: { connectionTimeout: 1000, requestTimeout: 2500, throwOnRequestTimeout: true } };

/** An SDK error as `what: Code: message` and its code: its name and message, which never carry credentials. */
export function sdkErrorText(err: unknown, what: string): { text: string; code: string | undefined } {
  const e = err as { name?: string; message?: string; Code?: string };
  const code = e?.name && e.name !== 'Error' ? e.name : e?.Code;
  return { text: `${what}: ${code ?? 'Error'}: ${String(e?.message ?? err).slice(0, 300)}`, code };
}

/** An AWS call (Scheduler, SNS, CloudWatch) that failed: its code and message, which never carry credentials. */
export class AwsCallError extends Error {
  constructor(message: string, public readonly code: string | undefined) {
    super(message);
    this.name = 'AwsCallError';
  }
}

/** An SDK error's name and message, for logs and errors. */
export function awsCallError(err: unknown, what: string): AwsCallError {
  const { text, code } = sdkErrorText(err, what);
  return new AwsCallError(text, code);
}

/** Secrets Manager through the SDK the Lambda runtime ships, loaded on first use only. */
export class SecretsManagerSource implements SecretSource {
  private readonly sdk = lazySdk('@aws-sdk/client-secrets-manager', (m: typeof import('@aws-sdk/client-secrets-manager')) => ({
    client: new m.SecretsManagerClient(SHORT_CALLS) as unknown as { send(command: unknown): Promise<{ SecretString?: string }> },
    GetSecretValueCommand: m.GetSecretValueCommand as unknown as new (input: { SecretId: string }) => unknown,
  }));

  async getSecretString(secretId: string): Promise<string> {
    const { client, GetSecretValueCommand } = await this.sdk();
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (typeof out.SecretString !== 'string') throw new Error('the secret has no string value');
    return out.SecretString;
  }
}

/** A secret's value: the text itself, or the first of `keys` found in its JSON. Errors never quote the value. */
export function secretValue(value: string, keys: readonly string[]): string {
  const text = value.trim();
  if (!text.startsWith('{')) return text;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the secret looks like JSON but does not parse');
  }
  const found = keys.map((k) => parsed[k]).find((v) => v !== undefined);
  if (typeof found !== 'string') throw new Error(`the secret is JSON without a "${keys[0]}" key`);
  return found.trim();
}

/** https, or http to this machine (the tests' stand-ins). */
export function isHttpsOrLoopback(url: URL): boolean {
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}

/** Remembers the last `capacity` ids (insertion order), so a duplicate SNS delivery posts once per container. */
export class RecentIds {
  private readonly ids = new Map<string, true>();
  constructor(private readonly capacity: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value as string);
  }
}

export const defaultLog = (entry: LogEntry) => console.log(JSON.stringify(entry));

/** What a log line says about a notification; long values shortened (alarm text can be 256 KB). */
export function describeNotification(n: AlarmNotification, severity: Severity | undefined, requestId: string | undefined) {
  return {
    messageId: n.messageId === undefined ? undefined : shorten(n.messageId, 100),
    alarmName: shorten(n.alarmName, 256),
    state: shorten(n.newState, 40),
    severity: severity ?? null,
    requestId,
  };
}

/**
 * The error a notifier invocation fails with when notifications were not delivered (the ids or
 * names of at most 20 listed): it goes to Lambda's log and into the on-failure record, so it is
 * redacted like the log.
 */
export function notDelivered(failures: string[], total: number, redactor: Redactor): Error {
  const listed = failures.slice(0, 20).map((f) => shorten(f, 100)).join(', ') + (failures.length > 20 ? `, and ${failures.length - 20} more` : '');
  return new Error(redactor.redact(`${failures.length} of ${total} notification(s) not delivered to Slack ` +
    `(${listed}); failing the invocation so Lambda retries it and the on-failure queue keeps it`));
}

/** What handling one notification came to; the handler logs it. `kept`: failing the invocation keeps it. */
export type RecordOutcome = 'delivered' | 'duplicate' | 'kept';

/** One notification being handled: what a mode's failure line needs, it keeps here (`S`). */
export type RecordScratch<S> = Partial<S>;

/**
 * The invocation both notifier modes run: one record at a time, each in its own try (whatever one
 * does, the next is still delivered). `handle` gets the notification, what log lines say about it
 * (describeNotification), its severity, the deadline for Slack (epoch ms), when the invocation
 * started, and a scratch object of its own. A record it throws for is logged as not delivered
 * (with the fields `failed` gives) and, like a `kept` one, fails the invocation at the end, so
 * Lambda's retries and the on-failure queue keep it.
 */
export async function deliverEach<S = object>(
  event: unknown,
  context: LambdaContext | undefined,
  safetyMarginMs: number,
  log: (entry: LogEntry) => void,
  redactor: Redactor,
  handle: (n: AlarmNotification, about: Record<string, unknown>, severity: Severity | undefined, deadline: number, started: number, scratch: RecordScratch<S>) => Promise<RecordOutcome>,
  failed: (err: unknown, scratch: RecordScratch<S>) => Record<string, unknown>,
): Promise<{ delivered: number; duplicates: number }> {
  const started = Date.now();
  const deadline = started + (context ? context.getRemainingTimeInMillis() : 30_000) - safetyMarginMs;
  const requestId = context?.awsRequestId;
  // Never throws: a record that cannot be read comes back as an unreadable notification.
  const notifications = notificationsFromEvent(event);
  let delivered = 0;
  let duplicates = 0;
  const failures: string[] = [];
  for (const n of notifications) {
    let about: Record<string, unknown> = { requestId };
    const scratch: RecordScratch<S> = {};
    const fail = () => failures.push(String(about.messageId ?? about.alarmName ?? 'a notification'));
    try {
      const severity = parseAlarmContract(n.alarmDescription).severity;
      about = describeNotification(n, severity, requestId);
      const outcome = await handle(n, about, severity, deadline, started, scratch);
      // `kept`: the handler logged why.
      if (outcome === 'kept') fail();
      else if (outcome === 'delivered') delivered++;
      else duplicates++;
    } catch (err) {
      fail();
      log({ level: 'error', msg: 'not delivered to slack', ...about, ...failed(err, scratch) });
    }
  }
  if (failures.length > 0) throw notDelivered(failures, notifications.length, redactor);
  return { delivered, duplicates };
}
