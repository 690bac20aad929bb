// Runbook: where an alarm's procedure lives. A file runbook is parsed and linted when it is
// loaded, so a broken runbook fails synth with file:line; its URL is a base URL + its path.
import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RUNBOOK_BASE_URL_CONTEXT } from '../core/names';
import { FindingLevel, RunbookFinding } from '../core/finding';
import { formatFinding, lintRunbook, unreadableTextFinding } from '../runbook/lint';
import { ParsedRunbook, RunbookTextError, readRunbook } from '../runbook/parser';
import { resolveNow } from '../core/now';
import { shippedRunbookCommand } from '../runbook/shipped';
import { Severity } from '../core/severity';
import { runbookUrlFor } from '../runbook/location';

export { RUNBOOK_BASE_URL_CONTEXT } from '../core/names';

/** Options of {@link Runbook.fromFile}. */
export interface RunbookFileOptions {
  /**
   * The URL the project root is published under, e.g. `https://github.com/acme/ops/blob/main`.
   * @default - the CDK context value `cdk-runbook-alarms:runbookBaseUrl`
   */
  readonly baseUrl?: string;
  /**
   * The directory the runbook's URL path is taken relative to.
   * @default - the current working directory (where `cdk.json` is, under the `cdk` CLI)
   */
  readonly projectRoot?: string;
  /**
   * Overrides the first move read from the runbook.
   * @default - the Mitigate checklist item labelled `First move:`, else its first step (a warning never is)
   */
  readonly firstMove?: string;
  /** Overrides the never-do warning read from the runbook. @default - the first warning under Mitigate (`⚠️ …`, `Never …`, `Do not …`) */
  readonly never?: string;
}

/** Options of {@link Runbook.fromUrl}. */
export interface RunbookUrlOptions {
  /** What to do first. @default - none */
  readonly firstMove?: string;
  /** What must never be done (travels as the `Never:` line). @default - none */
  readonly never?: string;
  /** The team that owns the procedure. @default - none */
  readonly owner?: string;
  /** The severity the runbook is written for, to cross-check the alarm's. @default - not checked */
  readonly severity?: Severity;
}

/** A runbook as an alarm sees it once bound: a URL and what the runbook says. */
export interface RunbookBinding {
  /** The https URL of the procedure. */
  readonly url: string;
  /** What to do first. */
  readonly firstMove?: string;
  /** What must never be done: the runbook's never-do warning. */
  readonly never?: string;
  /** The team that owns the procedure. */
  readonly owner?: string;
  /** The severity the runbook is written for. */
  readonly severity?: Severity;
  /** The local file, for file runbooks. */
  readonly file?: string;
  /** Problems that do not block synth (e.g. a review date passed), for the alarm to report. */
  readonly warnings?: string[];
}

/** Thrown when a runbook file is not ready to be linked from a page. */
export class RunbookError extends Error {
  constructor(message: string, public readonly findings: RunbookFinding[] = []) {
    super(message);
    this.name = 'RunbookError';
  }
}

function checkHttpsUrl(url: string, what: string): void {
  if (Token.isUnresolved(url)) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RunbookError(`${what} "${url}" is not a URL; use an https:// URL`);
  }
  if (parsed.protocol !== 'https:') {
    throw new RunbookError(`${what} "${url}" must use https:// (on-call engineers open it from Slack and phones)`);
  }
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Where an alarm's procedure lives. */
export abstract class Runbook {
  /**
   * A runbook file of the docs/design/runbook-format.md template in this repository. The file is read and linted now:
   * a runbook with errors throws a {@link RunbookError} listing each `file:line` and its fix.
   * A runbook past its review date only warns at synth (`runbook-alarms lint` fails on it), so an
   * urgent deploy is never blocked by a calendar.
   */
  public static fromFile(file: string, options: RunbookFileOptions = {}): Runbook {
    if (typeof file !== 'string' || file.trim() === '') throw new Error(`Runbook.fromFile needs the runbook's path, e.g. Runbook.fromFile('runbooks/payment-webhook-backlog.md') (got ${JSON.stringify(file)})`);
    return new FileRunbook(file, options);
  }

  /** A runbook kept elsewhere (a wiki, another repository), by its https URL. */
  public static fromUrl(url: string, options: RunbookUrlOptions = {}): Runbook {
    checkHttpsUrl(url, 'Runbook URL');
    return new UrlRunbook(url, options);
  }

  /** What to do first, when the runbook says. */
  public abstract readonly firstMove?: string;
  /** What must never be done, when the runbook says. */
  public abstract readonly never?: string;
  /** The owning team, when the runbook says. */
  public abstract readonly owner?: string;
  /** The severity the runbook is written for, when it says. */
  public abstract readonly severity?: Severity;

  /** Resolves the runbook's URL in the context of the alarm that links it. */
  public abstract bind(scope: IConstruct): RunbookBinding;
}

