// Slack's request signatures (docs.slack.dev, "Verifying requests from Slack"): X-Slack-Signature
// is `v0=` + the hex HMAC-SHA256, keyed with the app's signing secret, of `v0:{timestamp}:{raw
// body}`, with X-Slack-Request-Timestamp in seconds. Compared in constant time; a timestamp more
// than five minutes from now is a replay. Pure apart from the clock it is given.
import { createHmac, timingSafeEqual } from 'crypto';
import { secretValue } from '../shared/runtime';

/** Requests older (or newer) than this are refused as replays. */
export const SLACK_REPLAY_WINDOW_S = 300;

/**
 * What the headers say, or why they cannot be Slack's (missing, malformed, outside the replay
 * window): checked before the signing secret is needed, so such a request costs no secret read.
 */
export function slackHeaders(timestampHeader: string | undefined, signatureHeader: string | undefined, nowMs: number,
  windowS: number = SLACK_REPLAY_WINDOW_S): { readonly problem: string } | { readonly ts: number; readonly signature: Buffer } {
  if (!timestampHeader || !signatureHeader) return { problem: 'no X-Slack-Request-Timestamp or X-Slack-Signature header' };
  if (!/^\d{1,12}$/.test(timestampHeader.trim())) return { problem: 'X-Slack-Request-Timestamp is not a time in seconds' };
  const ts = Number(timestampHeader.trim());
  if (Math.abs(nowMs / 1000 - ts) > windowS) return { problem: `timestamp ${Math.round(nowMs / 1000 - ts)} s away from now (a replay, or a clock off by more than ${windowS} s)` };
  const m = /^v0=([0-9a-f]{64})$/.exec(signatureHeader.trim());
  if (!m) return { problem: 'X-Slack-Signature is not v0=<64 hex digits>' };
  return { ts, signature: Buffer.from(m[1], 'hex') };
}

/** Why the signature of headers that passed {@link slackHeaders} is not the body's with this secret, or undefined when it is. */
export function signatureMismatch(signingSecret: string, headers: { readonly ts: number; readonly signature: Buffer }, rawBody: Buffer): string | undefined {
  const expected = createHmac('sha256', signingSecret).update(`v0:${headers.ts}:`).update(rawBody).digest();
  return headers.signature.length === expected.length && timingSafeEqual(headers.signature, expected) ? undefined : 'signature does not match';
}

/** Why a request is not Slack's, or undefined when it is. */
export function slackSignatureProblem(signingSecret: string, timestampHeader: string | undefined, signatureHeader: string | undefined,
  rawBody: Buffer, nowMs: number, windowS: number = SLACK_REPLAY_WINDOW_S): string | undefined {
  const headers = slackHeaders(timestampHeader, signatureHeader, nowMs, windowS);
  return 'problem' in headers ? headers.problem : signatureMismatch(signingSecret, headers, rawBody);
}

/** The signature Slack would send for a body at a time (tests and the stand-ins sign with it). */
export function slackSignature(signingSecret: string, timestampS: number, rawBody: string | Buffer): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampS}:`).update(rawBody).digest('hex')}`;
}

/** The signing secret: the text itself, or JSON with `signingSecret`. Never echoed. */
export function signingSecretFromSecret(value: string): string {
  const text = secretValue(value, ['signingSecret', 'signing_secret']);
  // Slack's signing secrets are 32 hex digits; accept any reasonable secret, refuse an empty or odd one.
  if (!/^[A-Za-z0-9]{16,128}$/.test(text)) throw new Error('the secret does not hold a Slack signing secret (Basic Information → App Credentials → Signing Secret), or {"signingSecret": "…"}');
  return text;
}
