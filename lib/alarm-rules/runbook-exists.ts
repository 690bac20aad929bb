// IncidentReadiness-RunbookExists: a runbook URL under the project's base URL points at a file
// that exists and passes the runbook lint. Staleness (Runbook-Stale) is a warning here, as in
// Runbook.fromFile: a review date passing must not block an urgent deploy; `runbook-alarms lint`
// (or staleRunbookIsError) makes it an error.
import * as path from 'path';
import { FindingLevel } from '../core/finding';
import { formatFinding } from '../runbook/lint';
import { AlarmRule, alarmFinding, conflictText, conflictsOf, isPage } from './rule';
import { RunbookFileCache } from '../runbook/file-cache';
import { isUnderUrlPrefix, nearBaseUrl } from '../runbook/location';
import { RUNBOOK_URL_PREFIXES_CONTEXT } from '../core/names';
import { shippedRunbookCommand } from '../runbook/shipped';

const STALE_RULE = 'Runbook-Stale';

/**
 * A runbook URL outside the base URL (and outside the places the team lists) cannot be checked: one
 * warning naming the base URL, so a typo in it (`acme/paymnets`) is said rather than deployed.
 */
function outside(rule: AlarmRule, alarm: Parameters<AlarmRule['check']>[0], url: string, baseUrl: string, prefixes: readonly string[]) {
  if (isUnderUrlPrefix(url, baseUrl) || prefixes.some((p) => isUnderUrlPrefix(url, p))) return [];
  const near = nearBaseUrl(url, baseUrl);
  return [alarmFinding(rule, alarm,
    `links runbook ${url}, outside the base URL ${baseUrl}: it cannot be checked${near ? ` (did you mean ${near}?)` : ''}`,
    `${near ? 'fix the URL if it is a typo; ' : 'if the URL is wrong, fix it; '}if the team keeps runbooks there, list the host or URL prefix in the context key ${RUNBOOK_URL_PREFIXES_CONTEXT} ` +
      `(runbook_url_prefixes in .runbook-alarms.yaml) or acknowledge ${rule.id}[OutsideBaseUrl] once, on the app or the stack, with a reason`,
    FindingLevel.WARNING, 'OutsideBaseUrl')];
}

export const runbookExistsRule: AlarmRule = {
  id: 'IncidentReadiness-RunbookExists',
  level: FindingLevel.ERROR,
  acknowledgeable: true,
  description: 'A runbook URL under the configured base URL points at an existing runbook file that passes the runbook lint',
  explanation:
    'A link to a renamed, deleted or half-written runbook is worse than none: it costs the paged engineer ' +
    'minutes before they find out they are on their own.',
  check(alarm, context) {
    if (alarm.descriptionUnresolved) return [];
    // On a page, PageRunbook reports two runbook URLs (and cannot be acknowledged); elsewhere it is ours.
    const conflict = isPage(alarm) ? undefined : conflictsOf(alarm, ['Runbook'])[0];
    const conflicts = conflict
      ? [alarmFinding(this, alarm, `links two different runbooks: ${conflictText(conflict)}`, 'keep one "Runbook:" line in the AlarmDescription')]
      : [];
    const url = alarm.contract.runbookUrl;
    if (url === undefined || !context.runbookBaseUrl) return conflicts;
    const root = path.resolve(context.projectRoot ?? process.cwd());
    const cache = context.runbookCache ?? new RunbookFileCache(context.runbookLint);
    const file = cache.locate(url, context.runbookBaseUrl, root);
    if (file === undefined) return [...conflicts, ...outside(this, alarm, url, context.runbookBaseUrl, context.runbookUrlPrefixes ?? [])];
    const result = cache.get(file);
    if (result.unusable) {
      return [...conflicts, alarmFinding(this, alarm, `links runbook ${url}, which is under the base URL but cannot name a file of the project (${result.unusable})`,
        'link the runbook file by its path under the base URL (Runbook.fromFile writes it)')];
    }
    const shown = path.relative(root, file).split(path.sep).join('/') || '.';
    if (result.directory) {
      return [...conflicts, alarmFinding(this, alarm, `links runbook ${url}, but ${shown} is a directory, not a runbook file`,
        `link the runbook file itself (${shown}/<scenario>.md)`)];
    }
    if (!result.exists) {
      const shipped = shippedRunbookCommand(shown);
      return [...conflicts, alarmFinding(this, alarm, `links runbook ${url}, but ${shown} does not exist under ${root}`,
        shipped ? `run \`${shipped}\` (this package ships that runbook) and commit it` : `create ${shown} (runbook-alarms new <name>) or fix the runbook path`)];
    }
    const errors = result.findings.filter((f) => f.level === FindingLevel.ERROR && (f.ruleId !== STALE_RULE || context.staleRunbookIsError));
    const stale = context.staleRunbookIsError ? [] : result.findings.filter((f) => f.ruleId === STALE_RULE);
    const relative = (f: (typeof result.findings)[number]) => formatFinding({ ...f, file: shown });
    const findings = [...conflicts];
    if (errors.length > 0) {
      const listed = errors.slice(0, 5).map(relative).join('; ');
      const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
      findings.push(alarmFinding(this, alarm, `links runbook ${shown}, which fails the runbook lint (${errors.length} problem${errors.length > 1 ? 's' : ''}: ${listed}${more})`,
        `fix the runbook (run: runbook-alarms lint ${shown})`));
    }
    if (stale.length > 0) {
      // One warning, in words: the stale finding's own message, not its lint line (whose level is "error").
      findings.push(alarmFinding(this, alarm, `links runbook ${shown}, which is past its review date: ${stale[0].message}`,
        `walk through ${shown} (or run a game day), fix what changed and update its last_updated`, FindingLevel.WARNING, 'Stale'));
    }
    return findings;
  },
};
