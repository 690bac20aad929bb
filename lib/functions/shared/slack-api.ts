// A small Slack Web API client (chat.postMessage, chat.update, any other method by name) with the
// webhook path's guarantees: retries with backoff and jitter honouring Retry-After, inside a
// deadline. HTTP 200 with `ok: false` is a failure, and every error code Slack documents for these
// methods comes with the fix. No dependencies: global fetch. Reused by every function that talks
// to Slack as the app: the notifier in app mode, the interactivity and the escalation functions.
import { ownValue } from '../../core/own';
import { AttemptVerdict, DeliveryConfig, DeliveryError, DeliveryEvent, Fetcher, JSON_HEADERS, isRetryable, sendWithRetry } from './delivery';
import { Redactor } from './redact';
import { isHttpsOrLoopback, secretValue } from './runtime';

/** Slack's Web API. GovSlack is `https://slack-gov.com/api/`. */
export const SLACK_API_URL = 'https://slack.com/api/';

/** The part of a message this client posts. */
export interface ChatMessage {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

/** What a successful call answered: Slack's JSON (`ok: true`, `channel`, `ts`, …). */
export type SlackApiAnswer = Record<string, unknown>;

/** A call that failed: `slackError` is Slack's code, `fix` what to do about it. */
export class SlackApiError extends DeliveryError {
  constructor(
    message: string,
    attempts: number,
    status: number | undefined,
    slackError: string | undefined,
    permanent: boolean,
    public readonly method: string,
    public readonly fix: string | undefined,
  ) {
    super(message, attempts, status, slackError, permanent);
    this.name = 'SlackApiError';
  }
}

// Codes that mean "later": Slack's own transient errors (HTTP 429/5xx are retried by status).
const TRANSIENT = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout',
  'team_added_to_org', 'org_login_required', 'external_channel_migrating', 'update_failed']);

/** Codes whose message content (not the setup) is at fault: a plain-text message may still go out. */
export const CONTENT_ERRORS: ReadonlySet<string> = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'msg_blocks_too_long',
  'invalid_arguments', 'invalid_attachments', 'too_many_attachments', 'block_mismatch']);

/**
 * Sends `message`; when Slack refuses its content (invalid_blocks, msg_too_long), sends its plain
 * `text` instead, so what fired still shows. `refused` hears of the refusal.
 */
export async function withPlainTextFallback<T>(send: (m: ChatMessage) => Promise<T>, message: ChatMessage, refused?: (err: SlackApiError) => void): Promise<T> {
  try {
    return await send(message);
  } catch (err) {
    if (!(err instanceof SlackApiError && err.permanent && err.slackError && CONTENT_ERRORS.has(err.slackError))) throw err;
    refused?.(err);
    return send({ text: message.text });
  }
}

const REINSTALL = 'reinstall the app (OAuth & Permissions) and put its Bot User OAuth Token (xoxb-…) in the secret; it is read again after this error';
const BUG = 'Slack refused what the notifier sent: report this line; the message was retried as plain text';
const INVITE = 'invite the app to the channel (/invite @app)';
const RATE = 'Slack takes about 1 message/s per channel: the notifier waits as told; if it persists, give some severities their own channel';
const STATUS = 'an error at Slack: retried; see https://slack-status.com';

