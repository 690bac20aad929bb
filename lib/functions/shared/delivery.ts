// Posting one message to a Slack incoming webhook: every non-2xx is a failure; transient ones are
// retried with exponential backoff and full jitter, honouring Retry-After, inside a deadline.
// No CDK, no dependencies: global fetch only. Nothing it reports quotes the URL or a body unredacted.
import { Redactor } from './redact';

/** How hard to try. */
export interface DeliveryConfig {
  /** Attempts per message inside one invocation. */
  readonly maxAttempts: number;
  /** First backoff step; doubles each attempt (full jitter). */
  readonly baseDelayMs: number;
  /** Largest backoff step. */
  readonly maxDelayMs: number;
  /** Longest single HTTP attempt. */
  readonly attemptTimeoutMs: number;
  /** Time kept back before the function timeout to fail cleanly. */
  readonly safetyMarginMs: number;
  /** What the deadline a call is given stands for, as failures name it. @default 'the function timeout' */
  readonly deadlineName?: string;
}

export const DEFAULT_DELIVERY: DeliveryConfig = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  attemptTimeoutMs: 5000,
  safetyMarginMs: 2000,
};

/**
 * The part of `fetch` used. `redirect` is always `'manual'`: a followed 301/302 would turn the POST
 * into a GET (the alert silently dropped, and possibly sent to another host).
 */
export type Fetcher = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' }) => Promise<{
  status: number;
  /** `'opaqueredirect'` (with status 0) is how a spec-following fetch reports an unfollowed redirect. */
  type?: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** What happened to one message. */
export interface DeliveryResult {
  readonly attempts: number;
  readonly status: number;
}

/** A delivery that failed; `permanent` when retrying cannot help (the webhook or payload is wrong). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    public readonly attempts: number,
    public readonly status: number | undefined,
    public readonly slackError: string | undefined,
    public readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A redirect (3xx, or the opaque response a manual-redirect fetch may give): never followed, never retried. */
export function isRedirect(res: { status: number; type?: string }): boolean {
  return res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400);
}

/** Statuses worth retrying: rate limit, timeouts, server errors. Any other 4xx will fail again. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const s = Number(header.trim());
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Full jitter: a random wait up to the exponential step (AWS architecture blog's recommendation). */
export function backoffMs(attempt: number, config: DeliveryConfig, random: () => number = Math.random): number {
  const step = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * step);
}

/** The headers of every JSON POST to Slack (a Web API call adds its token). */
export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json; charset=utf-8' };

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Events the caller logs. Nothing here ever carries the webhook URL. */
export interface DeliveryEvent {
  readonly attempt: number;
  readonly status?: number;
  readonly error?: string;
  readonly slackError?: string;
  readonly waitMs?: number;
}

/** Error details safe to log: names, codes and the message, redacted. */
export function describeError(err: unknown, redactor: Redactor): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; name?: string } };
  const base = `${e?.name ?? 'Error'}${e?.cause?.code ? ` ${e.cause.code}` : e?.cause?.name ? ` ${e.cause.name}` : ''}`;
  return redactor.redact(`${base}: ${String(e?.message ?? '')}`).slice(0, 300);
}

/** What one HTTP answer means for the attempt loop. */
export type AttemptVerdict<T> =
  /** Delivered; `value` is what the caller wants from the answer. */
  | { readonly kind: 'done'; readonly value: T }
  /**
   * Transient: try again (after `waitMs` when the server said when). `rateLimited`: the server
   * said when (Retry-After) because of its rate limit; such waits are bounded by the deadline,
   * not by `maxAttempts`, since asking again sooner is what would make a retry storm.
   */
  | { readonly kind: 'retry'; readonly error: string; readonly slackError?: string; readonly waitMs?: number; readonly rateLimited?: boolean }
  /** Asking again cannot help. */
  | { readonly kind: 'fail'; readonly error: DeliveryError };

/** One HTTP POST, as the attempt loop sends it. */
export interface PostRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** What error texts are cleaned with (a webhook URL is a secret; so is a token). */
  readonly redactor: Redactor;
}

/** The answer of one attempt, as the verdict function sees it. */
export interface AttemptAnswer {
  readonly status: number;
  readonly redirect: boolean;
  readonly headers: { get(name: string): string | null };
  /** The body as it came: the verdict redacts what it reports (Slack's answers are short; a proxy's error page is not). */
  readonly body: string;
  readonly attempt: number;
}

