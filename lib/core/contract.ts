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

/** What was read back from an alarm description. Every field is optional: descriptions come from anywhere. */
export interface AlarmContract {
  /** The free-text part (everything before the contract lines), trimmed. */
  readonly summary: string;
  /** The severity, when the `Severity:` line holds a valid one. */
  readonly severity?: Severity;
  /** The raw `Severity:` value as written, valid or not. */
  readonly severityText?: string;
  /** The `Runbook:` URL. */
  readonly runbookUrl?: string;
  /** The `First move:` line. */
  readonly firstMove?: string;
  /** The `Owner:` line. */
  readonly owner?: string;
  /** The `Dashboard:` URL. */
  readonly dashboardUrl?: string;
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

type ContractKey = 'severity' | 'runbook' | 'firstMove' | 'owner' | 'dashboard' | 'documentation';

const KEY_LINE = /^[ \t]*(severity|runbook|first[ _-]?move|owner|dashboard|documentation)[ \t]*:[ \t]*(.*?)\s*$/i;

function keyOf(raw: string): ContractKey {
  const k = raw.toLowerCase().replace(/[ _-]/g, '');
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
  const summary = normalizeSummary(props.summary);
  if (summary === '') return contract;
  const room = MAX_DESCRIPTION_LENGTH - contract.length - 2;
  const fitted = shorten(summary, room).trimEnd();
  // A summary shortened to "…" alone says nothing; drop it instead.
  return fitted === '' || fitted === '…' ? contract : `${fitted}\n\n${contract}`;
}

/**
 * Reads a contract back from any alarm description: ours, cdk-monitoring-constructs'
 * (`Runbook: <url>` lines joined with ` \r\n`), or free text with no contract at all.
 * Keys are case-insensitive; `\r\n` and `\n` both separate lines.
 */
export function parseAlarmContract(description?: string): AlarmContract {
  // Descriptions come from anywhere (JavaScript callers, JSON): anything but a string reads as empty.
  const text = typeof description === 'string' ? description : '';
  const lines = text.split(/\r\n|\r|\n/);
  // The contract is the trailing run of key lines; everything above it is the summary.
  let start = lines.length;
  while (start > 0 && lines[start - 1].trim() === '') start--;
  const end = start;
  while (start > 0 && KEY_LINE.test(lines[start - 1])) start--;
  const fields = new Map<ContractKey, string>();
  for (const line of lines.slice(start, end)) {
    const m = KEY_LINE.exec(line)!;
    const key = keyOf(m[1]);
    if (!fields.has(key) && m[2] !== '') fields.set(key, m[2]);
  }
  if (!fields.has('severity') && !fields.has('runbook')) {
    // Not written by us: other tools put `Runbook: <url>` anywhere (cdk-monitoring-constructs
    // appends more text after it on composite alarms), so take the first one found.
    for (const line of lines) {
      const m = KEY_LINE.exec(line);
      if (m && keyOf(m[1]) === 'runbook' && m[2] !== '') {
        fields.set('runbook', m[2]);
        break;
      }
    }
  }
  const summary = lines.slice(0, start).join('\n').trim();
  const severityText = fields.get('severity');
  return {
    summary,
    severity: SeverityPolicy.parse(severityText),
    severityText,
    runbookUrl: fields.get('runbook'),
    firstMove: fields.get('firstMove'),
    owner: fields.get('owner'),
    dashboardUrl: fields.get('dashboard'),
  };
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
