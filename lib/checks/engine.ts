// The synth gate's engine as a CDK validation plugin: it reads the cloud assembly the app has just
// written — what will deploy, after every Aspect, override, escape hatch and type override — and
// runs the one engine of lib/assembly on it. The construct tree is read only for acknowledgements.
// RunbookPolicy and IncidentReadinessChecks both end here, and a synth reports each problem once.
import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { JudgedFinding, judgeAlarms, judgeProblems } from '../assembly/judge';
import { AssemblyTemplate, readCloudAssembly } from '../assembly/reader';
import { cannotJudgeRule } from '../alarm-rules/cannot-judge';
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
  let key: string;
  try {
    key = synthKey(context);
  } catch (e) {
    key = `unkeyed ${errorText(e)}`;
  }
  if (REPORTED.get(app) === key) return { success: true, violations: [] };
  REPORTED.set(app, key);
  let violations: PolicyViolation[];
  try {
    violations = violationsOf(judge(context, options));
  } catch (e) {
    // Fail closed: whatever went wrong is a finding the CLI prints, never a plugin failure it turns into success.
    violations = [gateErrorViolation(e, outdirOf(context))];
  }
  return { success: !violations.some((v) => v.severity === 'error' || v.severity === 'fatal'), violations };
}

function outdirOf(context: IPolicyValidationContext): string {
  const app = context.appConstruct;
  return Stage.isStage(app) ? app.outdir : path.dirname(context.templatePaths[0] ?? '.');
}

function judge(context: IPolicyValidationContext, options: IncidentReadinessOptions): JudgedFinding[] {
  const app = context.appConstruct;
  const assembly = readCloudAssembly(outdirOf(context), { pageTopicArns: literalPageTopicArns(app) });
  // Only the stacks this plugin was given (a plugin registered on a Stage sees that Stage's).
  const selected = new Set(context.templatePaths.map((t) => path.resolve(t)));
  const rootOf = (t: AssemblyTemplate) => {
    let top = t;
    while (top.parent) top = top.parent.template;
    return top.file;
  };
  const alarms = assembly.alarms.filter((a) => selected.has(rootOf(a.template)));
  const base: unknown = options.runbookBaseUrl ?? app.node.tryGetContext(RUNBOOK_BASE_URL_CONTEXT);
  // "Today" is read once, here at the front door, and passed to every rule.
  const runbookLint: RunbookLintOptions = { ...options.runbookLint, now: options.runbookLint?.now ?? nowFromEnvironment() ?? new Date() };
  const tree = new TreeAcknowledgements(app);
  // Closest first: on the construct and its ancestors inside its stack (from the assembly), then above it.
  const along = (p: string | undefined) => [...assembly.acknowledgementsAlong(p), ...tree.along(p)];
  const judged = judgeAlarms(alarms, {
    runbookBaseUrl: typeof base === 'string' && base.trim() !== '' ? base.trim() : undefined,
    projectRoot: path.resolve(options.projectRoot ?? process.cwd()),
    runbookUrlPrefixes: options.runbookUrlPrefixes ?? urlPrefixes(app.node.tryGetContext(RUNBOOK_URL_PREFIXES_CONTEXT)),
    runbookLint,
    staleRunbookIsError: options.staleRunbookIsError,
    runbookCache: new RunbookFileCache(runbookLint),
    acknowledgementsAlong: (p) => tree.along(p),
  });
  // What could not be read is reported whichever stacks were given: it may hold any of them.
  return [...judgeProblems(assembly.problems, along), ...judged];
}

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** The one finding of an error that stopped the engine itself. */
function gateErrorViolation(e: unknown, outdir: string): PolicyViolation {
  return {
    ruleName: cannotJudgeRule.id,
    description: `the synth gate could not judge the app in ${outdir}: ${errorText(e)}${e instanceof Error && e.stack ? ` (${e.stack.split('\n')[1]?.trim() ?? ''})` : ''}; no page of the app is shown to carry a runbook`,
    fix: 'report this error to cdk-runbook-alarms with the cloud assembly; it is never a pass',
    severity: 'fatal',
    violatingResources: [{ locations: [] }],
  };
}
