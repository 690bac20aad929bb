// Prints lint findings: readable text (coloured only on a terminal), JSON, or SARIF 2.1.0 for
// GitHub code scanning. Pure functions from a report to a string.
import * as path from 'path';
import { FindingLevel, RunbookFinding } from '../core/finding';
import { packageVersion } from '../core/package';

/** This package's version (`runbook-alarms --version`, the SARIF driver). */
export { packageVersion };

/** The alarm a finding is about, when it comes from the cloud assembly. */
export interface AlarmRef {
  /** The stack's display name, e.g. `Prod/Payments`. */
  readonly stack: string;
  readonly logicalId: string;
  /** The construct path (`aws:cdk:path`), when the assembly records it. */
  readonly constructPath?: string;
}

/** A finding as the CLI reports it: a runbook or template location, and the alarm if any. */
export interface CliFinding extends RunbookFinding {
  readonly alarm?: AlarmRef;
}

/** What the reports say about a rule. */
export interface RuleInfo {
  readonly id: string;
  readonly level: FindingLevel;
  /** One line: what the rule checks. */
  readonly description: string;
  /** Why it exists and how to fix a finding. */
  readonly help: string;
}

/** Everything one `lint` run found. */
export interface LintReport {
  readonly findings: CliFinding[];
  /** Every rule that ran, for SARIF's rule table. */
  readonly rules: RuleInfo[];
  /** How many runbook files were linted. */
  readonly runbooks: number;
  /** How many postmortems were linted (0: none, and the reports do not mention them). */
  readonly postmortems?: number;
  /** How many alarms were read from the assembly (undefined: no assembly). */
  readonly alarms?: number;
  /** The directory file paths are shown relative to. */
  readonly root: string;
}

/** The report formats of `--format`. */
export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** A path as shown: relative to the root with `/`, absolute when outside it. */
export function displayPath(file: string, root: string): string {
  const rel = path.relative(root, path.resolve(root, file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return path.resolve(root, file).split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}

export function countLevels(findings: CliFinding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.level === FindingLevel.ERROR).length;
  return { errors, warnings: findings.length - errors };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The summary line: counts of problems and of what was checked. */
export function summaryLine(report: LintReport): string {
  const { errors, warnings } = countLevels(report.findings);
  const parts = [...(report.runbooks > 0 || !report.postmortems ? [plural(report.runbooks, 'runbook')] : []), ...(report.postmortems ? [plural(report.postmortems, 'postmortem')] : []),
    ...(report.alarms === undefined ? [] : [plural(report.alarms, 'alarm')])];
  const checked = parts.length > 2 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts.join(' and ');
  if (errors + warnings === 0) return `no problems in ${checked}`;
  return `${plural(errors, 'error')} and ${plural(warnings, 'warning')} in ${checked}`;
}

/** `file:line:col level rule-id message. Fix: ...` lines and the summary line. */
export function formatText(report: LintReport, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines = report.findings.map((f) => {
    const level = f.level === FindingLevel.ERROR ? paint(31, 'error') : paint(33, 'warning');
    const alarmPath = f.alarm ? f.alarm.constructPath ?? `${f.alarm.stack}/${f.alarm.logicalId}` : undefined;
    const where = alarmPath && !f.message.includes(alarmPath) ? ` [${alarmPath}]` : '';
    return `${displayPath(f.file, report.root)}:${f.line}:${f.column} ${level} ${paint(2, f.ruleId)} ${f.message}${where}. Fix: ${f.fix}`;
  });
  const { errors } = countLevels(report.findings);
  lines.push(paint(errors > 0 ? 31 : report.findings.length > 0 ? 33 : 32, summaryLine(report)));
  return lines.join('\n') + '\n';
}

/** A stable JSON document: summary counts, then the findings. */
export function formatJson(report: LintReport): string {
  const { errors, warnings } = countLevels(report.findings);
  return JSON.stringify({
    summary: { errors, warnings, runbooks: report.runbooks, ...(report.postmortems ? { postmortems: report.postmortems } : {}), ...(report.alarms === undefined ? {} : { alarms: report.alarms }) },
    findings: report.findings.map((f) => ({ ...f, file: displayPath(f.file, report.root) })),
  }, null, 2) + '\n';
}

/** A path under the root is relative to %SRCROOT% (what code scanning needs); others are absolute file URIs. */
function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  const shown = displayPath(file, root);
  return shown.startsWith('/') ? { uri: 'file://' + encodeURI(shown) } : { uri: encodeURI(shown), uriBaseId: '%SRCROOT%' };
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, the rule table with help text, and
 * results located by a path relative to %SRCROOT% (the root), line and column.
 */
export function formatSarif(report: LintReport): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const rules = report.rules.map((r) => ({
    id: r.id,
    name: r.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: r.description },
    fullDescription: { text: r.description },
    help: { text: r.help, markdown: r.help },
    defaultConfiguration: { level: r.level === FindingLevel.ERROR ? 'error' : 'warning' },
  }));
  const results = report.findings.map((f) => ({
    ruleId: f.ruleId,
    ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
    level: f.level === FindingLevel.ERROR ? 'error' : 'warning',
    message: { text: `${f.message}. Fix: ${f.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file, report.root),
          region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
        },
        ...(f.alarm
          ? { logicalLocations: [{ fullyQualifiedName: f.alarm.constructPath ?? `${f.alarm.stack}/${f.alarm.logicalId}`, kind: 'resource' }] }
          : {}),
      },
    ],
  }));
  const rootUri = 'file://' + encodeURI(path.resolve(report.root).split(path.sep).join('/').replace(/\/?$/, '/'));
  return JSON.stringify({
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'runbook-alarms',
            version: packageVersion(),
            informationUri: 'https://www.npmjs.com/package/cdk-runbook-alarms',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        results,
      },
    ],
  }, null, 2) + '\n';
}

/** What a run that could not lint reports: a usage error (exit 2) or unreadable input (exit 2). */
interface RunError {
  readonly name: string;
  readonly message: string;
}

/** A run that failed before it could lint, as JSON: `{"error": {"kind": "usage"|"input", "message"}}`, exit code 2. */
export function formatJsonError(e: RunError): string {
  return JSON.stringify({ error: { kind: e.name === 'UsageError' ? 'usage' : 'input', message: e.message, exitCode: 2 } }, null, 2) + '\n';
}

/** A run that failed before it could lint, as SARIF: one run whose invocation did not succeed, no results. */
export function formatSarifError(e: RunError): string {
  return JSON.stringify({
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'runbook-alarms', version: packageVersion(), informationUri: 'https://www.npmjs.com/package/cdk-runbook-alarms', rules: [] } },
        invocations: [{ executionSuccessful: false, exitCode: 2, toolExecutionNotifications: [{ level: 'error', message: { text: e.message } }] }],
        results: [],
      },
    ],
  }, null, 2) + '\n';
}
