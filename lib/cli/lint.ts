// `runbook-alarms lint [paths...]`: lints runbook files and, with --assembly, cross-checks them
// against the synthesized app. Settings: flags over .runbook-alarms.yaml over defaults.
import * as fs from 'fs';
import * as path from 'path';
import { RUNBOOK_RULES, lintRunbook, unreadableTextFinding } from '../runbook/lint';
import { RunbookFinding } from '../core/finding';
import { ParsedRunbook, RunbookTextError, parseRunbook, readRunbookText } from '../runbook/parser';
import { RunbookFileCache } from '../runbook/file-cache';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { POSTMORTEM_RULES, lintPostmortem, postmortemRuleSettings, unreadablePostmortemFinding } from '../postmortem/lint';
import { isPostmortem, parsePostmortem } from '../postmortem/parser';
import type { CloudAssemblyContents } from '../assembly/reader';
import { ExitCode, InputError, OptionConfig, UsageError, parseCommandArgs, readNow } from './args';
import { DEFAULT_PATHS, lintSpec } from './specs';
import { CONFIG_FILE, LintConfig, baseUrlFromCdkJson, loadConfig, readMaxAgeDays, urlPrefixesFromCdkJson } from './config';
import { CliFinding, FORMATS, Format, LintReport, RuleInfo, countLevels, formatJson, formatJsonError, formatSarif, formatSarifError, formatText, summaryLine } from './report';

const OPTIONS = {
  assembly: { type: 'string' },
  'base-url': { type: 'string' },
  config: { type: 'string' },
  owner: { type: 'string', multiple: true },
  'max-age': { type: 'string', multiple: true },
  'no-links': { type: 'boolean' },
  strict: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string' },
  now: { type: 'string' },
} satisfies Record<string, OptionConfig>;

/** Runbook files under `target` (a file or a directory), sorted. */
export function collectRunbooks(target: string, hint = ''): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new InputError(`${path.relative(process.cwd(), target) || target} does not exist${hint}`);
  }
  if (stat.isFile()) return [target];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') out.push(full);
    }
  };
  walk(target);
  return out;
}

/** The settings of one run, flags over config. */
interface LintSettings {
  readonly config: LintConfig;
  readonly files: string[];
  /** The files and directories searched. */
  readonly targets: string[];
  readonly lint: RunbookLintOptions;
  readonly strict: boolean;
  readonly format: Format;
  readonly output?: string;
  readonly assembly?: string;
  readonly runbookBaseUrl?: string;
  readonly runbookUrlPrefixes?: string[];
}

function readSettings(values: Record<string, unknown>, positionals: string[], cwd: string): LintSettings {
  const config = loadConfig(cwd, values.config as string | undefined);
  const format = (values.format as string | undefined) ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const maxAgeFlags = (values['max-age'] as string[] | undefined) ?? [];
  const flagAges: Record<string, string> = {};
  for (const entry of maxAgeFlags) {
    const m = /^([^=]+)=(.*)$/.exec(entry);
    if (!m) throw new UsageError(`--max-age takes SEV=days, e.g. --max-age SEV1=30; got "${entry}"`);
    flagAges[m[1].trim()] = m[2].trim();
  }
  const targets = positionals.length > 0
    ? positionals.map((p) => path.resolve(cwd, p))
    : (config.paths ?? DEFAULT_PATHS).map((p) => path.resolve(config.root, p));
  const hint = positionals.length > 0 ? '' : config.paths
    ? ` (listed in ${path.relative(cwd, config.file!) || config.file} paths)`
    : ` (the default; name runbook files or directories, or set "paths" in ${CONFIG_FILE})`;
  // The default paths that do not exist are skipped (a project without postmortems yet); all missing is an error.
  const searched = positionals.length > 0 || config.paths ? targets : targets.filter((t) => fs.existsSync(t));
  const files = [...new Set((searched.length > 0 ? searched : targets.slice(0, 1)).flatMap((t) => collectRunbooks(t, hint)))];
  const owners = (values.owner as string[] | undefined) ?? config.owners;
  const assemblyFlag = values.assembly as string | undefined;
  return {
    config,
    files,
    targets,
    lint: {
      // "Today" for every runbook of the run, resolved once here (flag, then RUNBOOK_ALARMS_NOW, then the clock).
      now: readNow(values.now as string | undefined) ?? new Date(),
      maxAgeDays: { ...config.maxAgeDays, ...readMaxAgeDays(flagAges, '--max-age') },
      owners,
      checkLinks: values['no-links'] ? false : config.checkLinks ?? true,
    },
    strict: Boolean(values.strict) || config.strict === true,
    format: format as Format,
    output: values.output as string | undefined,
    assembly: assemblyFlag !== undefined ? path.resolve(cwd, assemblyFlag) : config.assembly ? path.resolve(config.root, config.assembly) : undefined,
    runbookBaseUrl: (values['base-url'] as string | undefined) ?? config.runbookBaseUrl ?? baseUrlFromCdkJson(config.root),
    runbookUrlPrefixes: config.runbookUrlPrefixes ?? urlPrefixesFromCdkJson(config.root),
  };
}

