// The alarm contract codec (docs/design/alarm-contract.md): what an alarm's description carries so that everything
// downstream (Aspect, nag pack, CLI, Lambda) knows its severity, runbook, first move and owner.
// Pure module: no CDK imports, because the Lambda handler bundles it.
import { SEVERITIES, Severity, parseSeverity } from './severity';
import { oneLine, shorten } from './text';

/** CloudWatch's limit on `AlarmDescription`. */
export const MAX_DESCRIPTION_LENGTH = 1024;

/** What to write into an alarm description. */
export interface AlarmContractProps {
  /** Free text for the human: what is happening and why it matters. @default - no summary */
  readonly summary?: string;
  /** How bad it is. */
  readonly severity: Severity;
  /** Where the procedure is (https URL). @default - no runbook (not allowed for pages) */
  readonly runbookUrl?: string;
  /** What to do first, in one line. @default - none */
  readonly firstMove?: string;
  /** What must never be done (the runbook's never-do warning), in one line: the `Never:` line. @default - none */
  readonly never?: string;
  /** The team that owns the alarm. @default - none */
  readonly owner?: string;
  /** A dashboard to look at. @default - none */
  readonly dashboardUrl?: string;
}

/** One contract line as it stands in a description. */
export interface ContractLine {
  /** 1-based line number in the description. */
  readonly line: number;
  /** The line as written (trimmed). */
  readonly text: string;
}

/** Two different values given for one contract key: the description is ambiguous. */
export interface ContractConflict {
  /** The key as the contract names it: `Severity`, `Runbook`, `First move`, `Never`, `Owner`, `Dashboard`. */
  readonly key: string;
  /** The first line that gave a value. */
  readonly first: ContractLine;
  /** A later line that gave a different value. */
  readonly second: ContractLine;
}

/** What was read back from an alarm description. Every field is optional: descriptions come from anywhere. */
export interface AlarmContract {
  /** The free-text part (every line that is not a contract line), trimmed. */
  readonly summary: string;
  /**
   * The severity, when the description gives a valid one. When two lines give different
   * severities (a conflict), the most severe of them: whoever judges the alarm errs towards paging.
   */
  readonly severity?: Severity;
  /** The raw severity as written (`Severity:` value, or the `SEV2` of a `SEV2: summary` first line), valid or not. */
  readonly severityText?: string;
  /** The `Runbook:` URL. */
  readonly runbookUrl?: string;
  /** The `First move:` line. */
  readonly firstMove?: string;
  /** The `Never:` line: what must never be done. */
  readonly never?: string;
  /** The `Owner:` line. */
  readonly owner?: string;
  /** The `Dashboard:` URL. */
  readonly dashboardUrl?: string;
  /** Keys given two different values, each naming both lines. @default - none */
  readonly conflicts?: ContractConflict[];
}

/** Thrown when the contract lines alone do not fit CloudWatch's 1024 characters. */
export class AlarmContractTooLongError extends Error {
  constructor(public readonly contractLength: number) {
    super(
      `The alarm contract needs ${contractLength} characters but an alarm description holds ` +
        `${MAX_DESCRIPTION_LENGTH}; shorten the first move, never-do warning, owner or URLs (the summary is already dropped).`,
    );
    this.name = 'AlarmContractTooLongError';
  }
}

type ContractKey = 'severity' | 'runbook' | 'firstMove' | 'never' | 'owner' | 'dashboard';

const KEY_NAMES: Record<ContractKey, string> = {
  severity: 'Severity',
  runbook: 'Runbook',
  firstMove: 'First move',
  never: 'Never',
  owner: 'Owner',
  dashboard: 'Dashboard',
};