/**
 * The attempt loop every Slack call shares: sends `request` until `judge` says done or fail,
 * attempts run out or the deadline (epoch ms) is near, waiting with backoff and full jitter or
 * as `Retry-After` says. Throws {@link DeliveryError} on failure.
 */
export async function sendWithRetry<T>(
  fetcher: Fetcher,
  request: PostRequest,
  deadline: number,
  config: DeliveryConfig,
  judge: (answer: AttemptAnswer) => AttemptVerdict<T>,
  onRetry: (e: DeliveryEvent) => void = () => undefined,
): Promise<DeliveryResult & { readonly value: T }> {
  let lastStatus: number | undefined;
  let lastError = 'no attempt made';
  let rateLimitedWaits = 0;
  const limit = config.deadlineName ?? 'the function timeout';
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    if (remaining < 100) {
      throw new DeliveryError(`gave up before ${limit} after ${attempt - 1} attempt(s): ${lastError}`, attempt - 1, lastStatus, undefined, false);
    }
    let wait: number | undefined;
    let failure: DeliveryEvent;
    try {
      const res = await fetcher(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(Math.min(config.attemptTimeoutMs, remaining)),
        redirect: 'manual',
      });
      lastStatus = res.status;
      const body = await res.text().catch(() => '');
      const verdict = judge({ status: res.status, redirect: isRedirect(res), headers: res.headers, body, attempt });
      if (verdict.kind === 'done') return { attempts: attempt, status: res.status, value: verdict.value };
      if (verdict.kind === 'fail') throw verdict.error;
      lastError = verdict.error;
      wait = verdict.waitMs ?? retryAfterMs(res.headers.get('retry-after'), Date.now());
      if (verdict.rateLimited && wait !== undefined) rateLimitedWaits++;
      failure = { attempt, status: res.status, slackError: verdict.slackError };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      lastStatus = undefined;
      lastError = describeError(err, request.redactor);
      failure = { attempt, error: lastError };
    }
    if (attempt - rateLimitedWaits >= config.maxAttempts) {
      throw new DeliveryError(`not delivered after ${attempt} attempts: ${lastError}`, attempt, lastStatus, failure.slackError, false);
    }
    // Retry-After is Slack telling us when; add a little jitter so concurrent senders spread out.
    const delay = wait !== undefined ? wait + backoffMs(1, config) : backoffMs(attempt, config);
    if (Date.now() + delay + 100 > deadline) {
      throw new DeliveryError(`gave up: the next attempt (in ${delay} ms) would pass ${limit}; ${lastError}`, attempt, lastStatus, failure.slackError, false);
    }
    onRetry({ ...failure, waitMs: delay });
    await sleep(delay);
  }
}

/**
 * Posts `body` to an incoming webhook `url` until Slack answers 2xx, a permanent error, attempts
 * run out or the deadline (epoch ms) is near. Throws {@link DeliveryError} on failure. What it
 * reports (Slack's answer, error messages) goes through `redactor` first, before anything is cut short.
 */
export async function postWithRetry(
  fetcher: Fetcher,
  url: string,
  body: string,
  deadline: number,
  config: DeliveryConfig,
  onRetry: (e: DeliveryEvent) => void = () => undefined,
  redactor: Redactor = new Redactor().addUrl(url),
): Promise<DeliveryResult> {
  const request = { url, headers: { ...JSON_HEADERS }, body, redactor };
  const { attempts, status } = await sendWithRetry(fetcher, request, deadline, config, (res): AttemptVerdict<true> => {
    if (res.redirect) {
      // The webhook moved or is wrong; asking again will not help. Only the status is kept: the
      // Location header and the body ("Redirecting to …") may quote the webhook's secret path.
      return { kind: 'fail', error: new DeliveryError(`the webhook answered with a redirect: HTTP ${res.status} redirect (not followed)`, res.attempt, res.status, undefined, true) };
    }
    if (res.status >= 200 && res.status < 300) return { kind: 'done', value: true };
    // Slack's answer is a short word (`ok`, `invalid_payload`, `no_service`); a proxy's or an
    // error page's may quote the request path. Redacted whole, then cut to a bounded length.
    const answer = redactor.redact(res.body).slice(0, 200).trim();
    const error = `HTTP ${res.status}${answer ? ` ${answer}` : ''}`;
    if (!isRetryable(res.status)) {
      return { kind: 'fail', error: new DeliveryError(`Slack refused the message: ${error}`, res.attempt, res.status, answer || undefined, true) };
    }
    return { kind: 'retry', error, slackError: answer || undefined };
  }, onRetry);
  return { attempts, status };
}