/** A runbook's (or postmortem's) text, or the finding that it is not UTF-8 text; a file that cannot be read is an input error. */
function readText(file: string): string | RunbookFinding {
  try {
    return readRunbookText(file);
  } catch (e) {
    if (e instanceof RunbookTextError) return isPostmortem(file, '') ? unreadablePostmortemFinding(e) : unreadableTextFinding(e);
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The cloud assembly to cross-check; one that cannot be read is an input error (exit 2). */
function readAssembly(dir: string): CloudAssemblyContents {
  const { AssemblyReadError, readCloudAssembly } = require('../assembly/reader') as typeof import('../assembly/reader');
  try {
    return readCloudAssembly(dir);
  } catch (e) {
    if (e instanceof AssemblyReadError) throw new InputError(e.message);
    throw e;
  }
}

/** Lints and cross-checks as the settings say; the report, not yet printed. */
function runLint(settings: LintSettings, cwd: string): LintReport {
  const runbooks = new Map<string, ParsedRunbook>();
  const findings: CliFinding[] = [];
  // One cache for the run: a runbook linted here is not linted again for the alarms that link it.
  const runbookCache = new RunbookFileCache(settings.lint);
  const postmortemSettings = postmortemRuleSettings({ now: settings.lint.now, root: settings.config.root, runbookBaseUrl: settings.runbookBaseUrl });
  let postmortems = 0;
  for (const file of settings.files) {
    const text = readText(file);
    if (typeof text !== 'string') {
      findings.push(text);
      if (text.ruleId.startsWith('Postmortem-')) postmortems++;
      else if (settings.assembly) runbookCache.remember(file, [text]);
      continue;
    }
    if (isPostmortem(file, text)) {
      postmortems++;
      findings.push(...lintPostmortem(parsePostmortem(text, file), postmortemSettings));
      continue;
    }
    const doc = parseRunbook(text, file);
    const found = lintRunbook(doc, settings.lint);
    findings.push(...found);
    // Parsed runbooks are kept only for the cross-check: holding 10,000 of them costs GC time.
    if (settings.assembly) {
      runbooks.set(file, doc);
      runbookCache.remember(file, found);
    }
  }
  const rules: RuleInfo[] = [...RUNBOOK_RULES, ...(postmortems > 0 ? POSTMORTEM_RULES : [])].map((r) => ({ id: r.id, level: r.level, description: r.description, help: r.help }));
  let alarms: number | undefined;
  if (settings.assembly) {
    // Loaded only for --assembly: a plain lint run never reads a cloud assembly.
    const { CROSS_CHECK_RULES, crossCheck } = require('./cross-check') as typeof import('./cross-check');
    const assembly = readAssembly(settings.assembly);
    alarms = assembly.alarms.length;
    rules.push(...CROSS_CHECK_RULES);
    findings.push(...crossCheck(assembly, {
      runbookBaseUrl: settings.runbookBaseUrl,
      runbookUrlPrefixes: settings.runbookUrlPrefixes,
      root: settings.config.root,
      runbooks,
      lint: settings.lint,
      runbookCache,
    }));
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return { findings, rules, runbooks: settings.files.length - postmortems, postmortems, alarms, root: cwd };
}

/**
 * The machine-readable format asked for on the command line (`--format json`, `--format=sarif`),
 * read before the arguments are parsed: a run that fails on its arguments or its input still
 * prints a document of that format, so whatever reads the report never gets an empty file.
 */
export function requestedFormat(args: string[]): 'json' | 'sarif' | undefined {
  let format: string | undefined;
  args.forEach((a, i) => {
    if (a === '--format') format = args[i + 1];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
  });
  return format === 'json' || format === 'sarif' ? format : undefined;
}

/** Prints the error of a failed run as a document of the requested format (the message goes to stderr too). */
function printRunError(format: 'json' | 'sarif', args: string[], e: UsageError | InputError): void {
  const text = format === 'json' ? formatJsonError(e) : formatSarifError(e);
  const output = (() => {
    try {
      const parsed = parseCommandArgs(args, OPTIONS, '');
      return parsed?.values.output as string | undefined;
    } catch {
      return undefined;
    }
  })();
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    fs.writeFileSync(path.resolve(output), text);
  } catch {
    process.stdout.write(text);
  }
}

export async function lintCommand(args: string[]): Promise<number> {
  const format = requestedFormat(args);
  try {
    return await runLintCommand(args);
  } catch (e) {
    if (format && (e instanceof UsageError || e instanceof InputError)) printRunError(format, args, e);
    throw e;
  }
}

async function runLintCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, lintSpec.help);
  if (!parsed) return ExitCode.OK;
  const cwd = process.cwd();
  const settings = readSettings(parsed.values, parsed.positionals, cwd);
  if (settings.files.length === 0 && !settings.assembly) {
    // A CI step pointed at the wrong directory would otherwise pass, having checked nothing.
    throw new InputError(`found no runbook or postmortem files (*.md, README.md excluded) in ${settings.targets.map((t) => path.relative(cwd, t) || '.').join(', ')}; ` +
      'name the directory that holds them, or add --assembly to check only the synthesized app');
  }
  const report = runLint(settings, cwd);
  const color = settings.output === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const text = settings.format === 'json' ? formatJson(report) : settings.format === 'sarif' ? formatSarif(report) : formatText(report, color);
  if (settings.output) {
    try {
      fs.writeFileSync(path.resolve(cwd, settings.output), text);
    } catch (e) {
      throw new InputError(`cannot write ${settings.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    process.stderr.write(`${summaryLine(report)}; report written to ${settings.output}\n`);
  } else {
    process.stdout.write(text);
  }
  const { errors, warnings } = countLevels(report.findings);
  return errors > 0 || (settings.strict && warnings > 0) ? ExitCode.FINDINGS : ExitCode.OK;
}