// Contract lines are matched on the line as a person sees it (see `plain`), written plainly or in
// Markdown: `- Severity: SEV1`, `> Runbook: …`, `**Severity:** SEV1`, `` `Owner: payments` ``.
// The key and the colon only: the value is the rest of the line, trimmed by hand, so a line of
// any length is read in linear time (a lazy `(.*?)\s*$` backtracks quadratically on long runs of spaces).
const KEY = /^[ \t]*(?:[-*+>•][ \t]+){0,3}[*_`~]*(severity|runbook|first[ _-]?move|never|owner|dashboard)[*_`~]*[ \t]*:[*_`~]*/i;
// "SEV2: Payment webhooks are piling up", "[SEV2] …", "SEV2 - …", "**SEV2**: …" — the severity
// written first, as many teams do. Only the token: what may follow it is checked by hand (see
// `headline`), because adjacent `[ \t]*` runs backtrack quadratically over a run of spaces.
const HEAD = /^[ \t]*([*_]{0,2})([[(]?)(sev[ \t]*(?:-[ \t]*)?[1-4])([\])]?)([*_]{0,2})/i;

// Characters nobody sees: a contract line is read through them (a key pasted with a zero-width
// space or between bidirectional isolates, a colon typed full-width, a no-break space) rather than
// let a page pass unread.
// eslint-disable-next-line no-misleading-character-class -- single code points, the joiner among them, each dropped alone
const INVISIBLE = /[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0000-\u007f]/;
// Every line break a viewer shows as one.
const LINE_BREAK = /\r\n|[\r\n\v\f\u0085\u2028\u2029]/;

/** How a line is read: as a person reads it, compatibility forms folded and invisible characters gone. */
export type LineReading = (line: string) => string;

/** The line as a person reads it: compatibility forms folded (`：`, full-width letters, no-break spaces), invisible characters gone. */
function plain(line: string): string {
  return NOT_ASCII.test(line) ? line.normalize('NFKC').replace(INVISIBLE, '') : line;
}

/** A first line that starts with the severity: the token and the rest of the line, else undefined. */
function headline(line: string): { severity: string; rest: string } | undefined {
  const m = HEAD.exec(line);
  // Emphasis and brackets come in pairs (`**SEV1**`, `[SEV1]`); bare, a separator follows: a
  // colon, or a spaced `-`, `–`, `—` or `|` ("SEV1 - summary", not "SEV1-2"), or nothing.
  if (!m || m[1] !== m[5] || !m[2] !== !m[4]) return undefined;
  const after = line.slice(m[0].length);
  const sep = (m[2] ? /^[ \t]*:?/ : /^(?:[ \t]*(?::|$)|[ \t]+[-–—|](?![^ \t]))/).exec(after);
  return sep ? { severity: m[3], rest: after.slice(sep[0].length) } : undefined;
}

/** True for a line that would read as a contract line (a key line, or a severity-first line), escapes aside. */
function readsAsContract(line: string, read: LineReading = plain): boolean {
  const p = read(line).replace(/^[ \t\\]+/, '');
  return KEY.test(p) || headline(p) !== undefined;
}

// A summary line that would read as a contract line is written with a backslash in front (one more
// than it had), and read back without it: alarm text can never inject a runbook or a severity.
const ESCAPED = /^([ \t]*)\\/;

/** The summary as the renderer writes it: lines that would read as contract lines escaped. */
function escapeSummary(summary: string): string {
  return summary.split('\n').map((line) => (readsAsContract(line) ? line.replace(/^([ \t]*)/, '$1\\') : line)).join('\n');
}

/** An escaped summary line without its escape, or undefined when the line is not one. */
function unescapeLine(line: string, read: LineReading): string | undefined {
  if (!line.includes('\\')) return undefined; // the common case, without a regex
  const m = ESCAPED.exec(line);
  if (!m || !readsAsContract(line, read)) return undefined;
  return m[1] + line.slice(m[0].length);
}

/** `text` without the characters of `lead` at its start and of `tail` at its end (by hand: linear). */
function strip(text: string, lead: string, tail: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && lead.includes(text[a])) a++;
  while (b > a && tail.includes(text[b - 1])) b--;
  return text.slice(a, b);
}

/** A value as written, without the Markdown around it: `**SEV1**`, `` `SEV1` ``, `<https://…>`, `[text](https://…)`. */
function bareValue(key: ContractKey, value: string): string {
  if (key === 'severity') return strip(value, '*_`~"\'([{< \t', '*_`~"\')]}>. \t');
  const link = key === 'runbook' || key === 'dashboard' ? /^(?:<(.+)>|\[[^\]]*\]\((\S+)\))$/.exec(value) : null;
  return link ? (link[1] ?? link[2]).trim() : value;
}

