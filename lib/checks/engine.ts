// The synth gate's engine as a CDK validation plugin: it reads the cloud assembly the app has just
// written — what will deploy, after every Aspect, override, escape hatch and type override — and
// runs the one engine of lib/assembly on it. The construct tree is read only for acknowledgements.
// RunbookPolicy and IncidentReadinessChecks both end here, and a synth reports each problem once.
import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, PolicyValidationPluginReport, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { judgeAlarms } from '../assembly/judge';
import { readCloudAssembly } from '../assembly/reader';
import { RUNBOOK_BASE_URL_CONTEXT, RUNBOOK_URL_PREFIXES_CONTEXT } from '../core/names';
import { nowFromEnvironment } from '../core/now';
import { pageTopicsOf } from '../constructs/private/page-topics';
import { RunbookFileCache } from '../runbook/file-cache';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { TreeAcknowledgements } from './acknowledgements';
import { violationsOf } from './report';

/** The settings both front doors take. */
export interface IncidentReadinessOptions {
  /**
   * The URL the project root is published under; runbook URLs under it are checked as files
   * (IncidentReadiness-RunbookExists).
   * @default - the CDK context value `cdk-runbook-alarms:runbookBaseUrl`; without one, runbook URLs are not mapped to files
   */
  readonly runbookBaseUrl?: string;
  /** The directory the base URL maps to. @default - the current working directory (where cdk.json is) */
  readonly projectRoot?: string;
  /**
   * Where else the team keeps runbooks: hosts (`wiki.acme.com`) or URL prefixes
   * (`https://wiki.acme.com/ops`). A runbook URL outside the base URL and these is a warning,
   * IncidentReadiness-RunbookExists[OutsideBaseUrl].
   * @default - the CDK context value `cdk-runbook-alarms:runbookUrlPrefixes` (a list, or one string), else none
   */
  readonly runbookUrlPrefixes?: string[];
  /** Settings of the runbook lint run on linked runbook files. @default - the runbook lint defaults */
  readonly runbookLint?: RunbookLintOptions;
  /** Fail on runbooks past their review date instead of warning. @default false */
  readonly staleRunbookIsError?: boolean;
}

/** The plugin name in reports, and the namespace of acknowledgement ids CDK prints. */
export const ENGINE_PLUGIN_NAME = 'IncidentReadiness';

// One report per synth of an app, whichever front doors asked: the key is the set of templates and
// when they were written (a later synth of the same app writes them again).
const REPORTED = new WeakMap<IConstruct, string>();

function synthKey(context: IPolicyValidationContext): string {
  return [...context.templatePaths].sort().map((t) => `${t}@${fs.statSync(t, { throwIfNoEntry: false })?.mtimeMs ?? 0}`).join('\n');
}

/** The literal ARNs of imported page topics (those defined in the app are tagged in their templates). */
function literalPageTopicArns(app: IConstruct): string[] {
  return pageTopicsOf(app).map((t) => t.topicArn).filter((arn) => !Token.isUnresolved(arn));
}

/** The context value of the runbook URL prefixes: a list of strings, or one string (`cdk synth -c` gives strings). */
function urlPrefixes(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  return list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** Runs the engine on the stacks of `context` and reports in CDK's validation-report form. */
export function engineReport(context: IPolicyValidationContext, options: IncidentReadinessOptions = {}): PolicyValidationPluginReport {
  const app = context.appConstruct;
  const key = synthKey(context);
  if (REPORTED.get(app) === key) return { success: true, violations: [] };
  REPORTED.set(app, key);

  const outdir = Stage.isStage(app) ? app.outdir : path.dirname(context.templatePaths[0] ?? '.');
  const assembly = readCloudAssembly(outdir, { pageTopicArns: literalPageTopicArns(app) });
  // Only the stacks this plugin was given (a plugin registered on a Stage sees that Stage's).
  const selected = new Set(context.templatePaths.map((t) => path.resolve(t)));
  const rootOf = (t: (typeof assembly.templates)[number]) => {
    let top = t;
    while (top.parent) top = top.parent.template;
    return top.file;
  };
  const alarms = assembly.alarms.filter((a) => selected.has(rootOf(a.template)));
  const base: unknown = options.runbookBaseUrl ?? app.node.tryGetContext(RUNBOOK_BASE_URL_CONTEXT);
  // "Today" is read once, here at the front door, and passed to every rule.
  const runbookLint: RunbookLintOptions = { ...options.runbookLint, now: options.runbookLint?.now ?? nowFromEnvironment() ?? new Date() };
  const acknowledgements = new TreeAcknowledgements(app);
  const judged = judgeAlarms(alarms, {
    runbookBaseUrl: typeof base === 'string' && base.trim() !== '' ? base.trim() : undefined,
    projectRoot: path.resolve(options.projectRoot ?? process.cwd()),
    runbookUrlPrefixes: options.runbookUrlPrefixes ?? urlPrefixes(app.node.tryGetContext(RUNBOOK_URL_PREFIXES_CONTEXT)),
    runbookLint,
    staleRunbookIsError: options.staleRunbookIsError,
    runbookCache: new RunbookFileCache(runbookLint),
    // Closest first: on the alarm and its ancestors inside its stack (from the assembly), then above it.
    acknowledgementsFor: (alarm) => [...alarm.acknowledgements, ...acknowledgements.along(alarm.constructPath)],
  });
  const violations = violationsOf(judged);
  return { success: !violations.some((v) => v.severity === 'error' || v.severity === 'fatal'), violations };
}
