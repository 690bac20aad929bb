// A small Slack Web API client (chat.postMessage, chat.update, any other method by name) with the
// webhook path's guarantees: retries with backoff and jitter honouring Retry-After, inside a
// deadline. HTTP 200 with `ok: false` is a failure, and every error code Slack documents for these
// methods comes with the fix. No dependencies: global fetch. Reused by every function that talks
// to Slack as the app (the notifier today; the interactivity and escalation functions next).
import { AttemptVerdict, DeliveryConfig, DeliveryError, DeliveryEvent, Fetcher, isRetryable, sendWithRetry } from './delivery';

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

const REINSTALL = 'reinstall the app to the workspace (OAuth & Permissions → Reinstall) and put its Bot User OAuth Token (xoxb-…) in the secret; ' +
  'running functions read the secret again after this error';
const BUG = 'the notifier sent something Slack refuses: report it with this log line; a plain-text version of the message was tried';

/** What to do about each error code (Slack's documented errors of chat.postMessage and chat.update). */
export const SLACK_ERROR_FIXES: Readonly<Record<string, string>> = {
  channel_not_found: 'the channel ID is wrong, or the channel is private and the app is not in it: copy the ID from the channel details ' +
    '(C…/G…) into the SlackNotifier\'s channel props and /invite the app to private channels',
  not_in_channel: 'invite the app to the channel (/invite @<app name> in it), or add the chat:write.public scope and reinstall the app to post to public channels without joining',
  is_archived: 'the channel is archived: unarchive it, or point the SlackNotifier at another channel',
  is_inactive: 'the channel is archived, frozen or deleted: point the SlackNotifier at a live channel',
  invalid_auth: `the secret does not hold a valid bot token for this workspace: ${REINSTALL}`,
  not_authed: `no token reached Slack: put the Bot User OAuth Token (xoxb-…) in the secret; ${REINSTALL}`,
  token_revoked: `the token was revoked (the app was uninstalled or its token rotated): ${REINSTALL}`,
  token_expired: `the token expired (token rotation is on): turn token rotation off for this app, or ${REINSTALL}`,
  account_inactive: `the token belongs to a deleted bot or workspace: ${REINSTALL}`,
  not_allowed_token_type: 'the secret holds a user or app-level token: store the Bot User OAuth Token (xoxb-…)',
  missing_scope: 'the app lacks a scope (the log line names it in `needed`): add chat:write in OAuth & Permissions → Bot Token Scopes, then reinstall the app',
  no_permission: 'the app may not post in this conversation: /invite the app to the channel',
  team_access_not_granted: 'the token has no access to this workspace: install the app in the workspace of the channel',
  ekm_access_denied: 'the workspace\'s administrators suspended posting (Enterprise Key Management): ask them to restore it',
  restricted_action: 'a workspace setting prevents the app from posting in this channel: ask an admin to allow apps to post there, or use another channel',
  restricted_action_read_only_channel: 'the channel is read-only: use a channel the app may post to',
  restricted_action_thread_only_channel: 'the channel takes thread replies only: use a channel that takes new messages',
  restricted_action_non_threadable_channel: 'the channel does not take thread replies: use a regular channel',
  cant_update_message: 'the parent was not posted with this token (another app or token): new incidents will be posted and updated with this one',
  message_not_found: 'the parent message was deleted: later notifications of the incident still reply in its thread',
  edit_window_closed: 'the workspace\'s message editing window closed for this message: ask an admin to allow apps to edit their messages',
  msg_too_long: BUG,
  msg_blocks_too_long: BUG,
  invalid_blocks: BUG,
  invalid_blocks_format: BUG,
  invalid_arguments: BUG,
  no_text: BUG,
  invalid_thread_ts: BUG,
  ratelimited: 'Slack takes about one message per second per channel: the notifier waits as Retry-After says; if it keeps happening, ' +
    'send some severities to another channel (severityChannels) or lower reservedConcurrentExecutions',
  rate_limited: 'Slack takes about one message per second per channel: the notifier waits as Retry-After says; if it keeps happening, ' +
    'send some severities to another channel (severityChannels) or lower reservedConcurrentExecutions',
  internal_error: 'a transient error at Slack: retried; if it persists check https://slack-status.com',
  fatal_error: 'an error at Slack: retried; if it persists check https://slack-status.com',
  service_unavailable: 'Slack is unavailable: retried; Lambda retries the notification later and the failure queue keeps it',
};