/** What to do about each error code (Slack's documented errors of chat.postMessage and chat.update). */
export const SLACK_ERROR_FIXES: Readonly<Record<string, string>> = {
  channel_not_found: `the channel ID is wrong, or the channel is private and the app is not in it: use the ID from the channel's details (C…) and ${INVITE}`,
  not_in_channel: `${INVITE}, or add the chat:write.public scope to post in public channels without joining`,
  is_archived: 'the channel is archived: unarchive it or use another channel',
  is_inactive: 'the channel is archived, frozen or deleted: use another channel',
  invalid_auth: `the secret holds no valid bot token for this workspace: ${REINSTALL}`,
  not_authed: `no token reached Slack: ${REINSTALL}`,
  token_revoked: `the token was revoked (app uninstalled or token rotated): ${REINSTALL}`,
  token_expired: `the token expired: turn token rotation off for the app and ${REINSTALL}`,
  account_inactive: `the token's bot or workspace was deleted: ${REINSTALL}`,
  not_allowed_token_type: 'store the Bot User OAuth Token (xoxb-…), not a user or app-level token',
  missing_scope: 'add the scope named in `needed` (chat:write) under OAuth & Permissions, then reinstall the app',
  no_permission: INVITE,
  team_access_not_granted: 'install the app in the workspace of the channel',
  ekm_access_denied: 'the workspace admins suspended posting (Enterprise Key Management): ask them',
  restricted_action: 'a workspace setting keeps the app from posting here: ask an admin, or use another channel',
  restricted_action_read_only_channel: 'the channel is read-only: use another channel',
  restricted_action_thread_only_channel: 'the channel takes thread replies only: use another channel',
  restricted_action_non_threadable_channel: 'the channel takes no thread replies: use a regular channel',
  cant_update_message: 'the parent was posted by another app or token: new incidents are posted and updated with this one',
  message_not_found: 'the parent message was deleted: later notifications still reply in its thread',
  edit_window_closed: 'the workspace limits message edits: ask an admin to let apps edit their messages',
  msg_too_long: BUG,
  msg_blocks_too_long: BUG,
  invalid_blocks: BUG,
  invalid_blocks_format: BUG,
  invalid_arguments: BUG,
  no_text: BUG,
  invalid_thread_ts: BUG,
  ratelimited: RATE,
  rate_limited: RATE,
  internal_error: STATUS,
  fatal_error: STATUS,
  service_unavailable: STATUS,
};

/** The fix for an error code, if Slack documents it. */
export function slackErrorFix(code: string | undefined): string | undefined {
  return ownValue(SLACK_ERROR_FIXES, code);
}

/** Errors that mean the token is wrong: the secret is worth reading again. */
export function isTokenError(code: string | undefined): boolean {
  return code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked' || code === 'token_expired' ||
    code === 'account_inactive' || code === 'not_allowed_token_type';
}

/** The secret holds the bot token itself, or JSON with `botToken` (or `token`). */
export function botTokenFromSecret(value: string): string {
  const candidate = secretValue(value, ['botToken', 'token', 'bot_token']);
  // Bot tokens are xoxb-…; with token rotation on they are xoxe.xoxb-…. Never echo the value.
  if (!/^(?:xoxe\.)?xoxb-[A-Za-z0-9-]+$/.test(candidate)) {
    throw new Error('the secret does not hold a bot token: store the app\'s Bot User OAuth Token (xoxb-…), or {"botToken": "xoxb-…"}');
  }
  return candidate;
}

