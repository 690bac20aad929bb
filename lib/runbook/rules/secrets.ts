// Runbook-Secret: runbooks are published by URL and read by many; a credential in one is a leak.
// Messages name the kind of secret and where it is, never the secret itself.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { RunbookRule, finding } from './rule';

interface SecretPattern {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Returns false for matches that are references or placeholders, not secrets. */
  readonly accept?: (m: RegExpMatchArray) => boolean;
}

// A value that points at a secret instead of holding one: $VAR, ${VAR}, {{resolve:...}}, <placeholder>, ****.
const REFERENCE = /^(\$|\{\{|<|%|\*{3,}|x{4,}|\.\.\.)|secretsmanager|ssm:|arn:aws/i;
// A made-up value of the shape of a secret, as documentation writes them: AWS's own examples
// (AKIAIOSFODNN7EXAMPLE), xoxb-REDACTED, Slack's hooks.slack.com/services/T000/B000/XXXXXXXX.
const PLACEHOLDER = /example|redacted|placeholder|dummy|changeme|your[-_]?(token|key|secret|password)|x{4,}|\*{3,}|\.{3}|<[^>]*>|\$\{?[A-Za-z_]/i;
const notPlaceholder = (m: RegExpMatchArray) => !PLACEHOLDER.test(m[0]);

/** A password-like value, not a word of prose ("password: rotate it in Secrets Manager"). */
function acceptAssignment(m: RegExpMatchArray): boolean {
  const value = m[1];
  if (REFERENCE.test(value) || PLACEHOLDER.test(value)) return false;
  const quoted = /["']$/.test(m[0].slice(0, m[0].length - value.length));
  if (quoted || /[^A-Za-z]/.test(value) || /[A-Z]/.test(value.slice(1))) return true;
  // A lowercase word followed by more words is a sentence; alone at the end of the line, a password.
  const after = (m.input ?? '').slice((m.index ?? 0) + m[0].length);
  return !/^[ \t]+[A-Za-z]/.test(after);
}

const ASSIGNMENT = 'password assignment';

// Patterns stay within one line ([ \t], not \s), so they can run over the whole file at once.
// Assignments match after `_` too: DB_PASSWORD=..., mysql_root_password: ...
const SECRET_PATTERNS: SecretPattern[] = [
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, accept: notPlaceholder },
  { kind: 'AWS secret access key', pattern: /aws_?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi, accept: notPlaceholder },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, accept: notPlaceholder },
  { kind: 'Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, accept: notPlaceholder },
  { kind: 'Slack app token', pattern: /\bxapp-\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]{16,}/g, accept: notPlaceholder },
  { kind: 'Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{16,}/g, accept: notPlaceholder },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})/g, accept: notPlaceholder },
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
  {
    // scheme://user:password@host (a database URL, a basic-auth link); the user alone is no secret.
    kind: 'password in a URL',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'`<>]+:([^\s/?#@"'`<>]+)@[^\s/?#@"'`<>]/gi,
    accept: (m) => !REFERENCE.test(m[1]) && !PLACEHOLDER.test(m[1]) && !/^(password|pass|pwd|secret)$/i.test(m[1]),
  },
  {
    kind: ASSIGNMENT,
    pattern: /(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|api[_-]?key|auth[_-]?token|access[_-]?token|client[_-]?secret)["']?[ \t]*[:=][ \t]*["']?([^\s"'`,;]{6,})/gi,
    accept: acceptAssignment,
  },
  {
    // Environment variables: PGPASSWORD=..., MYSQL_PWD=..., VAULT_TOKEN=... (uppercase, so prose never matches).
    kind: ASSIGNMENT,
    pattern: /(?<![A-Za-z0-9_])[A-Z][A-Z0-9]*(?:PASSWORD|PASSWD|PWD|TOKEN)[ \t]*=[ \t]*["']?([^\s"'`,;]{6,})/g,
    accept: acceptAssignment,
  },
];

// Every pattern above needs one of these; most runbooks contain none, so a few scans settle it
// (kept apart: one case-insensitive alternation of them all is twice as slow on a clean file).
const MAY_HOLD_SECRET = /AKIA|ASIA|ABIA|ACCA|A3T|AIza|xox|hooks\.slack|PRIVATE KEY|passw|pwd|secret|api[_-]?key|token/i;
const MAY_HOLD_TOKEN = /xapp-|gh[pousr]_|github_pat_|eyJ/;
const MAY_HOLD_URL_PASSWORD = /\/\/[^\s/?#@:]+:[^\s/?#@]+@/;

function mayHoldSecret(text: string): boolean {
  return MAY_HOLD_SECRET.test(text) || MAY_HOLD_TOKEN.test(text) || (text.includes('@') && MAY_HOLD_URL_PASSWORD.test(text));
}

/** Finds secrets in text (one line or a whole file). Lines and columns are 1-based. */
export function findSecretsInText(text: string): Array<{ kind: string; line: number; column: number }> {
  if (!mayHoldSecret(text)) return [];
  let found: Array<{ kind: string; index: number; end: number }> = [];
  for (const p of SECRET_PATTERNS) {
    for (const m of text.matchAll(p.pattern)) {
      if (!p.accept || p.accept(m)) found.push({ kind: p.kind, index: m.index, end: m.index + m[0].length });
    }
  }
  if (found.length === 0) return [];
  // One secret, one finding: `SLACK_BOT_TOKEN=xoxb-...` is a Slack token, not also an assignment.
  found = found.filter((f) => f.kind !== ASSIGNMENT || !found.some((o) => o.kind !== ASSIGNMENT && o.index >= f.index && o.index < f.end));
  found = found.filter((f, i) => !found.some((o, j) => j < i && o.kind === f.kind && o.index === f.index));
  found.sort((a, b) => a.index - b.index);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return found.map((f) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= f.index) lo = mid;
      else hi = mid - 1;
    }
    return { kind: f.kind, line: lo + 1, column: f.index - lineStarts[lo] + 1 };
  });
}

export const secretsRule: RunbookRule = {
  id: 'Runbook-Secret',
  level: FindingLevel.ERROR,
  description: 'no secrets: cloud access keys, Slack tokens and webhook URLs, private keys, password assignments',
  help: 'Runbooks are published by URL and read by many. Remove the credential, rotate it (it is in git history), and point to where it is kept, e.g. `aws secretsmanager get-secret-value --secret-id <name>`.',
  check(doc) {
    const findings: RunbookFinding[] = [];
    // doc.text has \n line endings only, so line numbers in it are file lines.
    for (const s of findSecretsInText(doc.text)) {
      findings.push(finding(this, doc, s.line, s.column, `${/^[aeiou]/i.test(s.kind) ? 'an' : 'a'} ${s.kind} is written in the runbook`,
        'remove it, rotate it (it is in git history now), and point to where it is kept, e.g. ' +
          '`aws secretsmanager get-secret-value --secret-id <name>`'));
    }
    return findings;
  },
};