/** The fix for an error code, if Slack documents it. */
export function slackErrorFix(code: string | undefined): string | undefined {
  return code && Object.prototype.hasOwnProperty.call(SLACK_ERROR_FIXES, code) ? SLACK_ERROR_FIXES[code] : undefined;
}

/** Errors that mean the token is wrong: the secret is worth reading again. */
export function isTokenError(code: string | undefined): boolean {
  return code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked' || code === 'token_expired' ||
    code === 'account_inactive' || code === 'not_allowed_token_type';
}

/** The secret holds the bot token itself, or JSON with `botToken` (or `token`). */
export function botTokenFromSecret(value: string): string {
  let candidate = value.trim();
  if (candidate.startsWith('{')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      throw new Error('the secret looks like JSON but does not parse');
    }
    const v = parsed.botToken ?? parsed.token ?? parsed.bot_token;
    if (typeof v !== 'string') throw new Error('the secret is JSON without a "botToken" key');
    candidate = v.trim();
  }
  // Bot tokens are xoxb-…; with token rotation on they are xoxe.xoxb-…. Never echo the value.
  if (!/^(?:xoxe\.)?xoxb-[A-Za-z0-9-]+$/.test(candidate)) {
    throw new Error('the secret does not hold a bot token: store the app\'s Bot User OAuth Token (xoxb-…), or {"botToken": "xoxb-…"}');
  }
  return candidate;
}

/** The API base URL: https, or http to loopback (tests). Always ends in `/`. */
export function slackApiUrl(raw: string | undefined): string {
  const url = new URL(raw && raw.trim() ? raw.trim() : SLACK_API_URL);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error(`the Slack API URL must use https (got ${url.protocol})`);
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

  constructor(private readonly options: SlackWebApiOptions) {
    this.base = slackApiUrl(options.apiUrl);
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
    const request = {
      url: `${this.base}${method}`,
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
      body: JSON.stringify(args),
    };
    const judge = (res: { status: number; redirect: boolean; body: string; headers: { get(n: string): string | null }; attempt: number }): AttemptVerdict<SlackApiAnswer> => {
      const answer = parseAnswer(res.body);
      const code = typeof answer?.error === 'string' ? answer.error.slice(0, 100) : undefined;
      const fail = (why: string, permanent: boolean) => new SlackApiError(`${method} failed: ${why}`, res.attempt, res.status, code, permanent, method, slackErrorFix(code));
      if (res.redirect) return { kind: 'fail', error: fail(`HTTP ${res.status} redirect (not followed): check the Slack API URL`, true) };
      if (res.status < 200 || res.status >= 300) {
        const why = `HTTP ${res.status}${code ? ` ${code}` : ''}`;
        return isRetryable(res.status) ? { kind: 'retry', error: why, slackError: code, rateLimited: res.status === 429 } : { kind: 'fail', error: fail(why, true) };
      }
      // A 200 that is not Slack's JSON came from something in between (a proxy, a captive portal).
      if (!answer) return { kind: 'retry', error: `HTTP ${res.status} without a Slack API answer` };
      if (answer.ok === true) return { kind: 'done', value: answer };
      const needed = typeof answer.needed === 'string' ? ` (needed: ${answer.needed.slice(0, 100)})` : '';
      if (code && TRANSIENT.has(code)) return { kind: 'retry', error: `${code}${needed}`, slackError: code, rateLimited: code === 'ratelimited' || code === 'rate_limited' };
      return { kind: 'fail', error: fail(`${code ?? 'ok: false without an error code'}${needed}`, true) };
    };
    try {
      // Slack's answers carry the posted message back: read enough of the body to parse it.
      const out = await sendWithRetry(this.options.fetch, request, deadline, this.options.delivery, judge,
        (e) => this.options.onRetry?.(method, e), 64 * 1024);
      return { value: out.value, attempts: out.attempts };
    } catch (err) {
      if (err instanceof SlackApiError) throw err;
      // Out of attempts or of time: keep Slack's last code and its fix with the error.
      const d = err as DeliveryError;
      throw new SlackApiError(`${method} failed: ${d.message}`, d.attempts, d.status, d.slackError, d.permanent, method, slackErrorFix(d.slackError));
    }
  }
}
