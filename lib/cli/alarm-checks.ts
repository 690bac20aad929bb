// The per-alarm checks of `lint --assembly`: the engine of lib/assembly (the one RunbookPolicy and
// the cdk-nag pack run at synth), reported at the alarm's line in its template.
import { FindingLevel } from '../core/finding';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { ALARM_RULES, AlarmFinding, AlarmView } from '../alarm-rules';
import { cannotJudgeRule } from '../alarm-rules/cannot-judge';
import { judgeAlarm, judgeProblems } from '../assembly/judge';
import { AssemblyAlarm, CloudAssemblyContents, resourceLine } from '../assembly/reader';
import { refusalNote } from '../core/acknowledgement';
import { RunbookFileCache } from '../runbook/file-cache';
import { CliFinding, RuleInfo } from './report';

/** What the alarm checks need besides the alarm. */
export interface AlarmCheckContext {
  readonly runbookBaseUrl?: string;
  /** The directory the base URL maps to. */
  readonly root: string;
  /** Where else the team keeps runbooks (hosts or URL prefixes). @default - none */
  readonly runbookUrlPrefixes?: string[];
  readonly lint: RunbookLintOptions;
  /** One cache for the whole run, so each linked runbook is linted once. */
  readonly runbookCache: RunbookFileCache;
}

/** The alarm rules, as the reports list them (and the engine's own: what it could not read or judge). */
export const ALARM_CHECK_RULES: RuleInfo[] = [...ALARM_RULES, cannotJudgeRule].map((r) => ({
  id: r.id,
  level: r.level,
  description: r.description,
  help: r.explanation,
}));

/** "alarm X is a page ...", "alarm X: cannot verify ...". */
function sentence(f: AlarmFinding): string {
  return /^(is|has|links|does|fires|sets|names|carries|reaches|gives)\b/.test(f.message) ? `alarm ${f.alarm} ${f.message}` : `alarm ${f.alarm}: ${f.message}`;
}

/** Runs every alarm rule on one alarm of the assembly (each view: a value its description can take): the synth gate's engine, reported at the alarm's template line. */
export function checkAssemblyAlarm(alarm: AssemblyAlarm, views: readonly AlarmView[], context: AlarmCheckContext): CliFinding[] {
  const judged = judgeAlarm(alarm, views, {
    runbookBaseUrl: context.runbookBaseUrl,
    projectRoot: context.root,
    runbookUrlPrefixes: context.runbookUrlPrefixes,
    runbookLint: context.lint,
    // `lint` is where a runbook past its review date fails; synth only warns.
    staleRunbookIsError: true,
    runbookCache: context.runbookCache,
  });
  return judged.map(({ finding: f, decision }) => ({
    ruleId: f.ruleId,
    level: f.level === FindingLevel.ERROR ? FindingLevel.ERROR : FindingLevel.WARNING,
    file: alarm.template.file,
    line: alarm.line,
    column: 1,
    message: sentence(f) + refusalNote(decision),
    fix: f.fix,
    alarm: { stack: alarm.template.stack, logicalId: alarm.logicalId, constructPath: alarm.constructPath },
  }));
}

/** What the engine could not read or judge in the assembly, at the file (and resource line) it is in. */
export function assemblyProblems(assembly: CloudAssemblyContents): CliFinding[] {
  return judgeProblems(assembly.problems, assembly.acknowledgementsAlong).map(({ finding: f, problem, decision }) => {
    const template = problem?.logicalId ? assembly.templates.find((t) => t.file === problem.file) : undefined;
    return {
      ruleId: f.ruleId,
      level: FindingLevel.ERROR,
      file: problem?.file ?? assembly.directory,
      line: template && problem?.logicalId ? resourceLine(template, problem.logicalId) : 1,
      column: 1,
      message: `the gate cannot judge ${f.message}${refusalNote(decision)}`,
      fix: f.fix,
    };
  });
}
