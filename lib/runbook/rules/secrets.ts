// Runbook-Secret: runbooks are published by URL and read by many; a credential in one is a leak.
// Messages name the kind of secret and where it is, never the secret itself.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { RunbookRule, finding } from './rule';

interface SecretPattern {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Returns false for matches that are references, not secrets. */
  readonly accept?: (m: RegExpMatchArray) => boolean;
}

// A value that points at a secret instead of holding one: $VAR, ${VAR}, {{resolve:...}}, <placeholder>, ****.
const REFERENCE = /^(\$|\{\{|<|%|\*{3,}|x{4,}|\.\.\.)|secretsmanager|ssm:|arn:aws/i;

// Patterns stay within one line ([ \t], not \s), so they can run over the whole file at once.
// Assignments match after `_` too: DB_PASSWORD=..., mysql_root_password: ...
const SECRET_PATTERNS: SecretPattern[] = [
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g },
  { kind: 'AWS secret access key', pattern: /aws_?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g },
  { kind: 'Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{16,}/g },
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  {
    kind: 'password assignment',
    pattern: /(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|api[_-]?key|auth[_-]?token|access[_-]?token|client[_-]?secret)["']?[ \t]*[:=][ \t]*["']?([^\s"'`,;]{6,})/gi,
    accept: (m) => !REFERENCE.test(m[1]),
  },
];

// Every pattern above needs one of these; most runbooks contain none, so one scan settles it.
const MAY_HOLD_SECRET = /AKIA|ASIA|ABIA|ACCA|A3T|AIza|xox|hooks\.slack|PRIVATE KEY|passw|pwd|secret|api[_-]?key|token/i;

/** Finds secrets in text (one line or a whole file). Lines and columns are 1-based. */
export function findSecretsInText(text: string): Array<{ kind: string; line: number; column: number }> {
  if (!MAY_HOLD_SECRET.test(text)) return [];
  const found: Array<{ kind: string; index: number }> = [];
  for (const p of SECRET_PATTERNS) {
    for (const m of text.matchAll(p.pattern)) {
      if (!p.accept || p.accept(m)) found.push({ kind: p.kind, index: m.index });
    }
  }
  if (found.length === 0) return [];
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