/** The API base URL: https, or http to loopback (tests). Always ends in `/`. */
export function slackApiUrl(raw: string | undefined): string {
  const url = new URL(raw && raw.trim() ? raw.trim() : SLACK_API_URL);
  if (!isHttpsOrLoopback(url)) throw new Error(`the Slack API URL must use https (got ${url.protocol})`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** How the client is built. */
export interface SlackWebApiOptions {
  readonly fetch: Fetcher;
  /** The bot token; called per request, so a re-read secret takes effect. */
  readonly token: () => Promise<string>;
  readonly delivery: DeliveryConfig;
  /** @default SLACK_API_URL */
  readonly apiUrl?: string;
  /** Called before each retry (never with the token). */
  readonly onRetry?: (method: string, e: DeliveryEvent) => void;
  /** Cleans what errors report; the token is added to it when read. @default - a new one */
  readonly redactor?: Redactor;
}

function parseAnswer(body: string): SlackApiAnswer | undefined {
  try {
    const v = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Slack's Web API over JSON POSTs with a bearer token. */
export class SlackWebApi {
  private readonly base: string;
  private readonly redactor: Redactor;

  constructor(private readonly options: SlackWebApiOptions) {
    this.base = slackApiUrl(options.apiUrl);
    this.redactor = options.redactor ?? new Redactor();
  }

  /** `chat.postMessage`: a new message, or a reply when `threadTs` is given. Resolves to the posted message's channel ID and ts. */
  async postMessage(channel: string, message: ChatMessage, deadline: number, threadTs?: string): Promise<{ channel: string; ts: string; attempts: number }> {
    const body = { channel, text: message.text, blocks: message.blocks, thread_ts: threadTs, unfurl_links: false, unfurl_media: false };
    const { value, attempts } = await this.call('chat.postMessage', body, deadline);
    const ts = typeof value.ts === 'string' ? value.ts : undefined;
    if (!ts) throw new SlackApiError('chat.postMessage answered ok without a ts', attempts, 200, undefined, true, 'chat.postMessage', undefined);
    return { channel: typeof value.channel === 'string' ? value.channel : channel, ts, attempts };
  }

  /** `chat.update`: replaces the text and blocks of the message `ts` in `channel` (a channel ID). */
  async update(channel: string, ts: string, message: ChatMessage, deadline: number): Promise<{ attempts: number }> {
    const { attempts } = await this.call('chat.update', { channel, ts, text: message.text, blocks: message.blocks }, deadline);
    return { attempts };
  }

  /** Any Web API method taking JSON. Throws {@link SlackApiError} when Slack does not answer `ok: true`. */
  async call(method: string, args: Record<string, unknown>, deadline: number): Promise<{ value: SlackApiAnswer; attempts: number }> {
    const token = await this.options.token();
    this.redactor.addSecret(token);
    const request = {
      url: `${this.base}${method}`,
      headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
      body: JSON.stringify(args),
      redactor: this.redactor,
    };
    const judge = (res: { status: number; redirect: boolean; body: string; headers: { get(n: string): string | null }; attempt: number }): AttemptVerdict<SlackApiAnswer> => {
      // Slack's answer is JSON (it echoes the posted message); only its error code is ever reported.
      const answer = parseAnswer(res.body);
      const code = typeof answer?.error === 'string' ? this.redactor.redact(answer.error).slice(0, 100) : undefined;
      const fail = (why: string, permanent: boolean) => new SlackApiError(`${method} failed: ${why}`, res.attempt, res.status, code, permanent, method, slackErrorFix(code));
      if (res.redirect) return { kind: 'fail', error: fail(`HTTP ${res.status} redirect (not followed): check the Slack API URL`, true) };
      if (res.status < 200 || res.status >= 300) {
        const why = `HTTP ${res.status}${code ? ` ${code}` : ''}`;
        return isRetryable(res.status) ? { kind: 'retry', error: why, slackError: code, rateLimited: res.status === 429 } : { kind: 'fail', error: fail(why, true) };
      }
      // A 200 that is not Slack's JSON came from something in between (a proxy, a captive portal).
      if (!answer) return { kind: 'retry', error: `HTTP ${res.status} without a Slack API answer` };
      if (answer.ok === true) return { kind: 'done', value: answer };
      const needed = typeof answer.needed === 'string' ? ` (needed: ${this.redactor.redact(answer.needed).slice(0, 100)})` : '';
      if (code && TRANSIENT.has(code)) return { kind: 'retry', error: `${code}${needed}`, slackError: code, rateLimited: code === 'ratelimited' || code === 'rate_limited' };
      return { kind: 'fail', error: fail(`${code ?? 'ok: false without an error code'}${needed}`, true) };
    };
    try {
      // Slack's answers carry the posted message back: read enough of the body to parse it.
      const out = await sendWithRetry(this.options.fetch, request, deadline, this.options.delivery, judge,
        (e) => this.options.onRetry?.(method, e));
      return { value: out.value, attempts: out.attempts };
    } catch (err) {
      if (err instanceof SlackApiError) throw err;
      // Out of attempts or of time: keep Slack's last code and its fix with the error.
      const d = err as DeliveryError;
      throw new SlackApiError(`${method} failed: ${d.message}`, d.attempts, d.status, d.slackError, d.permanent, method, slackErrorFix(d.slackError));
    }
  }
}