// A severity followed by words: `SEV3 (business hours)`, `SEV3 - no page`.
const LEADING_SEVERITY = /^sev[ \t]*(?:-[ \t]*)?[1-4](?![0-9a-z])/i;

/** The severity a value gives (`SEV2`, `sev 2`, `**SEV-2**`, `SEV3 (business hours)`), else undefined. */
function readSeverity(value: string, read: LineReading = plain): Severity | undefined {
  const v = bareValue('severity', read(value));
  return parseSeverity(v) ?? parseSeverity(LEADING_SEVERITY.exec(v)?.[0]);
}

function keyOf(raw: string): ContractKey {
  const k = raw.toLowerCase().replace(/[ _\t-]/g, '');
  return k === 'firstmove' ? 'firstMove' : (k as ContractKey);
}

/** One line, no control characters: contract values must not break the line format. */
function contractValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = oneLine(value);
  return v === '' ? undefined : v;
}

/** The summary as it will be read back: line endings normalised, outer whitespace trimmed. */
export function normalizeSummary(summary: string | undefined): string {
  return (summary ?? '').split(LINE_BREAK).join('\n').trim();
}

/** The `Key: value` lines of a contract, in the canonical order. */
export function renderContractLines(props: AlarmContractProps): string[] {
  const lines = [`Severity: ${props.severity}`];
  const add = (key: string, value: string | undefined) => {
    const v = contractValue(value);
    if (v !== undefined) lines.push(`${key}: ${v}`);
  };
  add('Runbook', props.runbookUrl);
  add('First move', props.firstMove);
  add('Never', props.never);
  add('Owner', props.owner);
  add('Dashboard', props.dashboardUrl);
  return lines;
}

/**
 * Writes a contract into an alarm description: summary, blank line, `Key: value` lines.
 * When the whole does not fit 1024 characters the summary is shortened (with `…`) or dropped;
 * contract lines are never dropped. Throws {@link AlarmContractTooLongError} when they alone do not fit.
 */
export function renderAlarmContract(props: AlarmContractProps): string {
  const contract = renderContractLines(props).join('\n');
  if (contract.length > MAX_DESCRIPTION_LENGTH) throw new AlarmContractTooLongError(contract.length);
  const summary = escapeSummary(normalizeSummary(props.summary));
  if (summary === '') return contract;
  const room = MAX_DESCRIPTION_LENGTH - contract.length - 2;
  const fitted = shorten(summary, room).trimEnd();
  // A summary shortened to "…" alone says nothing; drop it instead.
  return fitted === '' || fitted === '…' ? contract : `${fitted}\n\n${contract}`;
}

/**
 * Reads a contract back from any alarm description: ours, cdk-monitoring-constructs'
 * (`Runbook: <url>` lines joined with ` \r\n`, with more text after them on composites), a first
 * line of the form `SEV2: <summary>`, or free text with no contract at all.
 *
 * Contract lines (`Key: value`, keys case-insensitive) count wherever they stand, blank lines
 * between them allowed; `\r\n` and `\n` both separate lines. A severity named inside a sentence
 * ("escalate to SEV1 if…") is not a severity. Two different values for one key are a conflict,
 * returned in `conflicts` naming both lines — never "first wins". Linear in the description's length.
 */
export function parseAlarmContract(description?: string): AlarmContract {
  return parseAlarmContractWith(description, plain);
}

/**
 * {@link parseAlarmContract} with another reading of lines: the synth gate also reads look-alike
 * letters as the letters they imitate (lib/alarm-rules/contract-reading.ts), which the Lambda
 * functions do not need to carry. Keys and severities are matched on the line as `read` gives it;
 * other values are taken as written.
 */
