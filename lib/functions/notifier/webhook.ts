// The SlackNotifier's function in webhook mode: SNS notification → Slack message → incoming webhook
// (Slack app mode is its own bundle: ./app). Each record is handled on its own; the invocation fails
// when one is not delivered, so Lambda's retries and the on-failure queue keep it. Every log line
// goes through the redactor.
// No CDK and no bundled dependencies: global fetch, and the AWS SDK v3 the runtime provides.
import { Severity } from '../../core/severity';
import { renderNotification } from '../../notification/slack-message';
import { MESSAGE_FIELDS, WEBHOOK_FIELDS, decodeConfig, escalationLinesOf, mentionsOf, variableOf } from '../shared/config';
import { DEFAULT_DELIVERY, DeliveryConfig, DeliveryError, DeliveryEvent, Fetcher, postWithRetry } from '../shared/delivery';
import type { FunctionDeps } from '../shared/deps';
import { Redactor } from '../shared/redact';
import { LambdaContext, LogEntry, RecentIds, SecretsManagerSource, defaultLog, deliverEach, isHttpsOrLoopback, secretValue } from '../shared/runtime';

// The bundle's entry point exports `handler` and `createHandler` only (what the function and its
// black-box tests use): every other exported value would be kept in the bundle for nobody. Code
// that needs the pieces imports them from their modules.
export type { DeliveryConfig, Fetcher } from '../shared/delivery';
export type { LambdaContext, LogEntry, SecretSource } from '../shared/runtime';
export type { FunctionDeps } from '../shared/deps';

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

/** Builds the Lambda handler. Production uses the defaults; tests inject fetch, secrets and timings. */
export function createHandler(deps: FunctionDeps = {}) {
  const cfg = decodeConfig(deps.env ?? process.env, [...WEBHOOK_FIELDS, ...MESSAGE_FIELDS]);
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
  const mentions = mentionsOf(cfg);
  const escalations = escalationLinesOf(cfg);

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
    const arn = (severity && cfg.severityWebhookSecretArns?.[severity]) || cfg.webhookSecretArn;
    if (!arn) throw new Error(`${variableOf('webhookSecretArn', WEBHOOK_FIELDS)} is not set`);
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
