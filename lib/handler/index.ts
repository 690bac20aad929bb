// The SlackNotifier's Lambda function: SNS notification → Slack message → webhook (or, in Slack app
// mode, → incident thread: ./slack-app). Each record is handled on its own; the invocation fails
// when one is not delivered, so Lambda's retries and the on-failure queue keep it. Every log line
// goes through the redactor.
// No CDK and no bundled dependencies: global fetch, and the AWS SDK v3 the runtime provides.
import { Severity } from '../core/severity';
import { renderNotification } from '../notification/slack-message';
import { HANDLER_ENV, escalationsFromEnv, mentionsFromEnv } from './env';
import { DEFAULT_DELIVERY, DeliveryConfig, DeliveryError, DeliveryEvent, Fetcher, postWithRetry } from './delivery';
import { IncidentStore } from './incidents';
import type { AlarmStates } from './alarm-state';
import type { EscalationScheduler } from './scheduler';
import type { PagePublisher } from './sns-publish';
import type { TimerRequests } from './timer-request';
import { Redactor } from './redact';
import { LambdaContext, LogEntry, RecentIds, SecretSource, SecretsManagerSource, defaultLog, deliverEach, isHttpsOrLoopback, secretValue } from './runtime';
import { createSlackAppHandler } from './slack-app';

// The bundle's entry point exports `handler` and `createHandler` only (what the function and its
// black-box tests use): every other exported value would be kept in the bundle for nobody. Code
// that needs the pieces imports them from their modules.
export type { DeliveryConfig, Fetcher } from './delivery';
export type { LambdaContext, LogEntry, SecretSource } from './runtime';

/** What a handler can be given instead of the production defaults. */
export interface HandlerDeps {
  readonly fetch?: Fetcher;
  readonly secrets?: SecretSource;
  readonly delivery?: Partial<DeliveryConfig>;
  readonly env?: Record<string, string | undefined>;
  readonly log?: (entry: LogEntry) => void;
  /** How many SNS message ids to remember for duplicate detection. @default 1000 */
  readonly dedupeCapacity?: number;
  /** Slack app mode: where incidents are kept. @default - the DynamoDB table named by INCIDENT_TABLE_NAME */
  readonly store?: IncidentStore;
  /** The clock of incidents, acknowledgements and escalation timers (tests compress time). @default Date.now */
  readonly now?: () => number;
  /** Escalation timers. @default - EventBridge Scheduler, in the group the environment names */
  readonly scheduler?: EscalationScheduler;
  /** The alarm's state now, asked before escalating. @default - Amazon CloudWatch (DescribeAlarms) */
  readonly alarmStates?: AlarmStates;
  /** Escalation pages to SNS topics. @default - Amazon SNS */
  readonly publisher?: PagePublisher;
  /** How the notifier asks for an incident's escalation timer. @default - an asynchronous invoke of the escalation function */
  readonly timers?: TimerRequests;
}

/** The secret holds the URL itself, or JSON with `webhookUrl` (or `url`). Only https, or http to loopback (tests). */
function webhookUrlFromSecret(value: string): string {
  const candidate = secretValue(value, ['webhookUrl', 'url', 'webhook_url']);
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new Error('the secret does not hold a URL (store the webhook URL, or {"webhookUrl": "..."})');
  }
  if (!isHttpsOrLoopback(url)) throw new Error('the webhook URL must use https');
  return url.href;
}

/**
 * Builds the Lambda handler. Production uses the defaults; tests inject fetch, secrets and timings.
 * With a bot token configured it runs in Slack app mode (threads and incidents, ./slack-app).
 */
