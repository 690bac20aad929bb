// `lint --assembly`: checks the synthesized app against the runbooks in both directions.
// Alarm -> runbook: the per-alarm checks (every page has a runbook that exists and passes lint).
// Runbook -> alarm: a runbook no alarm links is reported, and so is a severity that disagrees.
import * as path from 'path';
import { FindingLevel } from '../core/finding';
import { encodeRunbookPath } from '../runbook/location';
import { ParsedRunbook } from '../runbook/parser';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { RunbookFileCache } from '../runbook/file-cache';
import { assemblyAlarmViews } from '../assembly/judge';
import { ALARM_CHECK_RULES, assemblyProblems, checkAssemblyAlarm } from './alarm-checks';
import { AssemblyAlarm, CloudAssemblyContents } from '../assembly/reader';
import { CliFinding, RuleInfo } from './report';

export const UNREFERENCED_RULE: RuleInfo = {
  id: 'Runbook-Unreferenced',
  level: FindingLevel.WARNING,
  description: 'with --assembly: some alarm in the synthesized app links the runbook',
  help: 'A runbook no alarm links is never sent to anyone: the alarm may have been deleted or may link another URL. Link it from its alarm (Runbook.fromFile) or delete it.',
};

export const SEVERITY_MISMATCH_RULE: RuleInfo = {
  id: 'Runbook-SeverityMismatch',
  level: FindingLevel.WARNING,
  description: 'with --assembly: the runbook\'s severity matches the severity of the alarms that link it',
  help: 'The runbook and the alarm disagree on how bad the failure is, so the response (page or ticket, postmortem or not) is ambiguous. Make the front matter severity and the alarm severity the same.',
};

/** Every rule `lint --assembly` may report besides the runbook rules. */
export const CROSS_CHECK_RULES: RuleInfo[] = [...ALARM_CHECK_RULES, UNREFERENCED_RULE, SEVERITY_MISMATCH_RULE];

export interface CrossCheckOptions {
  readonly runbookBaseUrl?: string;
  /** The project root the base URL maps to. */
  readonly root: string;
  /** Where else the team keeps runbooks (hosts or URL prefixes). @default - none */
  readonly runbookUrlPrefixes?: string[];
  /** The runbooks being linted, by absolute path. */
  readonly runbooks: Map<string, ParsedRunbook>;
  /** The runbook lint settings, for runbooks linked by alarms. */
  readonly lint: RunbookLintOptions;
  /** Lint results of the runbooks already linted in this run (each file is linted once). @default - a new cache */
  readonly runbookCache?: RunbookFileCache;
}

function alarmLabel(alarm: AssemblyAlarm): string {
  const name = alarm.properties.AlarmName;
  const where = alarm.constructPath;
  return typeof name === 'string' ? `${name} (${where})` : where;
}

/** The runbook an alarm's URL names: by base URL when configured, else by a URL ending in the file's path. */
function linkedRunbook(url: string, options: CrossCheckOptions, byRelative: Map<string, string>, cache: RunbookFileCache): string | undefined {
  if (options.runbookBaseUrl) return cache.locate(url, options.runbookBaseUrl, options.root);
  const bare = url.replace(/[?#].*$/, '');
  for (const [rel, abs] of byRelative) if (bare.endsWith('/' + rel)) return abs;
  return undefined;
}

/** Cross-checks the alarms of a cloud assembly against the runbooks. */
export function crossCheck(assembly: CloudAssemblyContents, options: CrossCheckOptions): CliFinding[] {
  const findings: CliFinding[] = [];
  const referenced = new Set<string>();
  const byRelative = new Map<string, string>();
  for (const file of options.runbooks.keys()) {
    const relative = path.relative(options.root, file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) byRelative.set(encodeRunbookPath(relative), file);
  }
  const runbookCache = options.runbookCache ?? new RunbookFileCache(options.lint);
  findings.push(...assemblyProblems(assembly));
  for (const alarm of assembly.alarms) {
    // The views of an alarm (one per value its description can take): the rules and the reverse
    // checks read the same decoded contracts.
    let views: ReturnType<typeof assemblyAlarmViews>;
    try {
      views = assemblyAlarmViews(alarm);
    } catch (e) {
      views = [];
      findings.push(...checkAssemblyAlarm({ ...alarm, error: e instanceof Error ? e.message : String(e) }, views, { ...options, runbookCache }));
      continue;
    }
    findings.push(...checkAssemblyAlarm(alarm, views, { ...options, runbookCache }));
    for (const contract of new Set(views.map((v) => v.contract))) {
      if (!contract.runbookUrl) continue;
      const file = linkedRunbook(contract.runbookUrl, options, byRelative, runbookCache);
      if (!file) continue;
      referenced.add(file);
      const doc = options.runbooks.get(file);
      if (doc?.severity && contract.severity && doc.severity !== contract.severity) {
        findings.push({
          ruleId: SEVERITY_MISMATCH_RULE.id,
          level: SEVERITY_MISMATCH_RULE.level,
          file,
          line: doc.frontMatterLines.severity ?? 1,
          column: 1,
          message: `the runbook says ${doc.severity} but alarm ${alarmLabel(alarm)} is ${contract.severity}`,
          fix: 'make the front matter severity and the alarm severity the same',
        });
      }
    }
  }
  for (const [file, doc] of options.runbooks) {
    if (referenced.has(file)) continue;
    findings.push({
      ruleId: UNREFERENCED_RULE.id,
      level: UNREFERENCED_RULE.level,
      file,
      line: 1,
      column: 1,
      message: `no alarm in the cloud assembly links ${doc.title ? `"${doc.title}"` : 'this runbook'}`,
      fix: 'link it from its alarm (runbook: Runbook.fromFile(...)) or delete it if the alarm is gone',
    });
  }
  return findings;
}
