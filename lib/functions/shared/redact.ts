// Keeps secrets out of logs and errors, whatever a response body or an error message quotes: the
// secrets the function was given (whole, and every piece of what is secret in them), Slack
// credentials of any workspace (token shapes, webhook URLs) and authorization header values. It
// matches credentials, never words: the structure around a secret (a JSON key, a URL's scheme and
// host, `services` in a webhook path) is no secret, and a scheme followed by prose ("Basic
// Information") is no header. One redactor per container; every function logs through it.

const REDACTED = '[redacted]';

/** Pieces of a secret this long or longer are redacted wherever they appear, even cut short. */
export const SECRET_PIECE = 8;

/** Longest string kept in a log field (after redaction). */
export const MAX_LOGGED_STRING = 1000;

// Credentials of any workspace, known to this function or not.
const CREDENTIALS: readonly RegExp[] = [
  /\bxox[a-z]-[A-Za-z0-9-]+/g, // bot, user and legacy tokens: xoxb-, xoxp-, xoxe-, …
  /\bxapp-[A-Za-z0-9-]+/g, // app-level tokens
  /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>]*/gi, // any incoming-webhook or workflow URL
  /\/(?:services|triggers|workflows)\/T[A-Za-z0-9]+\/[^\s"'<>]+/g, // such a path quoted without its host
];

// An authorization value: after a scheme (`Authorization: Bearer …`, `Basic …`), or after the header's
// name (`"authorization":"…"`). Replaced only when what follows reads as a credential (credentialLike).
const AUTHORIZATION = /(\b(?:Bearer|Basic)\s+|\bauthorization["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token)\s+)?)([A-Za-z0-9._~+/=-]+)/gi;

/** A word of prose (`Information`, `re-install`, `TOKEN`), possibly followed by punctuation: never a credential. */
const WORD = /^(?:[A-Z]?[a-z]+(?:-[a-z]+)*|[A-Z]+)[.,;:!?]*$/;

/** Long enough, and not a word: a token, a base64 user:password, a hex key. */
export function credentialLike(value: string): boolean {
  return value.length >= SECRET_PIECE && !WORD.test(value);
}

/** The string values of a JSON object (a secret stored as `{"botToken": "xoxb-…"}`); none for anything else. */
function jsonStrings(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return Object.values(parsed).filter((v): v is string => typeof v === 'string');
  } catch {
    // not JSON
  }
  return undefined;
}

/**
 * Redacts the secrets it has been told about, and Slack credentials it has not. A secret is
 * removed whole and by every piece of {@link SECRET_PIECE} characters, so a body cut in the middle
 * of a token, or quoting part of a path, still shows none of it.
 */
export class Redactor {
  private readonly wholes = new Set<string>();
  private readonly pieces = new Set<string>();

  /**
   * A secret as stored: a token, a URL (its secret parts: addUrl), or JSON holding them (each value
   * added as what it is). The whole is redacted wherever it appears, and so is every piece of
   * {@link SECRET_PIECE} characters of its secret parts; the JSON around them is no secret.
   */
  addSecret(secret: string): this {
    if (typeof secret !== 'string' || secret.trim().length === 0) return this;
    this.wholes.add(secret);
    const values = jsonStrings(secret);
    if (values) {
      for (const v of values) this.addSecret(v.trim());
      return this;
    }
    if (/^https?:\/\//i.test(secret.trim())) return this.addUrl(secret.trim());
    this.addPart(secret);
    return this;
  }

  /** A secret string, whole and by every piece. */
  private addPart(part: string): void {
    this.wholes.add(part);
    for (let i = 0; i + SECRET_PIECE <= part.length; i++) this.pieces.add(part.slice(i, i + SECRET_PIECE));
  }

  /**
   * A webhook URL: the URL itself, its path (and query), and every secret part of them (ids and
   * tokens in the path and query, a user and password); not its scheme and host, nor the words of
   * the path (`services`).
   */
  addUrl(url: string): this {
    if (typeof url !== 'string' || url.length === 0) return this;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return jsonStrings(url) ? this.addSecret(url) : (this.addPart(url), this);
    }
    this.wholes.add(url);
    const rest = `${parsed.pathname}${parsed.search}`;
    if (rest.length > 1) this.wholes.add(rest);
    // Parts shorter than a piece (`T` in a test URL) are redacted only within the path.
    for (const part of [parsed.username, parsed.password, ...rest.split(/[/?&=]/)]) {
      if (credentialLike(part)) this.addPart(part);
    }
    return this;
  }

  /** The text with every known secret, any piece of one and any Slack credential replaced by `[redacted]`. */
  redact(text: string): string {
    let out = String(text);
    // Known secrets first and longest first, so a URL is not half-replaced by its own path.
    for (const whole of [...this.wholes].sort((a, b) => b.length - a.length)) {
      if (whole.length >= 4 && out.includes(whole)) out = out.split(whole).join(REDACTED);
    }
    for (const pattern of CREDENTIALS) out = out.replace(pattern, REDACTED);
    out = out.replace(AUTHORIZATION, (match, before: string, value: string) => (credentialLike(value) ? `${before}${REDACTED}` : match));
    return this.pieces.size > 0 ? this.redactPieces(out) : out;
  }

  private redactPieces(text: string): string {
    // Mark every unit covered by a known piece, then replace each marked run once.
    let runStart = -1;
    let runEnd = -1;
    let out = '';
    let copied = 0;
    for (let i = 0; i + SECRET_PIECE <= text.length; i++) {
      if (!this.pieces.has(text.slice(i, i + SECRET_PIECE))) continue;
      if (runStart >= 0 && i <= runEnd) {
        runEnd = i + SECRET_PIECE;
        continue;
      }
      if (runStart >= 0) {
        out += text.slice(copied, runStart) + REDACTED;
        copied = runEnd;
      }
      runStart = i;
      runEnd = i + SECRET_PIECE;
    }
    if (runStart < 0) return text;
    return out + text.slice(copied, runStart) + REDACTED + text.slice(runEnd);
  }

  /** A log entry or any value, redacted all through (strings also cut to {@link MAX_LOGGED_STRING}). */
  redactValue<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') {
      const clean = this.redact(value);
      return clean.length > MAX_LOGGED_STRING ? `${clean.slice(0, MAX_LOGGED_STRING)}… (${clean.length} characters)` : clean;
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth >= 6) return '[nested too deep to log]';
    if (value instanceof Error) return this.walk(`${value.name}: ${value.message}`, depth + 1);
    if (Array.isArray(value)) return value.slice(0, 50).map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.walk(v, depth + 1);
    return out;
  }
}