export function parseAlarmContractWith(description: string | undefined, read: LineReading): AlarmContract {
  // Descriptions come from anywhere (JavaScript callers, JSON): anything but a string reads as empty.
  const text = typeof description === 'string' ? description : '';
  const lines = text.split(LINE_BREAK);
  const found = new Map<ContractKey, ContractLine & { value: string }>();
  const conflicts: ContractConflict[] = [];
  const severities: string[] = [];
  const summary: string[] = [];
  const give = (key: ContractKey, written: string, line: number, raw: string) => {
    const value = bareValue(key, written);
    if (value === '') return;
    if (key === 'severity') severities.push(written);
    const entry = { line, text: raw.trim(), value };
    const earlier = found.get(key);
    if (!earlier) found.set(key, { ...entry, value: key === 'severity' ? written : value });
    else if (!sameValue(key, earlier.value, value, read)) {
      conflicts.push({ key: KEY_NAMES[key], first: { line: earlier.line, text: earlier.text }, second: { line, text: entry.text } });
    }
  };
  let firstTextLine = true;
  lines.forEach((raw, i) => {
    const escaped = unescapeLine(raw, read);
    if (escaped !== undefined) {
      firstTextLine = false;
      summary.push(escaped);
      return;
    }
    const line = read(raw);
    const key = KEY.exec(line);
    if (key) {
      // The value as written, after the first character that reads as the colon and the Markdown closing the key (not folded).
      let colon = -1;
      if (line !== raw) for (let c = 0; c < raw.length && colon < 0; c++) if (read(raw[c]) === ':') colon = c;
      const value = colon < 0 ? line.slice(key[0].length) : strip(raw.slice(colon + 1), '*_`~', '');
      give(keyOf(key[1]), value.trim(), i + 1, raw);
      return;
    }
    if (firstTextLine && line.trim() !== '') {
      firstTextLine = false;
      const head = headline(line);
      if (head) {
        give('severity', head.severity, i + 1, raw);
        summary.push(head.rest);
        return;
      }
    }
    summary.push(raw);
  });
  const valid = severities.map((v) => readSeverity(v, read)).filter((s): s is Severity => s !== undefined);
  const contract: AlarmContract = {
    summary: summary.join('\n').trim(),
    severity: valid.length > 0 ? SEVERITIES.find((s) => valid.includes(s)) : undefined,
    severityText: found.get('severity')?.value,
    runbookUrl: found.get('runbook')?.value,
    firstMove: found.get('firstMove')?.value,
    never: found.get('never')?.value,
    owner: found.get('owner')?.value,
    dashboardUrl: found.get('dashboard')?.value,
  };
  return conflicts.length > 0 ? { ...contract, conflicts } : contract;
}

/** Whether two values of a key say the same thing (`SEV2` and `sev 2` do; so do URLs whose scheme or host differ in case). */
function sameValue(key: ContractKey, a: string, b: string, read: LineReading): boolean {
  if (key === 'severity') {
    const [x, y] = [readSeverity(a, read), readSeverity(b, read)];
    return x !== undefined ? x === y : a === b;
  }
  if (key === 'runbook' || key === 'dashboard') return urlKey(a) === urlKey(b);
  return a === b;
}

/** A URL with its scheme and host in lower case (they are case-insensitive; the path is not). */
function urlKey(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url);
  return m ? m[1].toLowerCase() + url.slice(m[1].length) : url;
}

/** The codec as static methods, for jsii languages; `renderAlarmContract` / `parseAlarmContract` are aliases. */
export class AlarmContractCodec {
  /** Writes a contract into an alarm description (see {@link renderAlarmContract}). */
  public static render(props: AlarmContractProps): string {
    return renderAlarmContract(props);
  }

  /** Reads a contract back from any alarm description (see {@link parseAlarmContract}). */
  public static parse(description?: string): AlarmContract {
    return parseAlarmContract(description);
  }
}
