// The SlackNotifier's function in webhook mode: SNS notification → Slack message → incoming webhook
// (Slack app mode is its own bundle: ./app). When an alarm opens, the policy's contacts are paged
// through their SNS topics first, then mentioned in the message. Each record is handled on its own;
// the invocation fails when one is not delivered (or a contact not paged), so Lambda's retries and
// the on-failure queue keep it. Every log line goes through the redactor.
// No CDK and no bundled dependencies: global fetch, and the AWS SDK v3 the runtime provides.
import { Severity } from '../../core/severity';
import { renderNotification } from '../../notification/slack-message';
import { MESSAGE_FIELDS, WEBHOOK_FIELDS, decodeConfig, escalationLinesOf, mentionsOf, variableOf } from '../shared/config';
import { DEFAULT_DELIVERY, DeliveryConfig, DeliveryError, DeliveryEvent, Fetcher, postWithRetry } from '../shared/delivery';
import type { FunctionDeps } from '../shared/deps';
import { Redactor } from '../shared/redact';
import { mentionsAt } from '../shared/contacts';
import { openingOf } from '../shared/opening';
import { PagePublisher, SnsPagePublisher, publishPages } from '../shared/sns-publish';
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
  const paged = new RecentIds(deps.dedupeCapacity ?? 1000);
  const now = deps.now ?? Date.now;
  const publisher: PagePublisher = deps.publisher ?? new SnsPagePublisher();
  const options = { mentions: mentionsOf(cfg), mentionsAt: mentionsAt(cfg.contactPlan, now), escalations: escalationLinesOf(cfg), service: cfg.service };
  if (cfg.unreadablePlan) log({ level: 'error', msg: 'contacts off: the contact plan is unreadable', fix: 'redeploy the SlackNotifier' });

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
      // The contacts' pagers first (they do not depend on Slack), once per container: a failure
      // still posts to Slack, then fails the invocation so the retry pages them.
      const opening = openingOf(cfg.contactPlan, n, cfg.service, now());
      const toPage = !!opening && opening.topics.length > 0 && !(n.messageId && paged.has(n.messageId));
      const posted = !!n.messageId && delivered.has(n.messageId);
      if (posted && !toPage) {
        log({ level: 'info', msg: 'duplicate SNS delivery skipped', ...about });
        return 'duplicate';
      }
      let notPaged: string | undefined;
      if (opening && toPage) {
        try {
          const count = await publishPages(publisher, opening.topics, opening.text);
          if (n.messageId) paged.add(n.messageId);
          log({ level: 'info', msg: 'contacts paged', ...about, contacts: opening.contacts.map((c) => c.name), topics: count });
        } catch (err) {
          notPaged = (err as Error)?.message ?? String(err);
          log({ level: 'error', msg: 'contacts not paged: failing after the Slack message so Lambda retries it', ...about, error: notPaged,
            fix: 'check that the topic exists, that the notifier\'s role may publish to it, and that a KMS key of the topic lets the role use it' });
        }
      }
      if (posted) {
        // A retry after the pages failed: the message went out before.
        if (notPaged !== undefined) throw new Error(notPaged);
        return 'delivered';
      }
      // Never throws either: a notification that cannot be rendered as designed is posted in the
      // "could not be read" form (or, past that, as a bare notice that fails the invocation below).
      const rendered = renderNotification(n, options);
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
      if (notPaged !== undefined) {
        rec.stage = 'contacts not paged';
        throw new Error(notPaged);
      }
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
