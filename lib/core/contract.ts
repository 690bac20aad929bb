// The alarm contract codec (SPEC §3): what an alarm's description carries so that everything
// downstream (Aspect, nag pack, CLI, Lambda) knows its severity, runbook, first move and owner.
// Pure module: no CDK imports, because the Lambda handler bundles it.
import { Severity, SeverityPolicy } from './severity';
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
  /** The key as the contract names it: `Severity`, `Runbook`, `First move`, `Owner`, `Dashboard`. */
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
        `${MAX_DESCRIPTION_LENGTH}; shorten the first move, owner or URLs (the summary is already dropped).`,
    );
    this.name = 'AlarmContractTooLongError';
  }
}

// `Documentation:` is cdk-monitoring-constructs' line beside `Runbook:`: a contract line, not summary text.
type ContractKey = 'severity' | 'runbook' | 'firstMove' | 'owner' | 'dashboard' | 'documentation';

const KEY_NAMES: Record<ContractKey, string> = {
  severity: 'Severity',
  runbook: 'Runbook',
  firstMove: 'First move',
  owner: 'Owner',
  dashboard: 'Dashboard',
  documentation: 'Documentation',
};

// The key and the colon only: the value is the rest of the line, trimmed by hand, so a line of
// any length is read in linear time (a lazy `(.*?)\s*$` backtracks quadratically on long runs of spaces).
const KEY = /^[ \t]*(severity|runbook|first[ _-]?move|owner|dashboard|documentation)[ \t]*:/i;
// "SEV2: Payment webhooks are piling up" — the severity written first, as many teams do.
// `(?:-[ \t]*)?` rather than `-?[ \t]*`: two adjacent `[ \t]*` backtrack quadratically over a run of
// spaces (`sev` + 40,000 spaces + `x` took 1 s).
const SEVERITY_FIRST = /^[ \t]*(sev[ \t]*(?:-[ \t]*)?[1-4])[ \t]*:/i;

// A summary line that would read as a contract line is written with a backslash in front (one more
// than it had), and read back without it: alarm text can never inject a runbook or a severity.
const ESCAPED = /^([ \t]*)\\(\\*)/;
const NEEDS_ESCAPE = /^[ \t]*\\*(?:(severity|runbook|first[ _-]?move|owner|dashboard|documentation)[ \t]*:|sev[ \t]*(?:-[ \t]*)?[1-4][ \t]*:)/i;

/** The summary as the renderer writes it: lines that would read as contract lines escaped. */
function escapeSummary(summary: string): string {
  return summary.split('\n').map((line) => (NEEDS_ESCAPE.test(line) ? line.replace(/^([ \t]*)/, '$1\\') : line)).join('\n');
}

/** An escaped summary line without its escape, or undefined when the line is not one. */
function unescapeLine(line: string): string | undefined {
  if (!line.includes('\\')) return undefined; // the common case, without a regex
  const m = ESCAPED.exec(line);
  if (!m || !NEEDS_ESCAPE.test(line)) return undefined;
  return m[1] + m[2] + line.slice(m[0].length);
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
  return (summary ?? '').replace(/\r\n?/g, '\n').trim();
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
  // Descriptions come from anywhere (JavaScript callers, JSON): anything but a string reads as empty.
  const text = typeof description === 'string' ? description : '';
  const lines = text.split(/\r\n|\r|\n/);
  const found = new Map<ContractKey, ContractLine & { value: string }>();
  const conflicts: ContractConflict[] = [];
  const summary: string[] = [];
  const give = (key: ContractKey, value: string, line: number, raw: string) => {
    if (value === '') return;
    const entry = { line, text: raw.trim(), value };
    const earlier = found.get(key);
    if (!earlier) found.set(key, entry);
    else if (!sameValue(key, earlier.value, value)) {
      conflicts.push({ key: KEY_NAMES[key], first: { line: earlier.line, text: earlier.text }, second: { line, text: entry.text } });
    }
  };
  let firstTextLine = true;
  lines.forEach((raw, i) => {
    const escaped = unescapeLine(raw);
    if (escaped !== undefined) {
      firstTextLine = false;
      summary.push(escaped);
      return;
    }
    const key = KEY.exec(raw);
    if (key) {
      give(keyOf(key[1]), raw.slice(key[0].length).trim(), i + 1, raw);
      return;
    }
    if (firstTextLine && raw.trim() !== '') {
      firstTextLine = false;
      const sev = SEVERITY_FIRST.exec(raw);
      if (sev) {
        give('severity', sev[1], i + 1, raw);
        summary.push(raw.slice(sev[0].length));
        return;
      }
    }
    summary.push(raw);
  });
  const severityText = found.get('severity')?.value;
  const severities = [severityText, ...conflicts.filter((c) => c.key === KEY_NAMES.severity).map((c) => severityValue(c.second.text))]
    .map((s) => SeverityPolicy.parse(s))
    .filter((s): s is Severity => s !== undefined);
  found.delete('documentation');
  const contract: AlarmContract = {
    summary: summary.join('\n').trim(),
    severity: severities.length > 0 ? SeverityPolicy.ALL.find((s) => severities.includes(s)) : undefined,
    severityText,
    runbookUrl: found.get('runbook')?.value,
    firstMove: found.get('firstMove')?.value,
    owner: found.get('owner')?.value,
    dashboardUrl: found.get('dashboard')?.value,
  };
  return conflicts.length > 0 ? { ...contract, conflicts } : contract;
}

/** The severity a contract line gives (`Severity: SEV1` or `SEV1: summary`). */
function severityValue(line: string): string {
  const key = KEY.exec(line);
  if (key) return line.slice(key[0].length).trim();
  return SEVERITY_FIRST.exec(line)?.[1] ?? line;
}

/** Whether two values of a key say the same thing (`SEV2` and `sev 2` do). */
function sameValue(key: ContractKey, a: string, b: string): boolean {
  if (key === 'severity') {
    const [x, y] = [SeverityPolicy.parse(a), SeverityPolicy.parse(b)];
    return x !== undefined ? x === y : a === b;
  }
  return a === b;
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