export function createHandler(deps: HandlerDeps = {}) {
  const env = deps.env ?? process.env;
  if (env[HANDLER_ENV.botTokenSecretArn]) return createSlackAppHandler(deps);
  const redactor = new Redactor();
  const rawLog = deps.log ?? defaultLog;
  // Whatever a field holds (Slack's answer, an error, alarm text), no secret reaches the log.
  const log = (entry: LogEntry) => rawLog(redactor.redactValue(entry));
  const fetcher: Fetcher = deps.fetch ?? ((url, init) => fetch(url, init));
  const secrets = deps.secrets ?? new SecretsManagerSource();
  const config: DeliveryConfig = { ...DEFAULT_DELIVERY, ...deps.delivery };
  // Per container: secrets are fetched once, and ids of delivered messages remembered. Lambda may
  // run several containers, so a duplicate landing on another container can still post twice.
  const urls = new Map<string, Promise<string>>();
  const delivered = new RecentIds(deps.dedupeCapacity ?? 1000);
  const mentions = mentionsFromEnv(env);
  const escalations = escalationsFromEnv(env);

  const webhookUrl = (secretArn: string): Promise<string> => {
    let url = urls.get(secretArn);
    if (!url) {
      url = secrets.getSecretString(secretArn).then((value) => {
        const found = webhookUrlFromSecret(value);
        redactor.addUrl(found).addUrl(value.trim());
        return found;
      });
      urls.set(secretArn, url);
      url.catch(() => urls.delete(secretArn));
    }
    return url;
  };

  const secretFor = (severity: Severity | undefined): string => {
    const specific = severity ? env[`${HANDLER_ENV.severitySecretArnPrefix}${severity}`] : undefined;
    const arn = specific || env[HANDLER_ENV.webhookSecretArn];
    if (!arn) throw new Error(`${HANDLER_ENV.webhookSecretArn} is not set`);
    return arn;
  };

  return (event: unknown, context?: LambdaContext) => deliverEach<{ stage: string; secretArn: string }>(event, context, config.safetyMarginMs, log, redactor,
    async (n, about, severity, deadline, started, rec) => {
      if (n.messageId && delivered.has(n.messageId)) {
        log({ level: 'info', msg: 'duplicate SNS delivery skipped', ...about });
        return 'duplicate';
      }
      // Never throws either: a notification that cannot be rendered as designed is posted in the
      // "could not be read" form (or, past that, as a bare notice that fails the invocation below).
      const rendered = renderNotification(n, { mentions, escalations });
      if (rendered.form !== 'whole') log({ level: 'error', msg: 'notification rendered in a fallback form', ...about, form: rendered.form, problem: rendered.problem });
      const message = rendered.message;
      const onRetry = (e: DeliveryEvent) => log({ level: 'warn', msg: 'slack attempt failed, retrying', ...about, ...e });
      // What was being done when something threw that is not a delivery error.
      rec.stage = 'webhook secret unavailable';
      rec.secretArn = secretFor(severity);
      const url = await webhookUrl(rec.secretArn);
      rec.stage = 'not posted';
      let result;
      try {
        result = await postWithRetry(fetcher, url, JSON.stringify(message), deadline, config, onRetry, redactor);
      } catch (err) {
        // Slack rejected the blocks (a limit we missed, a block type it changed): a plain-text
        // message still tells the engineer what fired.
        if (!(err instanceof DeliveryError && err.permanent && err.status === 400)) throw err;
        log({ level: 'error', msg: 'slack rejected the message, sending it as plain text', ...about, status: err.status, slackError: err.slackError });
        result = await postWithRetry(fetcher, url, JSON.stringify({ text: message.text }), deadline, config, onRetry, redactor);
      }
      if (rendered.form === 'notice') {
        // Slack only learned that something arrived: keep the event itself for the failure queue.
        log({ level: 'error', msg: 'notification could not be shown; failing the invocation to keep it', ...about, attempts: result.attempts });
        return 'kept';
      }
      if (n.messageId) delivered.add(n.messageId);
      log({ level: 'info', msg: 'delivered to slack', ...about, attempts: result.attempts, status: result.status, ms: Date.now() - started });
      return 'delivered';
    },
    (err, rec) => {
      const d = err instanceof DeliveryError ? err : undefined;
      // A revoked or deleted webhook may have been replaced in the secret: read it again next time.
      if (rec.secretArn && d?.permanent && d.status !== 400) urls.delete(rec.secretArn);
      return { error: d ? d.message : `${rec.stage ?? 'not handled'}: ${describe(err)}`, status: d?.status, slackError: d?.slackError, attempts: d?.attempts };
    });
}

function describe(err: unknown): string {
  try {
    return (err as Error)?.message ?? String(err);
  } catch {
    return 'an error';
  }
}

/** The Lambda entry point. */
export const handler = createHandler();
