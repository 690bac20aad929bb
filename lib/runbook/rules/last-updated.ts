// Runbook-LastUpdated and Runbook-Stale: the procedure says when it was last checked, and that is recent.
import { FindingLevel } from '../../core/finding';
import { ParsedRunbook } from '../parser';
import { Severity } from '../../core/severity';
import { RunbookRule, RunbookRuleSettings, finding, maxAgeKey, misspelledKey } from './rule';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The default freshness limits, in days. */
export const DEFAULT_MAX_AGE_DAYS: Record<Severity, number> = {
  [Severity.SEV1]: 90,
  [Severity.SEV2]: 90,
  [Severity.SEV3]: 180,
  [Severity.SEV4]: 180,
};

/** `last_updated` as a UTC day number, or a reason it is not a real date. */
export function readLastUpdated(doc: ParsedRunbook): { day?: number; problem?: string; raw?: string } {
  const raw = doc.frontMatter.last_updated;
  if (raw === undefined || raw === null || raw === '') return { problem: 'missing' };
  const text = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return { problem: 'format', raw: text };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    return { problem: 'invalid', raw: text };
  }
  return { day: Math.floor(t / DAY_MS), raw: text };
}

function today(settings: RunbookRuleSettings): number {
  return Math.floor(settings.now.getTime() / DAY_MS);
}

export const lastUpdatedRule: RunbookRule = {
  id: 'Runbook-LastUpdated',
  level: FindingLevel.ERROR,
  description: '`last_updated` is a real YYYY-MM-DD date and not in the future',
  help: 'A runbook says when someone last walked through it, so the reader knows how far to trust it. Set `last_updated: YYYY-MM-DD` to a real date that is not in the future.',
  check(doc, settings) {
    if (!doc.hasFrontMatter || doc.frontMatterErrors.length > 0) return []; // Runbook-FrontMatter reports it
    const line = doc.frontMatterLines.last_updated ?? 1;
    const lu = readLastUpdated(doc);
    const fix = 'set `last_updated: YYYY-MM-DD` to the day someone last walked through this procedure';
    if (lu.problem === 'missing') {
      const near = misspelledKey(doc, 'last_updated');
      if (near) {
        return [finding(this, doc, near.line, 1, `the runbook has no last_updated date ("${near.key}" is not a key the rules read; did you mean last_updated?)`,
          `rename "${near.key}" to "last_updated"`)];
      }
      return [finding(this, doc, line, 1, 'the runbook has no last_updated date', fix)];
    }
    if (lu.problem === 'format') return [finding(this, doc, line, 1, `last_updated "${lu.raw}" is not a YYYY-MM-DD date`, fix)];
    if (lu.problem === 'invalid') return [finding(this, doc, line, 1, `last_updated "${lu.raw}" is not a real date`, fix)];
    // One day of slack: an author east of UTC can legitimately be "tomorrow".
    if (lu.day! > today(settings) + 1) {
      return [finding(this, doc, line, 1, `last_updated ${lu.raw} is in the future`, fix)];
    }
    return [];
  },
};

export const staleRule: RunbookRule = {
  id: 'Runbook-Stale',
  level: FindingLevel.ERROR,
  description: '`last_updated` is no older than the limit for the severity (default 90 days for SEV1/SEV2, 180 for SEV3/SEV4)',
  help: 'Procedures rot as systems change. Walk through the runbook (or run a game day), fix what changed and bump `last_updated`. Limits: 90 days for SEV1/SEV2, 180 for SEV3/SEV4, configurable with `max_age_days` or `--max-age SEV1=30`.',
  check(doc, settings) {
    const lu = readLastUpdated(doc);
    if (lu.day === undefined) return [];
    const severity = doc.severity ?? Severity.SEV1; // no severity: hold it to the strictest limit
    const limit = settings.maxAgeDays?.[maxAgeKey(severity)] ?? DEFAULT_MAX_AGE_DAYS[severity];
    const age = today(settings) - lu.day;
    if (age <= limit) return [];
    return [
      finding(this, doc, doc.frontMatterLines.last_updated ?? 1, 1,
        `last_updated ${lu.raw} is ${age} days old; ${severity} runbooks must be reviewed every ${limit} days`,
        'walk through the procedure (or a game day), fix what changed, then update last_updated'),
    ];
  },
};