class UrlRunbook extends Runbook {
  public readonly firstMove?: string;
  public readonly never?: string;
  public readonly owner?: string;
  public readonly severity?: Severity;

  constructor(private readonly url: string, options: RunbookUrlOptions) {
    super();
    this.firstMove = options.firstMove;
    this.never = options.never;
    this.owner = options.owner;
    this.severity = options.severity;
  }

  public bind(): RunbookBinding {
    return { url: this.url, firstMove: this.firstMove, never: this.never, owner: this.owner, severity: this.severity };
  }
}

class FileRunbook extends Runbook {
  public readonly firstMove?: string;
  public readonly never?: string;
  public readonly owner?: string;
  public readonly severity?: Severity;
  private readonly absolutePath: string;
  /** The file the lint read, symbolic links resolved. */
  private readonly realPath: string;
  private readonly warnings: RunbookFinding[];

  constructor(private readonly file: string, private readonly options: RunbookFileOptions) {
    super();
    this.absolutePath = path.resolve(options.projectRoot ?? process.cwd(), file);
    if (!fs.existsSync(this.absolutePath)) {
      const shipped = shippedRunbookCommand(file);
      throw new RunbookError(`Runbook file ${file} does not exist (looked at ${this.absolutePath}); ` +
        (shipped ? `this package ships it: run \`${shipped}\` to write it there, then adapt it to your team` : 'create it with `runbook-alarms new <name>` or fix the path'));
    }
    if (!fs.statSync(this.absolutePath).isFile()) {
      throw new RunbookError(`Runbook file ${file} is a directory (${this.absolutePath}); name the runbook's .md file`);
    }
    let doc: ParsedRunbook;
    try {
      doc = readRunbook(this.absolutePath);
    } catch (e) {
      if (!(e instanceof RunbookTextError)) throw e;
      const f = { ...unreadableTextFinding(e), file };
      throw new RunbookError(`Runbook ${file} is not ready to be linked from an alarm (1 problem):\n  ${formatFinding(f)}`, [f]);
    }
    this.realPath = fs.realpathSync(this.absolutePath);
    // Lint the file where it is (relative links resolve from it, not from the cwd); show the path as given.
    // "Today" is resolved here, at the front door: RUNBOOK_ALARMS_NOW when set, else the clock.
    const findings = lintRunbook(doc, { now: resolveNow() }).map((f) => ({ ...f, file }));
    // Staleness is about the calendar, not the procedure: warn at synth, fail in `runbook-alarms lint`.
    const errors = findings.filter((f) => f.level === FindingLevel.ERROR && f.ruleId !== 'Runbook-Stale');
    this.warnings = findings.filter((f) => !errors.includes(f)).map((f) => ({ ...f, level: FindingLevel.WARNING }));
    if (errors.length > 0) {
      throw new RunbookError(
        `Runbook ${file} is not ready to be linked from an alarm (${errors.length} problem${errors.length > 1 ? 's' : ''}):\n` +
          errors.map((f) => `  ${formatFinding(f)}`).join('\n'),
        errors,
      );
    }
    this.firstMove = options.firstMove ?? doc.firstMove;
    this.never = options.never ?? doc.never;
    this.owner = doc.owner;
    this.severity = doc.severity;
  }

  public bind(scope: IConstruct): RunbookBinding {
    const baseUrl: unknown = this.options.baseUrl ?? scope.node.tryGetContext(RUNBOOK_BASE_URL_CONTEXT);
    if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
      throw new RunbookError(
        `${scope.node.path}: Runbook.fromFile('${this.file}') needs a base URL to link the file: set the CDK context key ` +
          `"${RUNBOOK_BASE_URL_CONTEXT}" in cdk.json (e.g. "https://github.com/acme/ops/blob/main") ` +
          'or pass { baseUrl } to Runbook.fromFile',
      );
    }
    checkHttpsUrl(baseUrl, `${RUNBOOK_BASE_URL_CONTEXT}`);
    const root = path.resolve(this.options.projectRoot ?? process.cwd());
    const relative = path.relative(root, this.absolutePath);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new RunbookError(`${scope.node.path}: runbook ${this.file} is outside the project root ${root}; ` +
        'move it under the project or pass { projectRoot }');
    }
    // A symlink to a file outside the project publishes as the link, not the procedure: the URL
    // would open a page that shows a path (and the file the lint read is not what readers get).
    const realRelative = path.relative(safeRealpath(root), this.realPath);
    if (realRelative.startsWith('..') || path.isAbsolute(realRelative)) {
      throw new RunbookError(`${scope.node.path}: runbook ${this.file} is a symbolic link to ${this.realPath}, outside the project root ${root}; ` +
        'its URL would not show the procedure: copy the file into the project instead of linking it');
    }
    return {
      url: runbookUrlFor(baseUrl, relative),
      firstMove: this.firstMove,
      never: this.never,
      owner: this.owner,
      severity: this.severity,
      file: this.absolutePath,
      warnings: this.warnings.map(formatFinding),
    };
  }
}
